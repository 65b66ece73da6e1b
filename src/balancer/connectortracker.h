#pragma once

#include "balancer/allocation.h"

#include <QHash>

#include <optional>

namespace linkray::balancer {

// What a charger reports about one connector: its StatusNotification and the latest MeterValues. An absent field
// leaves what is known unchanged.
struct ConnectorObservation {
    std::optional<QString> status; // ChargePointStatus: Available, Preparing, Charging, SuspendedEV, ...
    std::optional<PhaseValues> currentImportA; // Current.Import per charger phase L1..L3
    std::optional<double> powerActiveImportW; // Power.Active.Import
};

// The per-connector bookkeeping allocate() needs, kept from what chargers report and what the allocation decided.
class ConnectorTracker {
public:
    // True when the connector's status changed (a car came, went, or changed what it wants).
    bool observe(const ConnectorId& id, const ConnectorObservation& observation, const QDateTime& now);
    // Pause and resume times from the allocation's paused flags (they drive the rotation).
    void allocated(const Allocation& allocation, const QDateTime& now);
    // The limit in force for one connector (as far as LinkRay knows), for lending.
    void setApplied(const ConnectorId& id, std::optional<double> limit, int numberPhases);
    // Starts or ends each connector's under-drawing period (ConnectorState::belowLimitSince).
    void refreshBelowLimit(const SiteModel& site, const QDateTime& now);

    std::vector<ConnectorState> states() const;
    const QHash<ConnectorId, ConnectorState>& byId() const { return m_states; }

private:
    ConnectorState& state(const ConnectorId& id);

    QHash<ConnectorId, ConnectorState> m_states;
    QHash<ConnectorId, QString> m_statuses;
};

} // namespace linkray::balancer
