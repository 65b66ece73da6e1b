#pragma once

#include "balancer/sitemodel.h"

#include <QString>

#include <optional>

namespace linkray::balancer {

// The unit of LinkRay's profiles for one charge point (docs/balancing.md, "Rate unit"). The configuration's unit wins;
// otherwise W with a DC connector, A without, unless the charger's ChargingScheduleAllowedChargingRateUnit
// ("Current", "Power", "Current,Power"; none while not known) names only the other one.
RateUnit chooseRateUnit(std::optional<RateUnit> configured, bool hasDc, const std::optional<QString>& allowedByCharger);

} // namespace linkray::balancer
