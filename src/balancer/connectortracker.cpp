#include "balancer/connectortracker.h"

namespace linkray::balancer {

namespace {

// A car that is charging, or that the charger or the car holds back for now: it wants its share. Preparing does
// not count: a card swiped without a car would hold capacity until the charger gives up.
bool wantsPower(const QString& status)
{
    return status == QLatin1String("Charging") || status == QLatin1String("SuspendedEV")
        || status == QLatin1String("SuspendedEVSE");
}

} // namespace

ConnectorState& ConnectorTracker::state(const ConnectorId& id)
{
    auto it = m_states.find(id);
    if (it == m_states.end()) {
        ConnectorState fresh;
        fresh.id = id;
        it = m_states.insert(id, fresh);
    }
    return *it;
}

bool ConnectorTracker::observe(const ConnectorId& id, const ConnectorObservation& observation, const QDateTime& now)
{
    ConnectorState& connector = state(id);
    const bool changed = observation.status && observation.status != m_statuses.value(id);
    if (changed) {
        m_statuses.insert(id, *observation.status);
        const bool wants = wantsPower(*observation.status);
        if (wants && !connector.wantsPower)
            connector.chargingSince = now;
        if (!wants) {
            // No car, no draw: a last reading kept from the session would count as load for ever.
            connector.measuredA.reset();
            connector.measuredPowerW.reset();
            connector.pausedSince.reset();
            connector.chargingSince.reset();
        }
        connector.wantsPower = wants;
    }
    if (observation.currentImportA)
        connector.measuredA = observation.currentImportA;
    if (observation.powerActiveImportW)
        connector.measuredPowerW = observation.powerActiveImportW;
    return changed;
}

void ConnectorTracker::allocated(const Allocation& allocation, const QDateTime& now)
{
    for (const ConnectorAllocation& decided : allocation.connectors) {
        const auto it = m_states.find(decided.id);
        if (it == m_states.end() || !it->wantsPower)
            continue;
        if (decided.paused && !it->pausedSince) {
            it->pausedSince = now;
        } else if (!decided.paused && it->pausedSince) {
            it->pausedSince.reset();
            it->chargingSince = now;
        }
    }
}

void ConnectorTracker::setApplied(const ConnectorId& id, std::optional<double> limit, int numberPhases)
{
    ConnectorState& connector = state(id);
    connector.appliedLimit = limit;
    connector.appliedNumberPhases = numberPhases;
}

void ConnectorTracker::refreshBelowLimit(const SiteModel& site, const QDateTime& now)
{
    for (const ChargerConfig& charger : site.chargers) {
        const auto it = m_states.find(charger.id);
        if (it == m_states.end())
            continue;
        if (!drawsBelowLimit(site, charger, *it))
            it->belowLimitSince.reset();
        else if (!it->belowLimitSince)
            it->belowLimitSince = now;
    }
}

std::vector<ConnectorState> ConnectorTracker::states() const
{
    return {m_states.cbegin(), m_states.cend()};
}

} // namespace linkray::balancer
