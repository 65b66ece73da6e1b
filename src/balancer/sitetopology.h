#pragma once

#include "balancer/allocation.h"
#include "balancer/waterfill.h"

#include <vector>

namespace linkray::balancer {

// Internal to the balancer: the site's limits as indexed capacities, and how a connector loads them.
class SiteTopology {
public:
    explicit SiteTopology(const SiteModel& site);

    int nodeCount() const { return static_cast<int>(m_parent.size()); } // node 0 is the grid connection
    int phaseCapacity(int node, int sitePhase) const { return node * 3 + sitePhase; }
    int capacityCount() const { return static_cast<int>(m_powerCapacity.size()) * 3 + m_powerLimitCount; }

    // The nodes whose limits a charger's draw passes through: its group, that group's parents, the site.
    const std::vector<int>& chain(int charger) const
    {
        return m_chainOfNode[static_cast<size_t>(m_nodeOfCharger[static_cast<size_t>(charger)])];
    }

    // Free capacity per limit once the site's other load is counted: `load` holds, per node and site phase,
    // what is not the balanced connectors' (house load at node 0, unbalanced chargers everywhere).
    Capacities capacities(const PhaseValues& siteLimitA, const std::vector<PhaseValues>& load) const;

    // The flow of a connector that loads these site phases, in A per phase.
    Flow flow(int charger, const std::array<bool, 3>& sitePhases, double floor, double cap) const;

private:
    const SiteModel& m_site;
    std::vector<int> m_parent;
    std::vector<int> m_powerCapacity; // per node, -1 without a power limit
    int m_powerLimitCount = 0;
    // Chains are per group, not per charger: a site of 1,000 chargers in a few groups builds a few of them.
    std::vector<std::vector<int>> m_chainOfNode;
    std::vector<int> m_nodeOfCharger; // the node of the charger's group, 0 for the site
};

// The site phases a charger's measured draw lands on, in A (a DC charger's power spread over three phases).
PhaseValues measuredOnSitePhases(const SiteModel& site, const ChargerConfig& charger, const ConnectorState& state);

} // namespace linkray::balancer
