#include "balancer/chargepointlimits.h"

#include <algorithm>
#include <limits>

namespace linkray::balancer {

namespace {

// Adds up connectors of one charge point per site phase (A) and in total (W).
class Tally {
public:
    explicit Tally(const SiteModel& site)
        : m_site(site)
    {
    }

    void addAc(const ChargerConfig& charger, const PhaseValues& chargerPhaseA)
    {
        const int phases = charger.kind == ChargerKind::Ac1Phase ? 1 : 3;
        for (int phase = 0; phase < phases; ++phase) {
            m_siteA[static_cast<size_t>(phaseIndex(charger.phaseRotation[static_cast<size_t>(phase)]))]
                += chargerPhaseA[static_cast<size_t>(phase)];
            m_watts += chargerPhaseA[static_cast<size_t>(phase)] * m_site.nominalVoltageV;
        }
    }
    void addDc(double watts) { m_watts += watts; }

    // A limit or draw in the connector's own unit (A per phase, W for DC), on numberPhases phases.
    void add(const ChargerConfig& charger, double value, int numberPhases)
    {
        if (charger.kind == ChargerKind::Dc)
            addDc(value);
        else if (numberPhases == 1)
            addAc(charger, {value, 0.0, 0.0});
        else
            addAc(charger, {value, value, value});
    }

    double total(RateUnit unit) const
    {
        return unit == RateUnit::Watts ? m_watts : *std::max_element(m_siteA.begin(), m_siteA.end());
    }

private:
    const SiteModel& m_site;
    PhaseValues m_siteA {};
    double m_watts = 0.0;
};

double maximum(const ChargerConfig& charger)
{
    return charger.kind == ChargerKind::Dc ? charger.maxPowerW : charger.maxCurrentA;
}

// All chargers lose LinkRay together, so their fallbacks together stay within the limit the site trusts without a
// meter: an equal share per balanced connector, or nothing where that share is below a connector's minimum.
double failSafeShare(const SiteModel& site, const ChargerConfig& charger, double shareA)
{
    if (charger.kind != ChargerKind::Dc)
        return shareA >= charger.minCurrentA ? std::min(shareA, charger.maxCurrentA) : 0.0;
    const double watts = shareA * 3.0 * site.nominalVoltageV;
    return watts >= charger.minPowerW ? std::min(watts, charger.maxPowerW) : 0.0;
}

} // namespace

std::vector<ChargePointPlan> planChargePoints(const SiteModel& site)
{
    std::vector<ChargePointPlan> plans;
    for (int index = 0; index < static_cast<int>(site.chargers.size()); ++index) {
        const ChargerConfig& charger = site.chargers[static_cast<size_t>(index)];
        auto plan = std::find_if(
            plans.begin(), plans.end(), [&](const ChargePointPlan& p) { return p.id == charger.id.chargePointId; });
        if (plan == plans.end()) {
            ChargePointPlan fresh;
            fresh.id = charger.id.chargePointId;
            fresh.purpose = charger.profilePurpose;
            plan = plans.insert(plans.end(), fresh);
        }
        plan->connectors.push_back(index);
        plan->limited = plan->limited || charger.isBalanced();
        if (charger.kind == ChargerKind::Dc)
            plan->unit = RateUnit::Watts;
    }
    for (ChargePointPlan& plan : plans) {
        if (const std::optional<RateUnit> unit = site.chargers[static_cast<size_t>(plan.connectors.front())].rateUnit)
            plan.unit = *unit;
        deriveLimits(site, plan);
    }
    return plans;
}

void deriveLimits(const SiteModel& site, ChargePointPlan& plan)
{
    const auto balanced = std::count_if(
        site.chargers.begin(), site.chargers.end(), [](const ChargerConfig& c) { return c.isBalanced(); });
    const double shareA = balanced == 0
        ? 0.0
        : *std::min_element(site.failSafeLimitA.begin(), site.failSafeLimitA.end()) / static_cast<double>(balanced);
    Tally failSafe(site);
    double startMinimum = std::numeric_limits<double>::max();
    bool limited = false;
    for (int index : plan.connectors) {
        const ChargerConfig& charger = site.chargers[static_cast<size_t>(index)];
        failSafe.add(charger, charger.isBalanced() ? failSafeShare(site, charger, shareA) : maximum(charger), 3);
        if (!charger.isBalanced())
            continue;
        limited = true;
        Tally own(site);
        own.add(charger, charger.kind == ChargerKind::Dc ? charger.minPowerW : charger.minCurrentA, 3);
        startMinimum = std::min(startMinimum, own.total(plan.unit));
    }
    plan.failSafeLimit = roundDownLimit(failSafe.total(plan.unit));
    plan.startMinimum = limited ? startMinimum : 0.0;
}

ChargePointLimit targetLimit(const SiteModel& site, const ChargePointPlan& plan, const Allocation& allocation)
{
    Tally tally(site);
    // The period's numberPhases is for the 3-phase connectors: 1 only when each of them that may charge is at 1.
    bool onePhase = false;
    bool threePhase = plan.unit == RateUnit::Watts;
    for (int index : plan.connectors) {
        const ChargerConfig& charger = site.chargers[static_cast<size_t>(index)];
        const ConnectorAllocation* connector = allocation.find(charger.id);
        if (!connector || !connector->limit) {
            tally.add(charger, maximum(charger), 3);
            threePhase = threePhase || charger.kind == ChargerKind::Ac3Phase;
            continue;
        }
        tally.add(charger, *connector->limit, connector->numberPhases);
        if (charger.kind == ChargerKind::Ac3Phase && *connector->limit > 0.0) {
            onePhase = onePhase || connector->numberPhases == 1;
            threePhase = threePhase || connector->numberPhases != 1;
        }
    }
    return {roundDownLimit(tally.total(plan.unit)), onePhase && !threePhase ? 1 : 3};
}

std::optional<double> measuredDraw(
    const SiteModel& site, const ChargePointPlan& plan, const QHash<ConnectorId, ConnectorState>& states)
{
    Tally tally(site);
    bool reported = false;
    for (int index : plan.connectors) {
        const ChargerConfig& charger = site.chargers[static_cast<size_t>(index)];
        const auto state = states.constFind(charger.id);
        if (state == states.cend())
            continue;
        if (charger.kind == ChargerKind::Dc && state->measuredPowerW) {
            tally.addDc(*state->measuredPowerW);
            reported = true;
        } else if (charger.kind != ChargerKind::Dc && state->measuredA) {
            tally.addAc(charger, *state->measuredA);
            reported = true;
        }
    }
    return reported ? std::optional<double>(tally.total(plan.unit)) : std::nullopt;
}

} // namespace linkray::balancer
