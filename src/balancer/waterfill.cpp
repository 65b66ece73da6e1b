#include "balancer/waterfill.h"

#include <queue>

#include <algorithm>
#include <limits>
#include <numeric>

namespace linkray::balancer {

namespace {

constexpr double kTolerance = 1e-9;
constexpr double kNever = std::numeric_limits<double>::infinity();

enum class FlowState { Waiting, Growing, Frozen };

// When a capacity runs out, given its use at level t: fixed + slope * t beyond what the floors took.
struct Exhaustion {
    double level;
    int capacity;
    int version; // stale when the capacity's slope changed since
    bool operator>(const Exhaustion& other) const { return level > other.level; }
};

// The event-driven filling: each flow starts growing when the water level reaches its floor and stops at its
// cap or when a capacity it loads runs out. Capacities are kept in a heap by the level at which they run out, so
// a site of n connectors costs O(n log n).
class Filler {
public:
    Filler(Capacities& capacities, const std::vector<Flow*>& flows)
        : m_capacities(capacities)
        , m_flows(flows)
        , m_state(flows.size(), FlowState::Waiting)
        , m_fixed(capacities.size(), 0.0)
        , m_slope(capacities.size(), 0.0)
        , m_version(capacities.size(), 0)
        , m_pending(capacities.size(), false)
        , m_exhausted(capacities.size(), false)
        , m_members(capacities.size())
    {
        std::vector<size_t> memberCount(capacities.size(), 0);
        for (const Flow* flow : flows) {
            for (const Load& load : flow->loads)
                ++memberCount[static_cast<size_t>(load.capacity)];
        }
        for (size_t capacity = 0; capacity < capacities.size(); ++capacity)
            m_members[capacity].reserve(memberCount[capacity]);
        for (size_t i = 0; i < flows.size(); ++i) {
            for (const Load& load : flows[i]->loads)
                m_members[load.capacity].push_back(static_cast<int>(i));
        }
    }

    void run()
    {
        std::vector<int> byFloor(m_flows.size());
        std::iota(byFloor.begin(), byFloor.end(), 0);
        std::vector<int> byCap = byFloor;
        std::sort(
            byFloor.begin(), byFloor.end(), [this](int a, int b) { return m_flows[a]->floor < m_flows[b]->floor; });
        std::sort(byCap.begin(), byCap.end(), [this](int a, int b) { return m_flows[a]->cap < m_flows[b]->cap; });

        size_t nextFloor = 0;
        size_t nextCap = 0;
        size_t active = m_flows.size();
        while (active > 0) {
            while (nextFloor < byFloor.size() && m_state[byFloor[nextFloor]] != FlowState::Waiting)
                ++nextFloor;
            // A waiting flow here has its floor (<= its cap) next, and floors are handled first.
            while (nextCap < byCap.size() && m_state[byCap[nextCap]] == FlowState::Frozen)
                ++nextCap;
            while (!m_heap.empty()
                && (m_exhausted[m_heap.top().capacity] || m_heap.top().version != m_version[m_heap.top().capacity]))
                m_heap.pop();

            const double floorLevel = nextFloor < byFloor.size() ? m_flows[byFloor[nextFloor]]->floor : kNever;
            const double capLevel = nextCap < byCap.size() ? m_flows[byCap[nextCap]]->cap : kNever;
            const double exhaustLevel = m_heap.empty() ? kNever : m_heap.top().level;

            // Flows that reach their cap or floor at the same level are handled together, and the capacities they
            // load rescheduled once: with many equal minimums and maximums that is most of the work.
            // Floors first on a tie, so that a flow whose cap is its floor is growing when its cap is handled.
            if (floorLevel <= capLevel && floorLevel <= exhaustLevel) {
                m_level = std::max(m_level, floorLevel);
                for (; nextFloor < byFloor.size() && m_flows[byFloor[nextFloor]]->floor <= floorLevel; ++nextFloor) {
                    if (m_state[byFloor[nextFloor]] == FlowState::Waiting)
                        start(byFloor[nextFloor]);
                }
            } else if (capLevel <= exhaustLevel) {
                m_level = std::max(m_level, capLevel);
                for (; nextCap < byCap.size() && m_flows[byCap[nextCap]]->cap <= capLevel; ++nextCap) {
                    if (m_state[byCap[nextCap]] == FlowState::Growing) {
                        freeze(byCap[nextCap], true);
                        --active;
                    }
                }
            } else {
                m_level = std::max(m_level, exhaustLevel);
                const int capacity = m_heap.top().capacity;
                m_exhausted[capacity] = true;
                for (int member : m_members[capacity]) {
                    if (m_state[member] != FlowState::Frozen) {
                        freeze(member, false);
                        --active;
                    }
                }
            }
            for (int capacity : m_changed)
                schedule(capacity);
            m_changed.clear();
        }
        for (Flow* flow : m_flows)
            take(m_capacities, *flow, flow->level - flow->floor);
    }

private:
    void start(int index)
    {
        m_state[index] = FlowState::Growing;
        const Flow& flow = *m_flows[index];
        for (const Load& load : flow.loads) {
            m_fixed[load.capacity] -= load.weight * flow.floor;
            m_slope[load.capacity] += load.weight;
            changed(load.capacity);
        }
    }

    void freeze(int index, bool byCap)
    {
        Flow& flow = *m_flows[index];
        const bool wasGrowing = m_state[index] == FlowState::Growing;
        m_state[index] = FlowState::Frozen;
        flow.stoppedByCap = byCap;
        flow.level = wasGrowing ? std::min(m_level, flow.cap) : flow.floor;
        if (!wasGrowing)
            return;
        for (const Load& load : flow.loads) {
            m_fixed[load.capacity] += load.weight * flow.level;
            m_slope[load.capacity] -= load.weight;
            changed(load.capacity);
        }
    }

    void changed(int capacity)
    {
        if (!m_pending[capacity]) {
            m_pending[capacity] = true;
            ++m_version[capacity]; // invalidates what the heap holds for it; schedule() adds the new level
            m_changed.push_back(capacity);
        }
    }

    void schedule(int capacity)
    {
        m_pending[capacity] = false;
        if (m_exhausted[capacity] || m_slope[capacity] <= kTolerance)
            return;
        const double level = (m_capacities[capacity] - m_fixed[capacity]) / m_slope[capacity];
        m_heap.push({std::max(level, m_level), capacity, m_version[capacity]});
    }

    Capacities& m_capacities;
    const std::vector<Flow*>& m_flows;
    std::vector<FlowState> m_state;
    std::vector<double> m_fixed;
    std::vector<double> m_slope;
    std::vector<int> m_version;
    std::vector<bool> m_pending; // in m_changed, to be rescheduled once the current event is handled
    std::vector<int> m_changed;
    std::vector<bool> m_exhausted;
    std::vector<std::vector<int>> m_members;
    std::priority_queue<Exhaustion, std::vector<Exhaustion>, std::greater<Exhaustion>> m_heap;
    double m_level = 0.0;
};

} // namespace

bool fits(const Capacities& capacities, const Flow& flow, double level)
{
    return std::all_of(flow.loads.begin(), flow.loads.end(),
        [&](const Load& load) { return capacities[load.capacity] - load.weight * level >= -kTolerance; });
}

void take(Capacities& capacities, const Flow& flow, double level)
{
    for (const Load& load : flow.loads)
        capacities[load.capacity] -= load.weight * level;
}

void fillFairly(Capacities& capacities, const std::vector<Flow*>& flows)
{
    Filler(capacities, flows).run();
}

} // namespace linkray::balancer
