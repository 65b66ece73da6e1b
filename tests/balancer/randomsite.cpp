#include "randomsite.h"

#include <algorithm>

using namespace linkray::balancer;

namespace {

const QDateTime kNow = QDateTime::fromString(QStringLiteral("2024-05-01T12:00:00Z"), Qt::ISODate);

double between(QRandomGenerator& random, double low, double high)
{
    return low + random.generateDouble() * (high - low);
}
bool chance(QRandomGenerator& random, double probability)
{
    return random.generateDouble() < probability;
}

PhaseValues phases(QRandomGenerator& random, double low, double high)
{
    return {between(random, low, high), between(random, low, high), between(random, low, high)};
}

ChargerConfig randomCharger(QRandomGenerator& random, int index, const std::optional<QString>& group)
{
    ChargerConfig charger;
    charger.id = {QStringLiteral("cp%1").arg(index), 1};
    charger.groupId = group;
    charger.priority = random.bounded(3);
    charger.balancingEnabled = !chance(random, 0.1);
    charger.followsProfiles = !chance(random, 0.05);
    std::array<Phase, 3> rotation {Phase::L1, Phase::L2, Phase::L3};
    std::rotate(rotation.begin(), rotation.begin() + random.bounded(3), rotation.end());
    if (chance(random, 0.5))
        std::swap(rotation[1], rotation[2]);
    charger.phaseRotation = rotation;
    const int kind = random.bounded(10);
    charger.kind = kind < 6 ? ChargerKind::Ac3Phase : kind < 8 ? ChargerKind::Ac1Phase : ChargerKind::Dc;
    charger.minCurrentA = chance(random, 0.8) ? 6.0 : 8.0;
    charger.maxCurrentA = chance(random, 0.1) ? charger.minCurrentA : between(random, 10.0, 32.0);
    charger.minPowerW = chance(random, 0.3) ? 0.0 : between(random, 1000.0, 5000.0);
    charger.maxPowerW = between(random, 10000.0, 60000.0);
    charger.onePhaseFallback = chance(random, 0.5);
    return charger;
}

// A state as the control loop would report it, with the measured draw added to the site meter's reading.
ConnectorState randomState(
    QRandomGenerator& random, const SiteModel& site, const ChargerConfig& charger, PhaseValues& siteCurrentA)
{
    ConnectorState state;
    state.id = charger.id;
    state.wantsPower = chance(random, 0.85);
    if (chance(random, 0.3))
        state.pausedSince = kNow.addSecs(-random.bounded(3600));
    else if (chance(random, 0.8))
        state.chargingSince = kNow.addSecs(-random.bounded(7200));
    const bool drawing = state.wantsPower ? !state.pausedSince : chance(random, 0.1);
    if (charger.kind == ChargerKind::Dc) {
        state.measuredPowerW = drawing ? between(random, 0.0, charger.maxPowerW) : 0.0;
        for (double& phase : siteCurrentA)
            phase += *state.measuredPowerW / (3.0 * site.nominalVoltageV);
        return state;
    }
    state.appliedNumberPhases = charger.kind == ChargerKind::Ac3Phase && chance(random, 0.1) ? 1 : 3;
    const bool onePhaseCar
        = charger.kind == ChargerKind::Ac1Phase || state.appliedNumberPhases == 1 || chance(random, 0.3);
    const double current = drawing ? between(random, 0.0, charger.maxCurrentA) : 0.0;
    state.measuredA = PhaseValues {current, onePhaseCar ? 0.0 : current, onePhaseCar ? 0.0 : current};
    for (int phase = 0; phase < 3; ++phase)
        siteCurrentA[phaseIndex(charger.phaseRotation[phase])] += (*state.measuredA)[phase];
    return state;
}

// Adds states for the chargers, the meter reading and the house load.
void addInput(QRandomGenerator& random, RandomSite& generated, bool meter)
{
    AllocationInput& input = generated.input;
    input.now = kNow;
    input.rotationIntervalS = 900;
    PhaseValues siteCurrentA = meter ? phases(random, 0.0, 30.0) : PhaseValues {};
    generated.houseA = siteCurrentA;
    for (const ChargerConfig& charger : generated.site.chargers) {
        if (chance(random, 0.95))
            input.connectors.push_back(randomState(random, generated.site, charger, siteCurrentA));
    }
    if (meter)
        input.siteCurrentA = siteCurrentA;
}

} // namespace

RandomSite randomSite(QRandomGenerator& random)
{
    RandomSite generated;
    SiteModel& site = generated.site;
    site.gridLimitA = phases(random, 20.0, 120.0);
    if (chance(random, 0.3))
        site.powerLimitW = between(random, 10000.0, 80000.0);
    site.safetyMarginA = between(random, 0.0, 4.0);
    site.failSafeLimitA = phases(random, 10.0, 40.0);
    const int groups = random.bounded(8);
    for (int i = 0; i < groups; ++i) {
        GroupConfig group;
        group.id = QStringLiteral("g%1").arg(i);
        if (i > 0 && chance(random, 0.6))
            group.parentId = QStringLiteral("g%1").arg(random.bounded(i));
        group.limitA = phases(random, 10.0, 80.0);
        if (chance(random, 0.2))
            group.powerLimitW = between(random, 5000.0, 40000.0);
        site.groups.push_back(group);
    }
    const int chargers = 1 + random.bounded(16);
    for (int i = 0; i < chargers; ++i) {
        const int group = random.bounded(groups + 1);
        site.chargers.push_back(
            randomCharger(random, i, group < groups ? std::optional<QString>(site.groups[group].id) : std::nullopt));
    }

    const bool meter = chance(random, 0.6);
    addInput(random, generated, meter);
    generated.input.meterStale = meter && chance(random, 0.15);
    if (generated.input.meterStale)
        generated.houseA = {};
    if (chance(random, 0.25))
        generated.input.dynamicLimit
            = DynamicLimit {phases(random, 10.0, 100.0), std::nullopt, kNow.addSecs(random.bounded(-600, 600))};
    return generated;
}

RandomSite treeSite(int chargers, QRandomGenerator& random)
{
    RandomSite generated;
    SiteModel& site = generated.site;
    // Scarce on purpose: about 10 A per connector at the grid connection, so that every level of limits binds.
    site.gridLimitA.fill(10.0 * chargers);
    site.safetyMarginA = 2.0;
    const int leaves = (chargers + 9) / 10;
    const int middles = (leaves + 2) / 3;
    const int tops = (middles + 2) / 3;
    for (int i = 0; i < tops; ++i)
        site.groups.push_back(
            {QStringLiteral("top%1").arg(i), std::nullopt, PhaseValues {250, 250, 250}, std::nullopt});
    for (int i = 0; i < middles; ++i)
        site.groups.push_back({QStringLiteral("mid%1").arg(i), QStringLiteral("top%1").arg(i / 3),
            PhaseValues {100, 100, 100}, std::nullopt});
    for (int i = 0; i < leaves; ++i)
        site.groups.push_back(
            {QStringLiteral("leaf%1").arg(i), QStringLiteral("mid%1").arg(i / 3), PhaseValues {63, 63, 63}, 30000.0});
    for (int i = 0; i < chargers; ++i) {
        ChargerConfig charger = randomCharger(random, i, QStringLiteral("leaf%1").arg(i / 10));
        charger.balancingEnabled = true;
        charger.followsProfiles = true;
        site.chargers.push_back(charger);
    }
    addInput(random, generated, true);
    for (ConnectorState& state : generated.input.connectors)
        state.wantsPower = true;
    return generated;
}
