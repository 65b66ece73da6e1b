#pragma once

#include "balancer/sitemodel.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace linkray::balancer {

// What the control loop knows about one connector at the time of an allocation.
struct ConnectorState {
    ConnectorId id;
    bool wantsPower = false; // a car is plugged in and charging or asking to
    // Current.Import per charger phase L1..L3 (before rotation) from MeterValues; shows how many phases a car uses.
    std::optional<PhaseValues> measuredA;
    std::optional<double> measuredPowerW; // DC
    std::optional<double> appliedLimit; // in force now: A per phase (AC) or W (DC)
    int appliedNumberPhases = 3; // in force now; while 1, the phases a car draws on say nothing about the car
    std::optional<QDateTime> pausedSince; // set while the balancer keeps it paused
    std::optional<QDateTime> chargingSince; // last start or resume; none: charging for an unknown, long time
    // Since when the car has drawn less than drawsBelowLimit() says, as tracked by the control loop.
    std::optional<QDateTime> belowLimitSince;
};

// A limit set through the service layer (an external energy manager); it applies on top of the fixed one.
struct DynamicLimit {
    PhaseValues limitA {};
    std::optional<double> powerLimitW; // total site power, on top of SiteModel::powerLimitW
    QDateTime expiresAt;
};

struct AllocationInput {
    QDateTime now;
    std::optional<PhaseValues> siteCurrentA; // the site meter, EVs included; none: static limit, no meter
    bool meterStale = false; // the meter stopped answering or is not trusted: use SiteModel::failSafeLimitA
    // Per site phase: the meter gave no current there (a register map without it, a reading that lacks it). The house
    // load on that phase is unknown, so the phase is treated as stale: the fail-safe limit, the reading ignored.
    std::array<bool, 3> unmeasuredPhases {};
    std::optional<DynamicLimit> dynamicLimit;
    qint64 rotationIntervalS = 900;
    std::vector<ConnectorState> connectors; // a charger without a state here is idle
};

struct ConnectorAllocation {
    ConnectorId id;
    std::optional<double> limit; // A per phase (AC) or W (DC); none: LinkRay does not limit it
    int numberPhases = 3;
    bool paused = false;
    QString reason; // short, for the UI and the log
};

struct Allocation {
    std::vector<ConnectorAllocation> connectors; // in SiteModel::chargers order
    PhaseValues roomA {}; // per site phase, for the balanced connectors (may be negative when overloaded)
    PhaseValues allocatedA {}; // per site phase, to the balanced connectors
    bool failSafe = false; // the meter was stale or missed a phase: the fail-safe limit was used (on that phase)

    const ConnectorAllocation* find(const ConnectorId& id) const;
};

// Decides a limit for every connector of the site. Pure: no I/O, no clock; docs/balancing.md explains the rules.
Allocation allocate(const SiteModel& site, const AllocationInput& input);

// Whether the car leaves part of its applied limit unused right now. The control loop keeps
// ConnectorState::belowLimitSince while this holds and clears it when it does not.
bool drawsBelowLimit(const SiteModel& site, const ChargerConfig& charger, const ConnectorState& state);

} // namespace linkray::balancer
