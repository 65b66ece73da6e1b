#pragma once

#include "app/config.h"
#include "app/configreader.h"

// The section parsers kept in files of their own (configparse_*.cpp) so that no parser file grows too long;
// parseConfig() in configparse.cpp calls them.
namespace linkray::app {

// For keys naming files: "must be an absolute path" unless `path` is one.
QString absolutePathProblem(const QString& path);

// site: the grid connection, its groups (parents and cycles checked) and the control loop's settings.
void readSite(FieldReader& r, SiteConfig& site);
// chargePoints[i].balancing; `site` has been read, so that group references can be checked.
void readBalancing(FieldReader& r, BalancingConfig& balancing, const SiteConfig& site);
// meter: the keys of the chosen type, the register map checked with meter::parseRegisterMap().
void readMeter(FieldReader& r, MeterConfig& meter);

// What readCsms() saw besides the values it stored, for the checks made with the charge points: a key given with an
// invalid value counts as given, so that its one error is not followed by others that stem from it.
struct CsmsKeysSeen {
    bool url = false;
    bool credentialsValid = true;
};

// csms: the operator's CSMS for online mode. Checked in offline mode too (where it is not used), so that switching
// modes is a one-key change.
CsmsKeysSeen readCsms(FieldReader& r, CsmsConfig& csms);
// chargePoints[i].csms through the charge point's reader `r` (a "configured" charge point needs a password even
// without a csms object); csms has been read. Returns whether the charge point gave a url of its own.
bool readChargePointCsms(FieldReader& r, ChargePointCsmsConfig& own, const CsmsConfig& site, const CsmsKeysSeen& seen);
// The checks across csms, the mode and the charge points, once all were read.
void checkCsms(FieldReader& root, const Config& config, const CsmsKeysSeen& seen, bool chargePointUrlGiven);

} // namespace linkray::app
