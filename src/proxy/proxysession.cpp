#include "proxy/proxysession.h"

#include "ocpp/validation.h"
#include "proxy/journal.h"
#include "proxy/logging.h"
#include "storage/outboxwriter.h"
#include "storage/repositories.h"

#include <QJsonArray>

namespace linkray::proxy {

namespace {

// Outbox rows read per query during a replay: enough to make the query rare, few enough that reading them is short.
constexpr int BacklogBatch = 32;

std::optional<QDateTime> dateTimeOf(const QJsonValue& value)
{
    const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toUTC();
}

storage::CsmsIdTagInfo idTagInfoOf(const QString& idTag, const QJsonObject& idTagInfo)
{
    storage::CsmsIdTagInfo record;
    record.idTag = idTag;
    record.status = idTagInfo.value(QLatin1String("status")).toString();
    record.expiryDate = dateTimeOf(idTagInfo.value(QLatin1String("expiryDate")));
    record.parentIdTag = idTagInfo.value(QLatin1String("parentIdTag")).toString();
    return record;
}

} // namespace

QString linkStateName(LinkState state)
{
    switch (state) {
    case LinkState::WaitingForCsms:
        return QStringLiteral("waiting");
    case LinkState::Connected:
        return QStringLiteral("connected");
    case LinkState::Replaying:
        return QStringLiteral("replaying");
    case LinkState::Outage:
        return QStringLiteral("outage");
    }
    return QString();
}

ProxySession::ProxySession(QString chargePointId, ProxyContext& context, ocpp::Endpoint& local,
    std::function<void(const QByteArray&)> sendToCharger, std::function<bool(const QByteArray&)> sendToCsms,
    QObject* parent)
    : QObject(parent)
    , m_chargePointId(std::move(chargePointId))
    , m_context(context)
    , m_local(&local)
    , m_sendToCharger(std::move(sendToCharger))
    , m_sendToCsms(std::move(sendToCsms))
    , m_firstFrameTimer(context.clock.createTimer())
    , m_answerTimer(context.clock.createTimer())
{
    m_firstFrameTimer->setSingleShot(true);
    m_answerTimer->setSingleShot(true);
    connect(m_firstFrameTimer.get(), &Timer::timeout, this, [this] {
        upstreamLost(
            QStringLiteral("the CSMS connection did not open within %1 ms").arg(m_context.settings.firstFrameWaitMs));
    });
    connect(m_answerTimer.get(), &Timer::timeout, this, &ProxySession::answerTimedOut);
}

ProxySession::~ProxySession()
{
    m_context.replayPacer->forget(this);
}

SessionStatus ProxySession::status() const
{
    SessionStatus status;
    status.chargePointId = m_chargePointId;
    switch (m_link) {
    case Link::Waiting:
        status.state = LinkState::WaitingForCsms;
        break;
    case Link::Open:
        status.state = m_replaying ? LinkState::Replaying : LinkState::Connected;
        break;
    case Link::Down:
        status.state = LinkState::Outage;
        break;
    }
    status.outageSince = m_outageSince;
    status.lastProblem = m_lastProblem;
    status.lastReplayAt = m_lastReplayAt;
    return status;
}

void ProxySession::start()
{
    if (m_context.settings.firstFrameWaitMs > 0)
        m_firstFrameTimer->start(m_context.settings.firstFrameWaitMs);
    else
        upstreamLost(QStringLiteral("the CSMS connection is not open yet"));
}

void ProxySession::handleChargerText(const QByteArray& text)
{
    const ocpp::ParseResult parsed = ocpp::parseFrame(text);
    const auto* frame = std::get_if<ocpp::ParsedFrame>(&parsed);
    const auto* call = frame ? std::get_if<ocpp::Call>(&frame->frame) : nullptr;
    // Answers belong to calls the local endpoint made or relayed, and it answers unreadable frames itself.
    if (!call) {
        if (m_local)
            m_local->handleIncoming(text);
        return;
    }
    if (m_link == Link::Waiting) {
        m_heldFrames.append(text);
        return;
    }
    routeChargerCall(text, *call);
}

void ProxySession::routeChargerCall(const QByteArray& text, const ocpp::Call& call)
{
    const bool liveToCsms = m_link == Link::Open && (!m_replaying || !isJournaled(call.action));
    if (!liveToCsms) {
        if (isJournaled(call.action))
            journalThenAnswer(text, call);
        else
            answerLocally(text, call);
        return;
    }
    Q_EMIT chargerFrameRelayed(text, true, call.action);
    const ocpp::ValidationResult validated
        = ocpp::validatePayload(call.action, ocpp::PayloadKind::Request, call.payload);
    UpstreamCall upstream {UpstreamCall::Origin::Live, call.uniqueId, call.action, text, call.payload};
    if (validated.acceptable(ocpp::Strictness::Lenient)) {
        upstream.observedPayload = validated.payload;
        Q_EMIT chargerCallRelayed(ocpp::IncomingCall {call.uniqueId, call.action, validated.payload, {}});
    }
    m_liveQueue.push_back(std::move(upstream));
    pump();
}

void ProxySession::answerLocally(const QByteArray& text, const ocpp::Call& /*call*/)
{
    if (m_local)
        m_local->handleIncoming(text);
}

void ProxySession::fallBackLocally(const UpstreamCall& call)
{
    const ocpp::Call asCall {call.uniqueId, call.action, call.payload};
    if (isJournaled(call.action))
        journalThenAnswer(call.text, asCall);
    else
        answerLocally(call.text, asCall);
}

void ProxySession::journalThenAnswer(const QByteArray& text, const ocpp::Call& call)
{
    // A call the local endpoint will refuse is answered with its CALLERROR and not kept: the charger sends it again.
    const ocpp::Strictness strictness = m_local ? m_local->strictness() : ocpp::Strictness::Strict;
    if (!ocpp::validatePayload(call.action, ocpp::PayloadKind::Request, call.payload).acceptable(strictness)
        || !hasRoomFor(call.action)) {
        answerLocally(text, call);
        return;
    }
    // While storage is full, the local answer's own record would not fit either: a call journaled here but refused
    // there would reach the CSMS twice once the charger sends it again.
    if (m_context.database.space().full) {
        refuseUnstored(call);
        return;
    }
    storage::OutboxMessage message;
    message.chargePointId = m_chargePointId;
    message.uniqueId = call.uniqueId;
    message.action = call.action;
    message.frame = text;
    message.receivedAt = m_context.clock.nowUtc();
    ++m_journalWritesInFlight;
    QPointer<ProxySession> self(this);
    m_context.outbox.enqueue(message, [self, text, call](std::optional<qint64> seq) {
        if (!self)
            return;
        --self->m_journalWritesInFlight;
        if (!seq) {
            self->refuseUnstored(call);
            return;
        }
        self->answerLocally(text, call);
        self->pump();
    });
}

void ProxySession::refuseUnstored(const ocpp::Call& call)
{
    const QString reason = m_context.database.writeFailureReason();
    qCCritical(lcProxy) << m_chargePointId << call.action << call.uniqueId << "could not be stored (" << reason
                        << "): the charger is asked to send it again";
    m_sendToCharger(ocpp::serializeCallError(call.uniqueId, ocpp::ErrorCode::InternalError,
        QStringLiteral("LinkRay could not store this message (%1); send it again").arg(reason)));
}

bool ProxySession::hasRoomFor(const QString& action)
{
    if (isTransactionMessage(action))
        return true;
    storage::OutboxRepository outbox(m_context.database);
    if (outbox.totalQueued() < m_context.settings.outboxMaxMessages)
        return true;
    const int coalesced = outbox.coalesceStatusNotifications(m_chargePointId);
    if (outbox.totalQueued() < m_context.settings.outboxMaxMessages)
        return true;
    qCWarning(lcProxy) << m_chargePointId << "outbox full (" << m_context.settings.outboxMaxMessages << "messages, "
                       << coalesced << "status notifications coalesced):" << action << "answered but not kept";
    recordEvent(QStringLiteral("OutboxFull"), {{QStringLiteral("action"), action}});
    return false;
}

void ProxySession::pump()
{
    if (m_outstanding || m_link != Link::Open)
        return;
    if (!m_liveQueue.empty()) {
        UpstreamCall call = std::move(m_liveQueue.front());
        m_liveQueue.pop_front();
        sendUpstream(std::move(call));
        return;
    }
    if (!m_replaying)
        return;
    if (m_backlog.empty() && !refillBacklog()) {
        if (m_journalWritesInFlight == 0)
            finishReplay();
        return;
    }
    if (!mayReplayNow())
        return;
    if (std::optional<UpstreamCall> call = nextBacklogCall())
        sendUpstream(std::move(*call));
    else
        pump();
}

bool ProxySession::mayReplayNow()
{
    if (std::exchange(m_replayTurnGranted, false))
        return true;
    QPointer<ProxySession> self(this);
    return m_context.replayPacer->admit(this, [self] {
        if (!self)
            return;
        self->m_replayTurnGranted = true;
        self->pump();
    });
}

bool ProxySession::refillBacklog()
{
    const QList<storage::OutboxMessage> rows
        = storage::OutboxRepository(m_context.database).queued(m_chargePointId, BacklogBatch, m_lastRefillSeq);
    for (const storage::OutboxMessage& row : rows) {
        m_lastRefillSeq = std::max(m_lastRefillSeq, row.seq);
        if (!m_replayedSeqs.contains(row.seq))
            m_backlog.push_back(row);
    }
    return !m_backlog.empty();
}

std::optional<ProxySession::UpstreamCall> ProxySession::nextBacklogCall()
{
    while (!m_backlog.empty()) {
        const storage::OutboxMessage row = std::move(m_backlog.front());
        m_backlog.pop_front();
        // Answered on the last connection, its deletion still waiting for its batch (OutboxWriter::markDelivered).
        if (m_context.outbox.isDeliveryPending(row.seq))
            continue;
        const ocpp::ParseResult parsed = ocpp::parseFrame(row.frame);
        const auto* frame = std::get_if<ocpp::ParsedFrame>(&parsed);
        if (const auto* call = frame ? std::get_if<ocpp::Call>(&frame->frame) : nullptr)
            return UpstreamCall {UpstreamCall::Origin::Backlog, row.uniqueId, row.action, row.frame, call->payload,
                row.seq, row.attempts};
        storage::OutboxRepository(m_context.database)
            .hold(row.seq, QStringLiteral("the stored frame is not an OCPP CALL"));
    }
    return std::nullopt;
}

void ProxySession::beginReplay()
{
    m_replaying = true;
    m_backlog.clear();
    m_replayedSeqs.clear();
    m_lastRefillSeq = 0;
    // The CSMS learns who the charger is now before anything else; earlier boots of the outage say nothing more.
    storage::OutboxRepository outbox(m_context.database);
    const std::optional<storage::OutboxMessage> boot = outbox.latestQueuedBoot(m_chargePointId);
    if (!boot)
        return;
    const int superseded = outbox.removeQueuedBootsExcept(m_chargePointId, boot->seq);
    if (superseded > 0)
        qCInfo(lcProxy) << m_chargePointId << "dropped" << superseded << "superseded BootNotifications";
    m_replayedSeqs.insert(boot->seq);
    m_backlog.push_back(*boot);
}

void ProxySession::finishReplay()
{
    m_replaying = false;
    qCInfo(lcProxy) << m_chargePointId << "backlog delivered to the CSMS";
    Q_EMIT statusChanged();
}

void ProxySession::sendUpstream(UpstreamCall call)
{
    const std::optional<QByteArray> translated = translateTransactionId(call.uniqueId, call.action, call.payload,
        [this](qint64 provisionalId) { return csmsTransactionId(provisionalId); });
    if (!m_sendToCsms(translated.value_or(call.text))) {
        // The upstream is going away; its closed signal follows and decides where the call goes.
        if (call.origin == UpstreamCall::Origin::Live) {
            m_liveQueue.push_front(std::move(call));
        } else {
            storage::OutboxMessage row;
            row.seq = call.seq;
            row.uniqueId = call.uniqueId;
            row.action = call.action;
            row.frame = call.text;
            row.attempts = call.attempts;
            m_backlog.push_front(std::move(row));
        }
        return;
    }
    m_outstanding = std::move(call);
    m_answerTimer->start(m_context.settings.answerTimeoutMs);
}

void ProxySession::handleCsmsText(const QByteArray& text)
{
    const ocpp::ParseResult parsed = ocpp::parseFrame(text);
    if (const auto* error = std::get_if<ocpp::FrameError>(&parsed)) {
        qCWarning(lcProxy).noquote() << m_chargePointId
                                     << "dropped an unreadable frame from the CSMS:" << error->description;
        return;
    }
    const ocpp::Frame& frame = std::get<ocpp::ParsedFrame>(parsed).frame;
    if (const auto* call = std::get_if<ocpp::Call>(&frame)) {
        handleCsmsCall(text, *call);
        return;
    }
    const QString uniqueId = ocpp::uniqueIdOf(frame);
    if (!m_outstanding || m_outstanding->uniqueId != uniqueId) {
        qCInfo(lcProxy) << m_chargePointId << "dropped the CSMS's answer to" << uniqueId
                        << "(answered locally already, or never sent)";
        return;
    }
    settleOutstanding(text, frame);
}

void ProxySession::settleOutstanding(const QByteArray& answerText, const ocpp::Frame& answer)
{
    m_answerTimer->stop();
    const UpstreamCall call = std::move(*m_outstanding);
    m_outstanding.reset();
    observeCsmsAnswer(call, answer);
    if (call.origin == UpstreamCall::Origin::Live) {
        m_sendToCharger(answerText);
        Q_EMIT chargerFrameRelayed(answerText, false, call.action);
        const auto* result = std::get_if<ocpp::CallResult>(&answer);
        if (result && call.observedPayload)
            Q_EMIT relayedCallAnswered(
                ocpp::IncomingCall {call.uniqueId, call.action, *call.observedPayload, {}}, result->payload);
    } else {
        settleBacklog(call, answer);
    }
    pump();
}

void ProxySession::settleBacklog(const UpstreamCall& call, const ocpp::Frame& answer)
{
    if (const auto* error = std::get_if<ocpp::CallError>(&answer)) {
        qCWarning(lcProxy).noquote() << m_chargePointId << "the CSMS refused the replayed" << call.action
                                     << call.uniqueId << "with" << error->errorCode << error->description;
        recordEvent(QStringLiteral("ReplayRefused"),
            {{QStringLiteral("action"), call.action}, {QStringLiteral("uniqueId"), call.uniqueId},
                {QStringLiteral("errorCode"), error->errorCode}, {QStringLiteral("description"), error->description}});
    } else if (call.action == QLatin1String("StartTransaction")) {
        mapTransaction(call, std::get<ocpp::CallResult>(answer).payload);
    }
    m_context.outbox.markDelivered(call.seq);
    m_lastReplayAt = m_context.clock.nowUtc();
}

void ProxySession::answerTimedOut()
{
    if (!m_outstanding)
        return;
    UpstreamCall call = std::move(*m_outstanding);
    m_outstanding.reset();
    const QString problem = QStringLiteral("no answer from the CSMS to %1 %2 within %3 ms")
                                .arg(call.action, call.uniqueId)
                                .arg(m_context.settings.answerTimeoutMs);
    if (call.origin == UpstreamCall::Origin::Live) {
        qCWarning(lcProxy).noquote() << m_chargePointId << problem << "- answering the charger locally";
        fallBackLocally(call);
    } else {
        storage::OutboxRepository outbox(m_context.database);
        outbox.recordFailedAttempt(call.seq, problem);
        if (call.attempts + 1 >= m_context.settings.replayAttempts) {
            qCWarning(lcProxy).noquote() << m_chargePointId << problem << "- held for the operator after"
                                         << call.attempts + 1 << "attempts";
            outbox.hold(call.seq, problem);
            recordEvent(QStringLiteral("ReplayHeld"),
                {{QStringLiteral("action"), call.action}, {QStringLiteral("uniqueId"), call.uniqueId},
                    {QStringLiteral("attempts"), call.attempts + 1}});
        }
    }
    // The same message id must not be sent again on a connection where the CSMS may still be working on it (it
    // would refuse it as a duplicate), and a silent CSMS is often a dead link: a fresh connection settles both.
    Q_EMIT upstreamStalled(problem);
}

void ProxySession::handleCsmsCall(const QByteArray& text, const ocpp::Call& call)
{
    if (!m_local)
        return;
    const std::optional<QByteArray> translated = translateTransactionId(
        call.uniqueId, call.action, call.payload, [this](qint64 csmsId) { return provisionalTransactionId(csmsId); });
    QPointer<ProxySession> self(this);
    const bool queued = m_local->relayCall(
        call.uniqueId, call.action, translated.value_or(text), [self, call](const ocpp::RelayOutcome& outcome) {
            if (!self || outcome.kind != ocpp::RelayOutcome::Kind::Answered)
                return;
            self->m_sendToCsms(outcome.answerText);
            self->observeChargerAnswer(call, outcome.answerText);
        });
    if (!queued)
        m_sendToCsms(ocpp::serializeCallError(call.uniqueId, ocpp::ErrorCode::InternalError,
            QStringLiteral("too many calls are waiting for this charger at LinkRay")));
}

void ProxySession::observeCsmsAnswer(const UpstreamCall& call, const ocpp::Frame& answer)
{
    const auto* result = std::get_if<ocpp::CallResult>(&answer);
    if (!result)
        return;
    const bool namesTag = call.action == QLatin1String("Authorize") || call.action == QLatin1String("StartTransaction");
    const QJsonObject idTagInfo = result->payload.value(QLatin1String("idTagInfo")).toObject();
    if (!namesTag || idTagInfo.isEmpty())
        return;
    const storage::CsmsIdTagInfo record = idTagInfoOf(call.payload.value(QLatin1String("idTag")).toString(), idTagInfo);
    storage::CsmsAuthorizationRepository(m_context.database)
        .remember(record.idTag, record.status, record.expiryDate, record.parentIdTag, m_context.clock.nowUtc());
    if (call.origin == UpstreamCall::Origin::Backlog && call.action == QLatin1String("StartTransaction")
        && record.status != QLatin1String("Accepted")) {
        qCWarning(lcProxy) << m_chargePointId << "the CSMS answered" << record.status
                           << "to the replayed StartTransaction" << call.uniqueId;
        recordEvent(QStringLiteral("ReplayedStartNotAccepted"),
            {{QStringLiteral("uniqueId"), call.uniqueId}, {QStringLiteral("status"), record.status}});
    }
}

void ProxySession::observeChargerAnswer(const ocpp::Call& csmsCall, const QByteArray& answerText)
{
    const ocpp::ParseResult parsed = ocpp::parseFrame(answerText);
    const auto* frame = std::get_if<ocpp::ParsedFrame>(&parsed);
    const auto* result = frame ? std::get_if<ocpp::CallResult>(&frame->frame) : nullptr;
    if (!result || result->payload.value(QLatin1String("status")).toString() != QLatin1String("Accepted"))
        return;
    const QJsonObject& request = csmsCall.payload;
    Q_EMIT csmsCommandAccepted(csmsCall.action, request);
    if (csmsCall.action == QLatin1String("SendLocalList")) {
        QList<storage::CsmsIdTagInfo> entries;
        for (const QJsonValue& entry : request.value(QLatin1String("localAuthorizationList")).toArray()) {
            const QJsonObject object = entry.toObject();
            entries.append(idTagInfoOf(
                object.value(QLatin1String("idTag")).toString(), object.value(QLatin1String("idTagInfo")).toObject()));
        }
        storage::CsmsAuthorizationRepository(m_context.database)
            .applyLocalList(m_chargePointId, request.value(QLatin1String("listVersion")).toInt(),
                request.value(QLatin1String("updateType")).toString() == QLatin1String("Full"), entries);
    } else if (csmsCall.action == QLatin1String("ChangeConfiguration")
        && request.value(QLatin1String("key")).toString() == QLatin1String("AuthorizationKey")) {
        Q_EMIT authorizationKeyChanged(request.value(QLatin1String("value")).toString());
    }
}

void ProxySession::mapTransaction(const UpstreamCall& start, const QJsonObject& result)
{
    const QJsonValue csmsId = result.value(QLatin1String("transactionId"));
    const std::optional<QDateTime> startedAt = dateTimeOf(start.payload.value(QLatin1String("timestamp")));
    if (!csmsId.isDouble() || !startedAt)
        return;
    const std::optional<qint64> provisionalId
        = storage::TransactionRepository(m_context.database)
              .idOfStart(m_chargePointId, start.payload.value(QLatin1String("connectorId")).toInt(),
                  start.payload.value(QLatin1String("idTag")).toString(),
                  qint64(start.payload.value(QLatin1String("meterStart")).toDouble()), *startedAt);
    if (!provisionalId) {
        qCWarning(lcProxy) << m_chargePointId << "no local transaction matches the replayed StartTransaction"
                           << start.uniqueId;
        return;
    }
    const auto csms = static_cast<qint64>(csmsId.toDouble());
    if (storage::TransactionIdMapRepository(m_context.database)
            .insert(*provisionalId, csms, m_chargePointId, m_context.clock.nowUtc()))
        qCInfo(lcProxy) << m_chargePointId << "transaction" << *provisionalId << "is" << csms << "at the CSMS";
}

std::optional<qint64> ProxySession::csmsTransactionId(qint64 provisionalId) const
{
    return storage::TransactionIdMapRepository(m_context.database).csmsId(provisionalId);
}

std::optional<qint64> ProxySession::provisionalTransactionId(qint64 csmsId) const
{
    return storage::TransactionIdMapRepository(m_context.database).provisionalId(m_chargePointId, csmsId);
}

void ProxySession::recordEvent(const QString& kind, const QJsonObject& details)
{
    storage::EventRecord event;
    event.at = m_context.clock.nowUtc();
    event.chargePointId = m_chargePointId;
    event.kind = kind;
    event.details = details;
    storage::EventRepository(m_context.database).append(event);
}

void ProxySession::upstreamOpened()
{
    m_firstFrameTimer->stop();
    if (m_outageSince)
        qCInfo(lcProxy) << m_chargePointId << "CSMS reachable again after an outage since"
                        << m_outageSince->toString(Qt::ISODate);
    if (storage::OutboxRepository(m_context.database).hasQueued(m_chargePointId) || m_journalWritesInFlight > 0)
        beginReplay();
    m_outageSince.reset();
    setLink(Link::Open);
    const QList<QByteArray> held = std::exchange(m_heldFrames, {});
    for (const QByteArray& text : held)
        handleChargerText(text);
    pump();
}

void ProxySession::upstreamLost(const QString& reason)
{
    if (reason != m_lastProblem) {
        qCWarning(lcProxy).noquote() << m_chargePointId << "CSMS link down:" << reason;
        recordEvent(QStringLiteral("UpstreamDown"), {{QStringLiteral("reason"), reason}});
        m_lastProblem = reason;
    }
    m_firstFrameTimer->stop();
    m_answerTimer->stop();
    if (!m_outageSince)
        m_outageSince = m_context.clock.nowUtc();
    m_replaying = false;
    m_backlog.clear();
    m_replayedSeqs.clear();
    m_lastRefillSeq = 0;
    m_replayTurnGranted = false;
    m_context.replayPacer->forget(this);
    std::deque<UpstreamCall> unanswered = std::exchange(m_liveQueue, {});
    if (m_outstanding && m_outstanding->origin == UpstreamCall::Origin::Live)
        unanswered.push_front(std::move(*m_outstanding));
    m_outstanding.reset();
    setLink(Link::Down);
    for (const UpstreamCall& call : unanswered)
        fallBackLocally(call);
    const QList<QByteArray> held = std::exchange(m_heldFrames, {});
    for (const QByteArray& text : held)
        handleChargerText(text);
}

void ProxySession::setLink(Link link)
{
    m_link = link;
    Q_EMIT statusChanged();
}

} // namespace linkray::proxy
