#include "balancer/allocation.h"

#include "balancer/sitetopology.h"
#include "balancer/waterfill.h"

#include <QHash>

#include <algorithm>
#include <limits>
#include <tuple>

namespace linkray::balancer {

namespace {

// A phase on which a car draws more than this is in use; below it a reading is noise or a car that is not drawing.
constexpr double kDrawingA = 1.0;
constexpr double kTolerance = 1e-9;

// Rotation order within one priority level, first served first (docs/balancing.md, "Pause and rotation").
enum class Turn {
    ChargingRecently, // resumed less than a rotation interval ago: not paused again yet
    PausedLongEnough, // waited a rotation interval: takes the place of one that charged long enough
    ChargingLong,
    PausedRecently,
};

// A balanced connector with a car that wants power.
struct Candidate {
    int charger = 0;
    const ConnectorState* state = nullptr;
    Turn turn = Turn::ChargingLong;
    qint64 turnKey = 0; // within a turn, smaller first
    std::array<bool, 3> sitePhases {}; // where the car draws
    bool lends = false;
    Flow flow;
    bool admitted = false;
    bool onePhase = false;
};

double perPhaseFromW(const SiteModel& site, double watts)
{
    return watts / (3.0 * site.nominalVoltageV);
}

double measuredDraw(const ChargerConfig& charger, const ConnectorState& state)
{
    if (charger.kind == ChargerKind::Dc)
        return state.measuredPowerW.value_or(0.0);
    if (!state.measuredA)
        return 0.0;
    const int phases = charger.kind == ChargerKind::Ac1Phase ? 1 : 3;
    return *std::max_element(state.measuredA->begin(), state.measuredA->begin() + phases);
}

// A 3-phase car may draw on 1 or 2 phases; one that draws nothing yet may start on all three.
std::array<bool, 3> loadedSitePhases(const ChargerConfig& charger, const ConnectorState& state)
{
    std::array<bool, 3> phases {};
    if (charger.kind == ChargerKind::Dc)
        return {true, true, true};
    if (charger.kind == ChargerKind::Ac1Phase) {
        phases[phaseIndex(charger.phaseRotation[0])] = true;
        return phases;
    }
    const bool drawing = state.measuredA && state.appliedNumberPhases != 1
        && std::any_of(state.measuredA->begin(), state.measuredA->end(), [](double a) { return a > kDrawingA; });
    for (int phase = 0; phase < 3; ++phase)
        phases[phaseIndex(charger.phaseRotation[phase])] = !drawing || (*state.measuredA)[phase] > kDrawingA;
    return phases;
}

void assignTurn(Candidate& candidate, const AllocationInput& input)
{
    const ConnectorState& state = *candidate.state;
    const qint64 intervalMs = input.rotationIntervalS * 1000;
    if (state.pausedSince) {
        const qint64 waitedMs = state.pausedSince->msecsTo(input.now);
        candidate.turn = waitedMs >= intervalMs ? Turn::PausedLongEnough : Turn::PausedRecently;
        candidate.turnKey = -waitedMs; // longest waiting first
    } else if (state.chargingSince) {
        const qint64 chargedMs = state.chargingSince->msecsTo(input.now);
        candidate.turn = chargedMs < intervalMs ? Turn::ChargingRecently : Turn::ChargingLong;
        candidate.turnKey = chargedMs; // longest charging last, so paused first
    } else {
        candidate.turn = Turn::ChargingLong;
        candidate.turnKey = std::numeric_limits<qint64>::max();
    }
}

bool lends(const SiteModel& site, const ChargerConfig& charger, const ConnectorState& state, const QDateTime& now)
{
    return state.belowLimitSince && state.belowLimitSince->secsTo(now) >= site.lending.afterS
        && drawsBelowLimit(site, charger, state);
}

Candidate makeCandidate(const SiteModel& site, const SiteTopology& topology, const AllocationInput& input, int index,
    const ConnectorState& state)
{
    const ChargerConfig& charger = site.chargers[static_cast<size_t>(index)];
    const bool dc = charger.kind == ChargerKind::Dc;
    Candidate candidate;
    candidate.charger = index;
    candidate.state = &state;
    assignTurn(candidate, input);
    candidate.sitePhases = loadedSitePhases(charger, state);
    const double floor = dc ? perPhaseFromW(site, charger.minPowerW) : charger.minCurrentA;
    double cap = dc ? perPhaseFromW(site, charger.maxPowerW) : charger.maxCurrentA;
    if (lends(site, charger, state, input.now)) {
        const double drawPerPhase
            = dc ? perPhaseFromW(site, measuredDraw(charger, state)) : measuredDraw(charger, state);
        const double lentCap = std::clamp(drawPerPhase + site.lending.headroomA, floor, cap);
        candidate.lends = lentCap < cap;
        cap = lentCap;
    }
    candidate.flow = topology.flow(index, candidate.sitePhases, floor, cap);
    return candidate;
}

// Site limit per phase in force now: the fixed one, a dynamic one until it expires, the fail-safe one when stale or
// not measured.
PhaseValues siteLimit(const SiteModel& site, const AllocationInput& input)
{
    PhaseValues limit = site.gridLimitA;
    const bool dynamicValid = input.dynamicLimit && input.now < input.dynamicLimit->expiresAt;
    for (int phase = 0; phase < 3; ++phase) {
        if (dynamicValid)
            limit[phase] = std::min(limit[phase], input.dynamicLimit->limitA[phase]);
        if (input.meterStale || input.unmeasuredPhases[phase])
            limit[phase] = std::min(limit[phase], site.failSafeLimitA[phase]);
    }
    return limit;
}

// Admits a level's candidates in turn order while each still fits at its minimum (on one phase if it may fall back
// to one), then shares what is left fairly among those admitted.
void serveLevel(
    const SiteModel& site, const SiteTopology& topology, Capacities& free, const std::vector<Candidate*>& level)
{
    std::vector<Flow*> admitted;
    admitted.reserve(level.size());
    for (Candidate* candidate : level) {
        const ChargerConfig& charger = site.chargers[static_cast<size_t>(candidate->charger)];
        Flow* flow = &candidate->flow;
        if (!fits(free, *flow, flow->floor) && charger.kind == ChargerKind::Ac3Phase && charger.onePhaseFallback) {
            std::array<bool, 3> onePhase {};
            onePhase[phaseIndex(charger.phaseRotation[0])] = true;
            Flow fallback = topology.flow(candidate->charger, onePhase, flow->floor, flow->cap);
            if (onePhase != candidate->sitePhases && fits(free, fallback, fallback.floor)) {
                candidate->flow = std::move(fallback);
                candidate->sitePhases = onePhase;
                candidate->onePhase = true;
            }
        }
        if (!fits(free, *flow, flow->floor))
            continue;
        take(free, *flow, flow->floor);
        candidate->admitted = true;
        admitted.push_back(flow);
    }
    fillFairly(free, admitted);
}

ConnectorAllocation allocationOf(const SiteModel& site, const Candidate& candidate)
{
    const ChargerConfig& charger = site.chargers[static_cast<size_t>(candidate.charger)];
    const bool dc = charger.kind == ChargerKind::Dc;
    ConnectorAllocation result;
    result.id = charger.id;
    result.numberPhases = charger.kind == ChargerKind::Ac1Phase || candidate.onePhase ? 1 : 3;
    const double level = candidate.admitted ? candidate.flow.level : 0.0;
    result.paused = level <= kTolerance;
    result.limit = dc ? level * 3.0 * site.nominalVoltageV : level;
    if (result.paused)
        result.reason = QStringLiteral("paused: not enough capacity");
    else if (candidate.onePhase)
        result.reason = QStringLiteral("1-phase fallback");
    else if (candidate.flow.stoppedByCap)
        result.reason = candidate.lends ? QStringLiteral("lent unused capacity") : QStringLiteral("max");
    else
        result.reason = QStringLiteral("fair share");
    return result;
}

} // namespace

const ConnectorAllocation* Allocation::find(const ConnectorId& id) const
{
    const auto it = std::find_if(connectors.begin(), connectors.end(), [&](const auto& c) { return c.id == id; });
    return it == connectors.end() ? nullptr : &*it;
}

bool drawsBelowLimit(const SiteModel& site, const ChargerConfig& charger, const ConnectorState& state)
{
    const bool measured
        = charger.kind == ChargerKind::Dc ? state.measuredPowerW.has_value() : state.measuredA.has_value();
    if (!state.appliedLimit || !measured)
        return false;
    const double threshold = charger.kind == ChargerKind::Dc ? site.lending.belowLimitA * 3.0 * site.nominalVoltageV
                                                             : site.lending.belowLimitA;
    return measuredDraw(charger, state) < *state.appliedLimit - threshold;
}

Allocation allocate(const SiteModel& site, const AllocationInput& input)
{
    // A dynamic power limit in force lowers the site's own for this allocation only; copying the model is only
    // paid while one is.
    const std::optional<DynamicLimit>& dynamic = input.dynamicLimit;
    if (dynamic && dynamic->powerLimitW && input.now < dynamic->expiresAt
        && (!site.powerLimitW || *dynamic->powerLimitW < *site.powerLimitW)) {
        SiteModel limited = site;
        limited.powerLimitW = dynamic->powerLimitW;
        AllocationInput rest = input;
        rest.dynamicLimit->powerLimitW.reset();
        return allocate(limited, rest);
    }
    const SiteTopology topology(site);
    QHash<ConnectorId, const ConnectorState*> stateOf;
    stateOf.reserve(input.connectors.size());
    for (const ConnectorState& state : input.connectors)
        stateOf.insert(state.id, &state);

    Allocation result;
    result.failSafe = input.meterStale
        || std::any_of(
            input.unmeasuredPhases.begin(), input.unmeasuredPhases.end(), [](bool unmeasured) { return unmeasured; });
    result.connectors.resize(site.chargers.size());

    // Load that is not the balanced connectors': unbalanced and idle connectors at their measured draw per node,
    // and at the site the house load the meter shows beyond the balanced connectors' own draw.
    std::vector<PhaseValues> load(static_cast<size_t>(topology.nodeCount()), PhaseValues {});
    PhaseValues balancedDraw {};
    std::vector<Candidate> candidates;
    candidates.reserve(site.chargers.size());
    for (size_t i = 0; i < site.chargers.size(); ++i) {
        const ChargerConfig& charger = site.chargers[i];
        const ConnectorState* state = stateOf.value(charger.id);
        ConnectorAllocation& out = result.connectors[i];
        out.id = charger.id;
        out.numberPhases = charger.kind == ChargerKind::Ac1Phase ? 1 : 3;
        const PhaseValues draw = state ? measuredOnSitePhases(site, charger, *state) : PhaseValues {};
        if (charger.isBalanced() && state && state->wantsPower) {
            for (int phase = 0; phase < 3; ++phase)
                balancedDraw[phase] += draw[phase];
            candidates.push_back(makeCandidate(site, topology, input, static_cast<int>(i), *state));
            continue;
        }
        for (int node : topology.chain(static_cast<int>(i))) {
            for (int phase = 0; phase < 3; ++phase)
                load[node][phase] += draw[phase];
        }
        if (charger.isBalanced()) {
            out.limit = 0.0;
            out.reason = QStringLiteral("idle");
        } else {
            out.reason
                = charger.balancingEnabled ? QStringLiteral("ignores profiles") : QStringLiteral("balancing disabled");
        }
    }
    // A reading below what the connectors draw (a meter that lags, solar feed-in) never adds room: the sun can go.
    if (input.siteCurrentA && !input.meterStale) {
        for (int phase = 0; phase < 3; ++phase) {
            if (!input.unmeasuredPhases[phase])
                load[0][phase] = std::max(load[0][phase], (*input.siteCurrentA)[phase] - balancedDraw[phase]);
        }
    }

    Capacities free = topology.capacities(siteLimit(site, input), load);
    for (int phase = 0; phase < 3; ++phase)
        result.roomA[phase] = free[topology.phaseCapacity(0, phase)];

    std::vector<Candidate*> order;
    order.reserve(candidates.size());
    for (Candidate& candidate : candidates)
        order.push_back(&candidate);
    std::stable_sort(order.begin(), order.end(), [&](const Candidate* a, const Candidate* b) {
        const int pa = site.chargers[static_cast<size_t>(a->charger)].priority;
        const int pb = site.chargers[static_cast<size_t>(b->charger)].priority;
        return std::tie(pb, a->turn, a->turnKey) < std::tie(pa, b->turn, b->turnKey);
    });
    for (auto begin = order.begin(); begin != order.end();) {
        const int priority = site.chargers[static_cast<size_t>((*begin)->charger)].priority;
        const auto end = std::find_if(begin, order.end(),
            [&](const Candidate* c) { return site.chargers[static_cast<size_t>(c->charger)].priority != priority; });
        serveLevel(site, topology, free, std::vector<Candidate*>(begin, end));
        begin = end;
    }

    for (const Candidate& candidate : candidates) {
        result.connectors[static_cast<size_t>(candidate.charger)] = allocationOf(site, candidate);
        if (!candidate.admitted)
            continue;
        for (int phase = 0; phase < 3; ++phase)
            result.allocatedA[phase] += candidate.sitePhases[phase] ? candidate.flow.level : 0.0;
    }
    return result;
}

} // namespace linkray::balancer
