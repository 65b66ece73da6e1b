#pragma once

#include "app/config.h"
#include "app/configreader.h"

// The section parsers kept in files of their own (configparse_*.cpp) so that no parser file grows too long;
// parseConfig() in configparse.cpp calls them.
namespace linkray::app {

// site: the grid connection, its groups (parents and cycles checked) and the control loop's settings.
void readSite(FieldReader& r, SiteConfig& site);
// chargePoints[i].balancing; `site` has been read, so that group references can be checked.
void readBalancing(FieldReader& r, BalancingConfig& balancing, const SiteConfig& site);
// meter: the keys of the chosen type, the register map checked with meter::parseRegisterMap().
void readMeter(FieldReader& r, MeterConfig& meter);

} // namespace linkray::app
