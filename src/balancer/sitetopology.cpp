#include "balancer/sitetopology.h"

#include <QHash>

#include <algorithm>

namespace linkray::balancer {

SiteTopology::SiteTopology(const SiteModel& site)
    : m_site(site)
{
    QHash<QString, int> nodeOfGroup;
    for (size_t i = 0; i < site.groups.size(); ++i)
        nodeOfGroup.insert(site.groups[i].id, static_cast<int>(i) + 1);
    const auto nodeOf
        = [&](const std::optional<QString>& groupId) { return groupId ? nodeOfGroup.value(*groupId, 0) : 0; };

    m_parent.reserve(site.groups.size() + 1);
    m_parent.push_back(-1);
    for (const GroupConfig& group : site.groups)
        m_parent.push_back(nodeOf(group.parentId));

    const auto powerLimit = [&](int node) { return node == 0 ? site.powerLimitW : site.groups[node - 1].powerLimitW; };
    for (int node = 0; node < nodeCount(); ++node)
        m_powerCapacity.push_back(powerLimit(node) ? nodeCount() * 3 + m_powerLimitCount++ : -1);

    m_chainOfNode.reserve(m_parent.size());
    for (int first = 0; first < nodeCount(); ++first) {
        std::vector<int> chain;
        // A validated model has no cycles; the bound keeps a broken one from hanging the control loop.
        for (int node = first; node >= 0 && chain.size() <= m_parent.size(); node = m_parent[node])
            chain.push_back(node);
        m_chainOfNode.push_back(std::move(chain));
    }
    m_nodeOfCharger.reserve(site.chargers.size());
    for (const ChargerConfig& charger : site.chargers)
        m_nodeOfCharger.push_back(nodeOf(charger.groupId));
}

Capacities SiteTopology::capacities(const PhaseValues& siteLimitA, const std::vector<PhaseValues>& load) const
{
    Capacities free(static_cast<size_t>(capacityCount()), 0.0);
    for (int node = 0; node < nodeCount(); ++node) {
        const PhaseValues& limitA = node == 0 ? siteLimitA : m_site.groups[node - 1].limitA;
        double loadW = 0.0;
        for (int phase = 0; phase < 3; ++phase) {
            free[phaseCapacity(node, phase)] = limitA[phase] - m_site.safetyMarginA - load[node][phase];
            loadW += load[node][phase] * m_site.nominalVoltageV;
        }
        if (m_powerCapacity[node] >= 0) {
            const double limitW = node == 0 ? *m_site.powerLimitW : *m_site.groups[node - 1].powerLimitW;
            free[m_powerCapacity[node]] = limitW - loadW;
        }
    }
    return free;
}

Flow SiteTopology::flow(int charger, const std::array<bool, 3>& sitePhases, double floor, double cap) const
{
    Flow result;
    result.floor = floor;
    result.cap = cap;
    const int phaseCount = static_cast<int>(std::count(sitePhases.begin(), sitePhases.end(), true));
    const std::vector<int>& nodes = chain(charger);
    result.loads.reserve(nodes.size() * 4); // three phases and a power limit per node at most
    for (int node : nodes) {
        for (int phase = 0; phase < 3; ++phase) {
            if (sitePhases[phase])
                result.loads.push_back({phaseCapacity(node, phase), 1.0});
        }
        if (m_powerCapacity[node] >= 0)
            result.loads.push_back({m_powerCapacity[node], phaseCount * m_site.nominalVoltageV});
    }
    return result;
}

PhaseValues measuredOnSitePhases(const SiteModel& site, const ChargerConfig& charger, const ConnectorState& state)
{
    PhaseValues draw {};
    if (charger.kind == ChargerKind::Dc) {
        draw.fill(state.measuredPowerW.value_or(0.0) / (3.0 * site.nominalVoltageV));
        return draw;
    }
    if (!state.measuredA)
        return draw;
    const int chargerPhases = charger.kind == ChargerKind::Ac1Phase ? 1 : 3;
    for (int phase = 0; phase < chargerPhases; ++phase)
        draw[phaseIndex(charger.phaseRotation[phase])] += (*state.measuredA)[phase];
    return draw;
}

} // namespace linkray::balancer
