#pragma once

#include <QHashFunctions>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace linkray::balancer {

// A site phase (or a charger's own phase, before its rotation maps it to the site).
enum class Phase { L1, L2, L3 };

// One value per site phase L1, L2, L3 (index with phaseIndex()).
using PhaseValues = std::array<double, 3>;
// Per site phase as a meter reports it: empty where it gives no value ("not measured" is not 0).
using MeteredPhaseValues = std::array<std::optional<double>, 3>;

constexpr int phaseIndex(Phase phase)
{
    return static_cast<int>(phase);
}

// The purpose of LinkRay's own profile for a charge point (docs/balancing.md, "One limit per charge point").
enum class ProfilePurpose {
    ChargePointMax,
    TxDefault, // for chargers that ignore ChargePointMaxProfile but apply a TxDefaultProfile
    Tx, // for chargers that follow only a TxProfile: sent while a transaction runs, for that transaction
};

// The unit a charge point is limited in: A per phase (AC by default) or W (DC by default; docs/balancing.md,
// "Rate unit").
enum class RateUnit { Amperes, Watts };

enum class ChargerKind {
    Ac1Phase, // loads the site phase its L1 is wired to
    Ac3Phase, // limited in A per phase; the car may draw on fewer phases
    Dc, // limited in W; draws balanced three-phase power
};

// A connector as OCPP names it: the charge point's id and the connector id on it.
struct ConnectorId {
    QString chargePointId;
    int connectorId = 1;

    QString toString() const;
    friend bool operator==(const ConnectorId& a, const ConnectorId& b)
    {
        return a.connectorId == b.connectorId && a.chargePointId == b.chargePointId;
    }
    friend bool operator!=(const ConnectorId& a, const ConnectorId& b) { return !(a == b); }
};

inline size_t qHash(const ConnectorId& id, size_t seed = 0)
{
    return qHashMulti(seed, id.chargePointId, id.connectorId);
}

// A circuit with its own breaker. Its phases are the site's phases.
struct GroupConfig {
    QString id;
    std::optional<QString> parentId; // none: directly under the grid connection
    PhaseValues limitA {};
    std::optional<double> powerLimitW;
};

struct ChargerConfig {
    ConnectorId id;
    std::optional<QString> groupId; // none: directly under the grid connection
    int priority = 0; // higher is served first
    bool balancingEnabled = true;
    bool followsProfiles = true; // false: the charger is known to ignore the limits it is sent
    // The site phase each charger phase L1, L2, L3 is wired to.
    std::array<Phase, 3> phaseRotation {Phase::L1, Phase::L2, Phase::L3};
    ChargerKind kind = ChargerKind::Ac3Phase;
    double minCurrentA = 6.0; // AC: the pilot signal cannot ask for less
    double maxCurrentA = 32.0;
    double minPowerW = 0.0; // DC
    double maxPowerW = 50000.0;
    bool onePhaseFallback = false; // the charger accepts numberPhases = 1 in its schedule periods
    // Set per charge point: all its connectors share LinkRay's one profile on connector 0.
    ProfilePurpose profilePurpose = ProfilePurpose::ChargePointMax;
    // Set per charge point: the unit of LinkRay's profile for it; none: W with a DC connector, A otherwise.
    std::optional<RateUnit> rateUnit;

    bool isBalanced() const { return balancingEnabled && followsProfiles; }
};

// When a car leaves part of its limit unused, that part is lent to others (docs/balancing.md).
struct LendingRules {
    double belowLimitA = 1.0; // a car drawing more than this below its limit leaves capacity unused
    qint64 afterS = 60; // ... for at least this long
    double headroomA = 2.0; // the lender keeps its draw plus this, so that it can show it wants more
};

// The electrical installation as the balancer sees it. allocate() expects a validated model: unique ids, parents
// that exist, no cycles (app/ validates the configuration).
struct SiteModel {
    PhaseValues gridLimitA {}; // the grid connection's fuse per phase
    std::optional<double> powerLimitW; // contracted total power
    double safetyMarginA = 0.0; // kept free below every per-phase limit (site and groups)
    double nominalVoltageV = 230.0; // phase to neutral, converts A <-> W
    // Per-phase limit for all chargers together while the meter is stale: the house load is then unknown.
    PhaseValues failSafeLimitA {};
    std::vector<GroupConfig> groups;
    std::vector<ChargerConfig> chargers;
    LendingRules lending;
};

} // namespace linkray::balancer
