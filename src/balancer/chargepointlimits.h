#pragma once

#include "balancer/allocation.h"
#include "balancer/chargingprofile.h"
#include "balancer/limitstep.h"

#include <QHash>

#include <optional>
#include <vector>

namespace linkray::balancer {

// One charge point as the controller limits it: LinkRay's profile on connector 0 caps all its connectors together.
struct ChargePointPlan {
    QString id;
    RateUnit unit = RateUnit::Amperes; // ChargerConfig::rateUnit; unset: W as soon as one connector is DC
    std::vector<int> connectors; // indices into SiteModel::chargers
    bool limited = false; // at least one connector is balanced: LinkRay sends this charge point profiles
    double startMinimum = 0.0; // the smallest minimum of its balanced connectors, in `unit`
    double failSafeLimit = 0.0; // its share of the site's fail-safe limit, in `unit`
    ProfilePurpose purpose = ProfilePurpose::ChargePointMax; // of LinkRay's profile for it
};

// The charge points of the site, in order of first appearance in SiteModel::chargers.
std::vector<ChargePointPlan> planChargePoints(const SiteModel& site);

// Sets the plan's startMinimum and failSafeLimit from its connectors and unit: for a plan narrowed to one connector
// (a TxProfile's), that connector's own.
void deriveLimits(const SiteModel& site, ChargePointPlan& plan);

// The charge point's limit for an allocation: per site phase the sum of what its connectors may draw there, the
// largest of the three (W: the sum). A connector LinkRay does not limit counts at its maximum.
ChargePointLimit targetLimit(const SiteModel& site, const ChargePointPlan& plan, const Allocation& allocation);

// What the charge point draws, measured the same way as targetLimit() limits it; none while no connector reports.
std::optional<double> measuredDraw(
    const SiteModel& site, const ChargePointPlan& plan, const QHash<ConnectorId, ConnectorState>& states);

} // namespace linkray::balancer
