#include "balancer/chargingcontroller.h"

#include "balancer/logging.h"

#include <QPointer>
#include <QStringList>

#include <algorithm>

namespace linkray::balancer {

namespace {

constexpr double kEpsilon = 0.05; // half the 0.1 step limits are sent in
constexpr int kMaxBackoffDoublings = 16;
// The caps are re-read at least this often, so that a far-off change never needs a timer beyond its range.
constexpr qint64 kMaxCapsWaitMs = 3600 * 1000;

// The connector's transaction is over (or none began): a TxProfile of the CSMS went with it.
bool transactionEnded(const ConnectorObservation& observation)
{
    return observation.status
        && (*observation.status == QLatin1String("Available") || *observation.status == QLatin1String("Finishing"));
}

} // namespace

ChargingController::ChargingController(Context context, SiteModel site, QObject* parent)
    : QObject(parent)
    , m_clock(context.clock)
    , m_sender(std::move(context.sender))
    , m_options(context.options)
    , m_site(std::move(site))
    , m_capsTimer(m_clock.createTimer())
    , m_tick(m_clock.createTimer())
{
    rebuildPlans();
    m_capsTimer->setSingleShot(true);
    connect(m_capsTimer.get(), &Timer::timeout, this, [this] {
        if (refreshCaps())
            evaluate();
    });
    connect(m_tick.get(), &Timer::timeout, this, &ChargingController::tick);
    m_tick->start(m_options.tickMs);
    evaluate();
}

ChargingController::~ChargingController() = default;

void ChargingController::setSite(SiteModel site)
{
    m_site = std::move(site);
    rebuildPlans();
    evaluate();
}

void ChargingController::setDynamicLimit(std::optional<DynamicLimit> limit)
{
    m_dynamicLimit = std::move(limit);
    evaluate();
}

void ChargingController::csmsProfileSet(
    const QString& chargePointId, const ocpp::v16::SetChargingProfileRequest& request)
{
    if (!m_points.contains(chargePointId))
        return; // not balanced here: nothing of LinkRay's to cap
    m_csmsProfiles[chargePointId].set(request, m_clock.nowUtc());
    if (refreshCaps())
        evaluate();
}

void ChargingController::csmsRemoteStartAccepted(
    const QString& chargePointId, const ocpp::v16::RemoteStartTransactionRequest& request)
{
    // OCPP allows only a TxProfile there; anything else the charger would have refused.
    if (!m_points.contains(chargePointId) || !request.chargingProfile
        || request.chargingProfile->chargingProfilePurpose != QLatin1String("TxProfile"))
        return;
    const std::optional<int> connectorId
        = request.connectorId ? std::optional(static_cast<int>(*request.connectorId)) : std::nullopt;
    m_csmsProfiles[chargePointId].remoteStartAccepted(connectorId, *request.chargingProfile, m_clock.nowUtc());
}

void ChargingController::setManualLimit(const QString& chargePointId, std::optional<ManualLimit> limit)
{
    if (limit)
        m_manualLimits.insert(chargePointId, *limit);
    else
        m_manualLimits.remove(chargePointId);
    if (refreshCaps())
        evaluate();
}

void ChargingController::restoreLimits(const QHash<QString, AppliedLimit>& limits)
{
    for (auto it = limits.cbegin(); it != limits.cend(); ++it) {
        const auto point = m_points.find(it.key());
        // A TxProfile belonged to its transaction: each new one gets its limit at once.
        if (point == m_points.end() || point->plan.purpose == ProfilePurpose::Tx)
            continue;
        Lane& lane = point->lanes[0];
        lane.inForce = ChargePointLimit {it->limit, it->numberPhases};
        lane.inForceSinceMs.reset();
        lane.limitSinceMs.reset();
        lane.forceSend = true;
    }
    evaluate();
}

void ChargingController::meterReading(const MeteredPhaseValues& currentA, const QDateTime& at)
{
    // A reading that arrives after a newer one (a slow request overtaken) says nothing new.
    if (m_lastReadingAt && at < *m_lastReadingAt)
        return;
    m_lastReadingAt = at;
    m_siteCurrentA = currentA;
    m_meterStale = false;
    evaluate();
}

void ChargingController::meterStale()
{
    m_meterStale = true;
    evaluate();
}

void ChargingController::connectorObserved(const ConnectorId& id, const ConnectorObservation& observation)
{
    if (transactionEnded(observation)) {
        m_transactions.remove(id);
        if (const auto profiles = m_csmsProfiles.find(id.chargePointId); profiles != m_csmsProfiles.end()) {
            profiles->transactionEnded(id.connectorId);
            refreshCaps(); // the status change below allocates
        }
    }
    // A new draw alone waits for the next meter reading: set against the previous reading, a car that follows a
    // lower limit would look like house load rising and be lowered again.
    if (m_tracker.observe(id, observation, m_clock.nowUtc()) || !meterFresh())
        evaluate();
    else
        decideAll();
}

void ChargingController::transactionStarted(const ConnectorId& id, std::optional<qint64> transactionId)
{
    m_transactions.insert(id, transactionId);
    if (const auto profiles = m_csmsProfiles.find(id.chargePointId); profiles != m_csmsProfiles.end()) {
        profiles->transactionStarted(id.connectorId, transactionId);
        refreshCaps();
    }
    evaluate();
}

void ChargingController::transactionStopped(const QString& chargePointId, qint64 transactionId)
{
    for (auto running = m_transactions.begin(); running != m_transactions.end();) {
        if (running.key().chargePointId == chargePointId && running.value() == transactionId)
            running = m_transactions.erase(running);
        else
            ++running;
    }
    if (const auto profiles = m_csmsProfiles.find(chargePointId); profiles != m_csmsProfiles.end()) {
        profiles->transactionStopped(transactionId);
        refreshCaps();
    }
    evaluate();
}

// The charger drops a TxProfile with its transaction: a lane of another transaction is a new profile, sent at once.
std::vector<ChargingController::LaneTarget> ChargingController::wantedLanes(ChargePoint& point) const
{
    std::vector<LaneTarget> wanted;
    if (point.plan.purpose != ProfilePurpose::Tx) {
        wanted.push_back({0, std::nullopt, point.plan});
    } else {
        for (const int index : point.plan.connectors) {
            const ChargerConfig& charger = m_site.chargers[static_cast<size_t>(index)];
            const std::optional<qint64> transactionId = m_transactions.value(charger.id);
            if (charger.isBalanced() && transactionId)
                wanted.push_back(
                    {charger.id.connectorId, transactionId, connectorScope(point.plan, charger.id.connectorId)});
        }
    }
    for (auto lane = point.lanes.begin(); lane != point.lanes.end();) {
        const bool stillWanted = std::any_of(wanted.cbegin(), wanted.cend(), [&](const LaneTarget& target) {
            return target.connectorId == lane.key() && target.transactionId == lane->transactionId;
        });
        lane = stillWanted ? std::next(lane) : point.lanes.erase(lane);
    }
    for (const LaneTarget& target : wanted) {
        if (!point.lanes.contains(target.connectorId)) {
            Lane fresh;
            fresh.transactionId = target.transactionId;
            point.lanes.insert(target.connectorId, fresh);
        }
    }
    return wanted;
}

ChargePointPlan ChargingController::connectorScope(const ChargePointPlan& plan, int connectorId) const
{
    ChargePointPlan scope = plan;
    scope.connectors.clear();
    for (const int index : plan.connectors) {
        if (m_site.chargers[static_cast<size_t>(index)].id.connectorId == connectorId)
            scope.connectors.push_back(index);
    }
    // Its fail-safe limit is its own share: all TxProfiles of the charger fall back together.
    deriveLimits(m_site, scope);
    return scope;
}

ChargePointLimit ChargingController::laneTarget(const ChargePointPlan& scope) const
{
    ChargePointLimit target = targetLimit(m_site, scope, m_allocation);
    if (const auto caps = m_caps.constFind(scope.id); caps != m_caps.cend() && caps->chargePoint)
        target.limit = std::min(target.limit, roundDownLimit(*caps->chargePoint));
    return target;
}

void ChargingController::chargerConnected(const QString& chargePointId)
{
    const auto point = m_points.find(chargePointId);
    if (point == m_points.end())
        return; // not in the site model: LinkRay does not balance it
    point->connected = true;
    for (Lane& lane : point->lanes) {
        lane.forceSend = true; // after a reboot the charger may have lost the profile, or kept it
        lane.ramp = {};
    }
    evaluate();
}

void ChargingController::chargerDisconnected(const QString& chargePointId)
{
    const auto point = m_points.find(chargePointId);
    if (point == m_points.end())
        return;
    point->connected = false;
    point->inFlight.reset();
    ++point->sequence; // the answer of the closed connection, if it comes, is not this one's
}

void ChargingController::profilesCleared(
    const QString& chargePointId, const ocpp::v16::ClearChargingProfileRequest& request)
{
    const auto point = m_points.find(chargePointId);
    if (point == m_points.end())
        return;
    for (Lane& lane : point->lanes)
        lane.forceSend = true; // also when a profile is in flight: the clear may have come after it
    if (const auto profiles = m_csmsProfiles.find(chargePointId); profiles != m_csmsProfiles.end()) {
        profiles->clear(request);
        if (refreshCaps()) {
            evaluate();
            return;
        }
    }
    decide(*point);
}

ChargerControlStatus ChargingController::status(const QString& chargePointId) const
{
    const auto point = m_points.constFind(chargePointId);
    return point == m_points.cend() ? ChargerControlStatus {} : point->status;
}

std::optional<double> ChargingController::measuredDraw(const QString& chargePointId) const
{
    const auto point = m_points.constFind(chargePointId);
    if (point == m_points.cend())
        return std::nullopt;
    return balancer::measuredDraw(m_site, point->plan, m_tracker.byId());
}

void ChargingController::rebuildPlans()
{
    QHash<QString, ChargePoint> points;
    for (ChargePointPlan& plan : planChargePoints(m_site)) {
        ChargePoint point = m_points.value(plan.id);
        if (m_points.contains(plan.id) && point.plan.unit != plan.unit) {
            // The limit in force is in the other unit, and so is the ramp towards it.
            for (Lane& lane : point.lanes)
                lane.forgetLimitInForce();
        }
        point.plan = std::move(plan);
        points.insert(point.plan.id, point);
    }
    m_points = std::move(points);
    if (!refreshCaps())
        applyCaps(); // the site changed, even where the caps did not
}

void ChargingController::setGroupLimit(const QString& groupId, std::optional<GroupLimit> limit)
{
    if (limit)
        m_groupLimits.insert(groupId, *limit);
    else
        m_groupLimits.remove(groupId);
    if (!refreshCaps())
        applyCaps();
    evaluate();
}

bool ChargingController::expireGroupLimits(const QDateTime& now, std::optional<QDateTime>& next)
{
    QStringList expired;
    for (auto group = m_groupLimits.cbegin(); group != m_groupLimits.cend(); ++group) {
        if (group->expiresAt <= now)
            expired.append(group.key());
        else if (!next || group->expiresAt < *next)
            next = group->expiresAt;
    }
    for (const QString& id : std::as_const(expired)) {
        m_groupLimits.remove(id);
        qCInfo(lcBalancer) << "the manual limit of group" << id << "expired";
        Q_EMIT groupLimitExpired(id);
    }
    return !expired.isEmpty();
}

bool ChargingController::refreshCaps()
{
    const QDateTime now = m_clock.nowUtc();
    QHash<QString, ChargePointCaps> caps;
    std::optional<QDateTime> next;
    for (auto profiles = m_csmsProfiles.cbegin(); profiles != m_csmsProfiles.cend(); ++profiles) {
        const auto point = m_points.constFind(profiles.key());
        if (point == m_points.cend())
            continue;
        RateConversion conversion;
        conversion.unit = point->plan.unit;
        conversion.voltageV = m_site.nominalVoltageV;
        std::vector<int> connectorIds;
        bool onePhaseOnly = true;
        for (int index : point->plan.connectors) {
            const ChargerConfig& charger = m_site.chargers[static_cast<size_t>(index)];
            connectorIds.push_back(charger.id.connectorId);
            onePhaseOnly = onePhaseOnly && charger.kind == ChargerKind::Ac1Phase;
        }
        conversion.maxPhases = onePhaseOnly ? 1 : 3;
        const ChargePointCaps own = profiles->capsAt(now, conversion, connectorIds);
        if (!own.isEmpty())
            caps.insert(profiles.key(), own);
        const std::optional<QDateTime> change = profiles->nextChange(now);
        if (change && (!next || *change < *next))
            next = change;
    }
    QStringList expired;
    for (auto manual = m_manualLimits.cbegin(); manual != m_manualLimits.cend(); ++manual) {
        if (manual->expiresAt <= now) {
            expired.append(manual.key());
            continue;
        }
        std::optional<double>& cap = caps[manual.key()].chargePoint;
        cap = cap ? std::min(*cap, manual->limit) : manual->limit;
        if (!next || manual->expiresAt < *next)
            next = manual->expiresAt;
    }
    for (const QString& id : std::as_const(expired)) {
        m_manualLimits.remove(id);
        qCInfo(lcBalancer) << "the manual limit of charge point" << id << "expired";
        Q_EMIT manualLimitExpired(id);
    }
    const bool groupsExpired = expireGroupLimits(now, next);
    if (next)
        m_capsTimer->start(std::clamp<qint64>(now.msecsTo(*next), 1, kMaxCapsWaitMs));
    else
        m_capsTimer->stop();
    if (caps == m_caps && !groupsExpired)
        return false;
    m_caps = std::move(caps);
    applyCaps();
    return true;
}

// The caps bound what the allocation hands out, so that the rest goes to others; a cap below a connector's
// minimum still reserves the minimum (the allocation gives nothing between 0 and the minimum).
void ChargingController::applyCaps()
{
    m_allocationSite = m_site;
    for (GroupConfig& group : m_allocationSite.groups) {
        if (const auto limit = m_groupLimits.constFind(group.id); limit != m_groupLimits.cend()) {
            for (size_t phase = 0; phase < 3; ++phase)
                group.limitA[phase] = std::min(group.limitA[phase], limit->limitA[phase]);
        }
    }
    for (ChargerConfig& charger : m_allocationSite.chargers) {
        const auto caps = m_caps.constFind(charger.id.chargePointId);
        const auto point = m_points.constFind(charger.id.chargePointId);
        if (caps == m_caps.cend() || point == m_points.cend())
            continue;
        std::optional<double> cap = caps->chargePoint;
        if (const auto own = caps->connectors.constFind(charger.id.connectorId); own != caps->connectors.cend())
            cap = cap ? std::min(*cap, *own) : *own;
        if (!cap)
            continue;
        if (charger.kind == ChargerKind::Dc) {
            charger.maxPowerW = std::max(charger.minPowerW, std::min(charger.maxPowerW, *cap));
        } else {
            const double capA = *cap / inUnit(point->plan, 1.0);
            charger.maxCurrentA = std::max(charger.minCurrentA, std::min(charger.maxCurrentA, capA));
        }
    }
}

double ChargingController::inUnit(const ChargePointPlan& plan, double amperes) const
{
    return plan.unit == RateUnit::Watts ? amperes * 3.0 * m_site.nominalVoltageV : amperes;
}

StepRules ChargingController::stepRules(const ChargePointPlan& plan) const
{
    StepRules rules;
    rules.hysteresis = plan.unit == RateUnit::Watts ? m_options.hysteresisW : m_options.hysteresisA;
    rules.epsilon = kEpsilon;
    rules.rampStep = inUnit(plan, m_options.rampStepA);
    rules.startMinimum = plan.startMinimum;
    rules.increaseDelayMs = m_options.increaseDelaySeconds * 1000;
    rules.rampIntervalMs = m_options.rampIntervalSeconds * 1000;
    return rules;
}

void ChargingController::evaluate()
{
    const QDateTime now = m_clock.nowUtc();
    // What each connector is held to, for lending: a connector of a shared charge point gets its own allocation
    // within the charge point's limit (its own TxProfile holds it alone); one in the other unit (AC beside DC) only
    // its allocation.
    for (const ChargePoint& point : std::as_const(m_points)) {
        const bool perConnector = point.plan.purpose == ProfilePurpose::Tx;
        for (int index : point.plan.connectors) {
            const ChargerConfig& charger = m_site.chargers[static_cast<size_t>(index)];
            const ConnectorAllocation* decided = m_allocation.find(charger.id);
            const auto lane = point.lanes.constFind(perConnector ? charger.id.connectorId : 0);
            const std::optional<ChargePointLimit> inForce = lane == point.lanes.cend() ? std::nullopt : lane->inForce;
            std::optional<double> applied = inForce ? std::optional(inForce->limit) : std::nullopt;
            const bool sameUnit = (charger.kind == ChargerKind::Dc) == (point.plan.unit == RateUnit::Watts);
            if ((point.plan.connectors.size() > 1 && !perConnector) || !sameUnit) {
                const std::optional<double> own = decided ? decided->limit : std::nullopt;
                applied = own && applied && sameUnit ? std::min(*own, *applied) : own;
            }
            m_tracker.setApplied(charger.id, applied, inForce ? inForce->numberPhases : 3);
        }
    }
    m_tracker.refreshBelowLimit(m_site, now);

    AllocationInput input;
    input.now = now;
    input.meterStale = m_options.siteHasMeter && m_meterStale;
    if (meterFresh() && m_siteCurrentA) {
        PhaseValues siteCurrentA {};
        for (size_t phase = 0; phase < 3; ++phase) {
            siteCurrentA[phase] = (*m_siteCurrentA)[phase].value_or(0.0);
            input.unmeasuredPhases[phase] = !(*m_siteCurrentA)[phase];
        }
        input.siteCurrentA = siteCurrentA;
    }
    input.dynamicLimit = m_dynamicLimit;
    input.rotationIntervalS = m_options.rotationIntervalSeconds;
    input.connectors = m_tracker.states();
    m_allocation = allocate(m_allocationSite, input);
    m_tracker.allocated(m_allocation, now);
    decideAll();
}

// With a fresh meter every reading allocates; without one (none, or stale) the tick does, for the rotation.
void ChargingController::tick()
{
    if (meterFresh())
        decideAll();
    else
        evaluate();
}

void ChargingController::decideAll()
{
    for (const QString& id : m_points.keys()) {
        // Looked up each time: an answer given synchronously may run slots that change the site.
        const auto point = m_points.find(id);
        if (point == m_points.end())
            continue;
        checkOverLimit(*point);
        decide(*point);
    }
}

void ChargingController::decide(ChargePoint& point)
{
    if (!point.plan.limited)
        return;
    const ChargePointLimit target = laneTarget(point.plan);
    if (point.status.target != target) {
        point.status.target = target;
        Q_EMIT statusChanged(point.plan.id);
    }
    // One profile in flight per charger: its answer decides again, with whatever is newest then. OCPP has no
    // TxProfile without a transaction: such a charger has no lane without one.
    if (!point.connected || point.inFlight)
        return;

    const qint64 nowMs = m_clock.monotonicMs();
    const std::vector<LaneTarget> wanted = wantedLanes(point);
    // Of the lanes that need a profile, a decrease goes first. A ramp step counts only for the lane it is sent to:
    // the others take theirs after this one's answer.
    const LaneTarget* chosen = nullptr;
    ChargePointLimit chosenLimit;
    RampState chosenRamp;
    bool chosenDecreases = false;
    for (const LaneTarget& lane : wanted) {
        Lane& state = point.lanes[lane.connectorId];
        const StepRules rules = stepRules(lane.scope);
        RampState ramp = state.ramp;
        const ChargePointLimit next
            = nextLimit(rules, state.inForce, lane.connectorId == 0 ? target : laneTarget(lane.scope), nowMs, ramp);
        const bool refreshDue
            = state.inForceSinceMs && nowMs - *state.inForceSinceMs >= m_options.failSafeAfterSeconds * 1000 / 2;
        if (state.inForce && next == *state.inForce)
            state.ramp = ramp; // no step taken: the delay runs on
        if (state.inForce && next == *state.inForce && !state.forceSend && !refreshDue)
            continue;
        const bool decreases = state.lastSent && isDecrease(rules, *state.lastSent, next);
        // After a failure only a decrease goes out before the backoff ends.
        if (state.retryAtMs && nowMs < *state.retryAtMs && !decreases)
            continue;
        if (!chosen || (decreases && !chosenDecreases)) {
            chosen = &lane;
            chosenLimit = next;
            chosenRamp = ramp;
            chosenDecreases = decreases;
        }
    }
    if (!chosen)
        return;
    point.lanes[chosen->connectorId].ramp = chosenRamp;
    send(point, *chosen, chosenLimit);
}

void ChargingController::send(ChargePoint& point, const LaneTarget& lane, const ChargePointLimit& limit)
{
    ProfileSpec spec;
    // Each connector's TxProfile has its own id: a profile with the same id replaces the other on the charger.
    spec.chargingProfileId = m_options.chargingProfileId + std::max(0, lane.connectorId - 1);
    spec.stackLevel = m_options.stackLevel;
    spec.purpose = point.plan.purpose;
    spec.connectorId = lane.connectorId;
    spec.transactionId = lane.transactionId;
    spec.start = m_clock.nowUtc();
    spec.unit = point.plan.unit;
    spec.limit = limit.limit;
    spec.numberPhases = limit.numberPhases;
    spec.failSafeLimit = lane.scope.failSafeLimit;
    spec.failSafeAfterS = m_options.failSafeAfterSeconds;

    point.inFlight = InFlight {lane.connectorId, lane.transactionId, limit, m_clock.monotonicMs()};
    Lane& state = point.lanes[lane.connectorId];
    state.forceSend = false;
    state.lastSent = limit;
    point.status.lastSent = limit;
    point.status.lastSentAt = spec.start;
    const quint64 sequence = ++point.sequence;
    const QString id = point.plan.id;
    qCInfo(lcBalancer).nospace() << "charge point " << id << " connector " << lane.connectorId << ": limit "
                                 << limit.limit << (spec.unit == RateUnit::Watts ? " W" : " A") << " on "
                                 << limit.numberPhases << " phases";
    Q_EMIT statusChanged(id);
    QPointer<ChargingController> self(this);
    m_sender(id, balancingProfile(spec), [self, id, sequence](bool accepted) {
        if (self)
            self->answered(id, sequence, accepted);
    });
}

void ChargingController::answered(const QString& chargePointId, quint64 sequence, bool accepted)
{
    const auto point = m_points.find(chargePointId);
    if (point == m_points.end() || !point->inFlight || point->sequence != sequence)
        return; // the connection closed since, or the site changed
    const InFlight sent = *point->inFlight;
    point->inFlight.reset();
    point->status.lastAccepted = accepted;
    // A TxProfile whose transaction ended meanwhile holds nothing any more.
    const auto lane = point->lanes.find(sent.connectorId);
    Lane* state = lane != point->lanes.end() && lane->transactionId == sent.transactionId ? &*lane : nullptr;
    if (accepted) {
        point->status.consecutiveFailures = 0;
        if (state) {
            if (!state->inForce || *state->inForce != sent.limit || !state->limitSinceMs)
                state->limitSinceMs = sent.sentMs;
            state->inForce = sent.limit;
            state->inForceSinceMs = sent.sentMs;
            state->retryAtMs.reset();
            Q_EMIT limitApplied(chargePointId, sent.limit.limit, sent.limit.numberPhases);
        }
    } else {
        const int failures = ++point->status.consecutiveFailures;
        const qint64 backoffS = std::min(
            m_options.retryMaxSeconds, m_options.retryInitialSeconds << std::min(failures - 1, kMaxBackoffDoublings));
        if (state) {
            state->retryAtMs = m_clock.monotonicMs() + backoffS * 1000;
            state->forceSend = true;
        }
        qCWarning(lcBalancer).nospace() << "charge point " << chargePointId << " did not accept limit "
                                        << sent.limit.limit << " (" << failures << " in a row); retrying in "
                                        << backoffS << " s";
        Q_EMIT profileNotAccepted(chargePointId, sent.limit.limit, failures);
    }
    Q_EMIT statusChanged(chargePointId);
    // A decrease decided while this one was in flight goes out now.
    if (const auto again = m_points.find(chargePointId); again != m_points.end())
        decide(*again);
}

void ChargingController::checkOverLimit(ChargePoint& point)
{
    bool over = false;
    for (auto lane = point.lanes.begin(); lane != point.lanes.end(); ++lane) {
        checkOverLimit(point, *lane, lane.key() == 0 ? point.plan : connectorScope(point.plan, lane.key()));
        over = over || lane->overLimit;
    }
    if (point.status.overLimit != over) {
        point.status.overLimit = over;
        Q_EMIT statusChanged(point.plan.id);
    }
}

// What a lane limits draws more than its limit for longer than the grace: flagged once per episode.
void ChargingController::checkOverLimit(ChargePoint& point, Lane& lane, const ChargePointPlan& scope)
{
    const std::optional<double> measured = balancer::measuredDraw(m_site, scope, m_tracker.byId());
    const bool over = lane.limitSinceMs && lane.inForce && measured
        && *measured > lane.inForce->limit + inUnit(point.plan, m_options.overLimitToleranceA);
    if (!over) {
        lane.overSinceMs.reset();
        lane.overLimit = false;
        return;
    }
    const qint64 nowMs = m_clock.monotonicMs();
    if (!lane.overSinceMs)
        lane.overSinceMs = nowMs;
    // Chargers take 5-15 s to follow a new limit: the grace counts from its acceptance as well.
    const qint64 since = std::max(*lane.overSinceMs, *lane.limitSinceMs);
    if (lane.overLimit || nowMs - since < m_options.overLimitGraceSeconds * 1000)
        return;
    lane.overLimit = true;
    qCWarning(lcBalancer).nospace() << "charge point " << point.plan.id << " draws " << *measured << " above its limit "
                                    << lane.inForce->limit;
    Q_EMIT chargerOverLimit(point.plan.id, *measured, lane.inForce->limit);
}

} // namespace linkray::balancer
