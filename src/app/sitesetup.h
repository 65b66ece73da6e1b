#pragma once

#include "app/config.h"
#include "balancer/sitemodel.h"
#include "meter/meterdriver.h"

#include <QHash>
#include <QString>

#include <memory>

namespace linkray {
class Clock;
} // namespace linkray

// The validated configuration turned into what the balancer and the meter module work with.
namespace linkray::app {

/// The balancer's model of the site: its limits, its groups, and one charger per connector of every configured charge
/// point, each connector with its charge point's balancing settings. The configuration does not list connectors:
/// `connectorCounts` maps a charge point id to how many it has (as it reports them; StatusNotification or the
/// NumberOfConnectors key); a charge point missing there, or with a count below 1, is modelled with connector 1.
/// Charge points that are not configured are not in the model: a meter counts their draw as the house's.
balancer::SiteModel siteModelFromConfig(const Config& config, const QHash<QString, int>& connectorCounts);

/// The site meter's driver, not started: a StaticMeter for type none, a ModbusMeter otherwise. Returns nullptr and
/// sets *error ("meter.<key>: reason") when the register map or the settings cannot be used.
std::unique_ptr<meter::MeterDriver> meterFromConfig(const MeterConfig& config, Clock& clock, QString* error);

} // namespace linkray::app
