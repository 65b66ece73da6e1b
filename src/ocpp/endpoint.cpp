#include "ocpp/endpoint.h"

#include "ocpp/calltracker.h"
#include "ocpp/logging.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <deque>

namespace linkray::ocpp {

namespace {

constexpr int UniqueIdProbeBytes = 64;

// The uniqueId of a CALL, read from the first bytes of a text too large to parse.
std::optional<QString> leadingCallUniqueId(const QByteArray& text)
{
    static const QRegularExpression pattern(QStringLiteral(R"re(^\s*\[\s*2\s*,\s*"([^"\\]{1,36})")re"));
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(text.left(UniqueIdProbeBytes)));
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1);
}

// A CALLERROR may only answer a CALL: a malformed CALLRESULT or CALLERROR is never answered.
bool isAnswerFrame(const QByteArray& text)
{
    const int type = QJsonDocument::fromJson(text).array().at(0).toInt();
    return type == static_cast<int>(MessageType::CallResult) || type == static_cast<int>(MessageType::CallError);
}

// The validator's descriptions leave the field to the path: a peer must be told both.
QString describe(const Violation& violation)
{
    return violation.path.isEmpty() ? violation.description
                                    : QStringLiteral("%1: %2").arg(violation.path, violation.description);
}

Violation rejection(ErrorCode code, const QString& description)
{
    return Violation {code, QString(), description, false};
}

// Frame-level deviations join the payload's violations, so that one rule decides under the current strictness.
ValidationResult withFrameDeviations(ValidationResult result, const QStringList& deviations)
{
    QList<Violation> violations;
    for (const QString& deviation : deviations)
        violations << Violation {ErrorCode::FormationViolation, QString(), deviation, true};
    result.violations = violations + result.violations;
    return result;
}

} // namespace

struct Endpoint::Private {
    Private(Endpoint& endpoint, Clock& clock, std::function<void(const QByteArray&)> sendFrame, Options endpointOptions)
        : q(endpoint)
        , send(std::move(sendFrame))
        , options(endpointOptions)
        , tracker(clock, CallTracker::Options {options.callTimeoutMs, options.maxQueuedCalls, options.callIdPrefix})
    {
    }

    void write(const QByteArray& text, const QString& action);
    enum class Handling { Tolerated, Rejected };
    void reportDeviation(const Violation& violation, const QString& action, Handling handling);
    void answerError(const QString& uniqueId, const Violation& violation, const QString& action);
    std::optional<QString> takeUnanswered(const QString& uniqueId);
    void settle(const QString& uniqueId, const CallOutcome& outcome);
    void settleRelayed(const TrackedCall& call, const RelayOutcome& outcome);

    void handleOversized(const QByteArray& text);
    void handleUnreadable(const QByteArray& text, const FrameError& error);
    void handleCall(const QByteArray& text, const Call& call, const QStringList& deviations);
    void handleAnswer(const QByteArray& text, const ParsedFrame& parsed);
    void handleResult(const TrackedCall& call, const CallResult& result, const QStringList& deviations);

    Endpoint& q;
    std::function<void(const QByteArray&)> send;
    Options options;
    CallTracker tracker;
    QHash<QString, CallCallback> callbacks; // by the uniqueId of our call
    // A relayed call's id is another peer's and may repeat, so it cannot be a key. Calls end in the order they
    // were queued (one outstanding, FIFO), so the oldest waiting callback always belongs to the call that ends.
    struct PendingRelay {
        QString uniqueId;
        RelayCallback callback;
    };
    std::deque<PendingRelay> relayCallbacks;
    QHash<QString, QString> unansweredIncoming; // the peer's CALLs we have not answered: uniqueId -> action
};

void Endpoint::Private::write(const QByteArray& text, const QString& action)
{
    send(text);
    Q_EMIT q.frameSent(text, action);
}

void Endpoint::Private::reportDeviation(const Violation& violation, const QString& action, Handling handling)
{
    // Only the path and our own description are logged, never a payload: it may hold a password.
    const QString where = action.isEmpty() ? QStringLiteral("frame") : action;
    if (handling == Handling::Tolerated)
        qCInfo(lcOcpp).noquote() << QStringLiteral("tolerated in %1: %2").arg(where, describe(violation));
    else
        qCWarning(lcOcpp).noquote() << QStringLiteral("rejected %1: %2").arg(where, describe(violation));
    Q_EMIT q.protocolDeviation(violation, action);
}

void Endpoint::Private::answerError(const QString& uniqueId, const Violation& violation, const QString& action)
{
    reportDeviation(violation, action, Handling::Rejected);
    unansweredIncoming.remove(uniqueId);
    write(serializeCallError(uniqueId, violation.code, describe(violation)), action);
}

std::optional<QString> Endpoint::Private::takeUnanswered(const QString& uniqueId)
{
    const auto found = unansweredIncoming.constFind(uniqueId);
    if (found == unansweredIncoming.constEnd()) {
        qCWarning(lcOcpp) << "no unanswered CALL" << uniqueId << "from the peer: answer not sent";
        return std::nullopt;
    }
    const QString action = found.value();
    unansweredIncoming.erase(found);
    return action;
}

void Endpoint::Private::settle(const QString& uniqueId, const CallOutcome& outcome)
{
    const CallCallback callback = callbacks.take(uniqueId);
    if (callback)
        callback(outcome);
}

void Endpoint::Private::settleRelayed(const TrackedCall& call, const RelayOutcome& outcome)
{
    Q_ASSERT(!relayCallbacks.empty() && relayCallbacks.front().uniqueId == call.uniqueId);
    const RelayCallback callback = std::move(relayCallbacks.front().callback);
    relayCallbacks.pop_front();
    callback(outcome);
}

void Endpoint::Private::handleOversized(const QByteArray& text)
{
    Q_EMIT q.frameReceived(text, QString());
    const Violation violation = rejection(ErrorCode::FormationViolation,
        QStringLiteral("frame of %1 bytes exceeds the limit of %2").arg(text.size()).arg(options.maxFrameBytes));
    if (const auto uniqueId = leadingCallUniqueId(text))
        answerError(*uniqueId, violation, QString());
    else
        reportDeviation(violation, QString(), Handling::Rejected);
}

void Endpoint::Private::handleUnreadable(const QByteArray& text, const FrameError& error)
{
    const Violation violation = rejection(error.code, error.description);
    if (!error.uniqueId || !isAnswerFrame(text)) {
        Q_EMIT q.frameReceived(text, QString());
        if (error.uniqueId)
            answerError(*error.uniqueId, violation, QString());
        else
            reportDeviation(violation, QString(), Handling::Rejected);
        return;
    }
    const AnswerMatch match = tracker.matchAnswer(*error.uniqueId);
    Q_EMIT q.frameReceived(text, match.call.action);
    if (match.kind == AnswerMatch::Kind::Outstanding && match.call.isRelayed()) {
        // The peer that made the call judges its answer, garbled or not.
        settleRelayed(match.call, RelayOutcome {RelayOutcome::Kind::Answered, text, QString()});
        return;
    }
    // A garbled answer to our outstanding call fails it now rather than at its timeout.
    reportDeviation(violation, match.call.action, Handling::Rejected);
    if (match.kind == AnswerMatch::Kind::Outstanding)
        settle(match.call.uniqueId,
            CallOutcome {CallOutcome::Kind::Error, {}, errorCodeName(error.code), error.description});
}

void Endpoint::Private::handleCall(const QByteArray& text, const Call& call, const QStringList& deviations)
{
    Q_EMIT q.frameReceived(text, call.action);
    // OCPP-J allows a new CALL once the previous one timed out at the sender, which the receiver cannot see:
    // handled in both modes, but counted (docs/ocpp.md).
    if (!unansweredIncoming.isEmpty())
        reportDeviation(Violation {ErrorCode::ProtocolError, QString(),
                            QStringLiteral("CALL %1 arrived while the peer's CALL %2 is unanswered")
                                .arg(call.uniqueId, unansweredIncoming.constBegin().key()),
                            true},
            call.action, Handling::Tolerated);
    unansweredIncoming.insert(call.uniqueId, call.action);

    if (!isKnownAction(call.action)) {
        const QString description = QStringLiteral("action %1 is not implemented").arg(call.action);
        answerError(call.uniqueId, rejection(ErrorCode::NotImplemented, description), call.action);
        return;
    }
    const ValidationResult validated
        = withFrameDeviations(validatePayload(call.action, PayloadKind::Request, call.payload), deviations);
    if (const Violation* blocking = validated.blocking(options.strictness)) {
        answerError(call.uniqueId, *blocking, call.action);
        return;
    }
    for (const Violation& violation : validated.violations)
        reportDeviation(violation, call.action, Handling::Tolerated);
    Q_EMIT q.callReceived(IncomingCall {call.uniqueId, call.action, validated.payload, validated.violations});
}

void Endpoint::Private::handleAnswer(const QByteArray& text, const ParsedFrame& parsed)
{
    const QString uniqueId = uniqueIdOf(parsed.frame);
    const AnswerMatch match = tracker.matchAnswer(uniqueId);
    const QString& action = match.call.action;
    Q_EMIT q.frameReceived(text, action);
    if (match.kind == AnswerMatch::Kind::Unknown) {
        reportDeviation(rejection(ErrorCode::ProtocolError,
                            QStringLiteral("answer to call %1, which was never made").arg(uniqueId)),
            action, Handling::Rejected);
        return;
    }
    if (match.kind == AnswerMatch::Kind::TimedOut) {
        reportDeviation(
            rejection(ErrorCode::ProtocolError, QStringLiteral("answer to call %1 after its timeout").arg(uniqueId)),
            action, Handling::Rejected);
        return;
    }
    if (match.call.isRelayed()) {
        // Transparency: the peer that made the call judges its answer; LinkRay neither validates nor acts on it.
        settleRelayed(match.call, RelayOutcome {RelayOutcome::Kind::Answered, text, QString()});
        return;
    }
    if (const auto* result = std::get_if<CallResult>(&parsed.frame)) {
        handleResult(match.call, *result, parsed.deviations);
        return;
    }
    for (const Violation& violation : withFrameDeviations({}, parsed.deviations).violations)
        reportDeviation(violation, action, Handling::Tolerated);
    const auto& error = std::get<CallError>(parsed.frame);
    settle(uniqueId, CallOutcome {CallOutcome::Kind::Error, error.details, error.errorCode, error.description});
}

void Endpoint::Private::handleResult(const TrackedCall& call, const CallResult& result, const QStringList& deviations)
{
    const ValidationResult validated
        = withFrameDeviations(validatePayload(call.action, PayloadKind::Response, result.payload), deviations);
    if (const Violation* blocking = validated.blocking(options.strictness)) {
        reportDeviation(*blocking, call.action, Handling::Rejected);
        settle(call.uniqueId,
            CallOutcome {CallOutcome::Kind::Error, {}, errorCodeName(blocking->code), describe(*blocking)});
        return;
    }
    for (const Violation& violation : validated.violations)
        reportDeviation(violation, call.action, Handling::Tolerated);
    settle(call.uniqueId, CallOutcome {CallOutcome::Kind::Result, validated.payload, QString(), QString()});
}

Endpoint::Endpoint(Clock& clock, std::function<void(const QByteArray&)> send, Options options)
    : d(std::make_unique<Private>(*this, clock, std::move(send), options))
{
    connect(&d->tracker, &CallTracker::callReady, this, [this](const TrackedCall& call) {
        d->write(
            call.isRelayed() ? call.relayedText : serializeCall(call.uniqueId, call.action, call.payload), call.action);
    });
    connect(&d->tracker, &CallTracker::callTimedOut, this, [this](const TrackedCall& call) {
        const QString description = QStringLiteral("no answer to %1 call %2 within %3 ms")
                                        .arg(call.action, call.uniqueId)
                                        .arg(d->options.callTimeoutMs);
        qCWarning(lcOcpp).noquote() << description;
        if (call.isRelayed())
            d->settleRelayed(call, RelayOutcome {RelayOutcome::Kind::Timeout, QByteArray(), description});
        else
            d->settle(call.uniqueId, CallOutcome {CallOutcome::Kind::Timeout, {}, QString(), description});
    });
}

Endpoint::~Endpoint() = default;

void Endpoint::setStrictness(Strictness strictness)
{
    d->options.strictness = strictness;
}

Strictness Endpoint::strictness() const
{
    return d->options.strictness;
}

void Endpoint::handleIncoming(const QByteArray& text)
{
    if (text.size() > d->options.maxFrameBytes) {
        d->handleOversized(text);
        return;
    }
    const ParseResult result = parseFrame(text);
    if (const auto* error = std::get_if<FrameError>(&result)) {
        d->handleUnreadable(text, *error);
        return;
    }
    const auto& parsed = std::get<ParsedFrame>(result);
    if (const auto* call = std::get_if<Call>(&parsed.frame))
        d->handleCall(text, *call, parsed.deviations);
    else
        d->handleAnswer(text, parsed);
}

void Endpoint::sendCall(const QString& action, const QJsonObject& payload, CallCallback callback)
{
    // Our own request is held to the strict rules: a bug of ours must not reach a peer.
    if (!isKnownAction(action)) {
        qCWarning(lcOcpp) << "refusing to send unknown action" << action;
        callback(CallOutcome {CallOutcome::Kind::Error, {}, errorCodeName(ErrorCode::NotImplemented),
            QStringLiteral("action %1 is not in the OCPP 1.6 catalogue").arg(action)});
        return;
    }
    const ValidationResult validated = validatePayload(action, PayloadKind::Request, payload);
    if (const Violation* blocking = validated.blocking(Strictness::Strict)) {
        qCWarning(lcOcpp).noquote() << "refusing to send an invalid" << action << "request:" << blocking->path
                                    << blocking->description;
        callback(CallOutcome {CallOutcome::Kind::Error, {}, errorCodeName(blocking->code), describe(*blocking)});
        return;
    }
    // The tracker sends at once when idle; `send` never answers re-entrantly (a socket cannot), so the
    // callback is in place before the answer arrives.
    const auto uniqueId = d->tracker.enqueue(action, payload);
    if (!uniqueId) {
        callback(CallOutcome {CallOutcome::Kind::Cancelled, {}, QString(),
            QStringLiteral("send queue full (%1 calls waiting)").arg(d->options.maxQueuedCalls)});
        return;
    }
    d->callbacks.insert(*uniqueId, std::move(callback));
}

bool Endpoint::relayCall(const QString& uniqueId, const QString& action, const QByteArray& text, RelayCallback callback)
{
    // As in sendCall, nothing can answer before the callback is in place.
    if (!d->tracker.enqueueRelayed(uniqueId, action, text)) {
        qCWarning(lcOcpp) << "send queue full: not relaying" << action << "call" << uniqueId;
        return false;
    }
    d->relayCallbacks.push_back(Private::PendingRelay {uniqueId, std::move(callback)});
    return true;
}

void Endpoint::sendResult(const QString& uniqueId, const QJsonObject& payload)
{
    const auto action = d->takeUnanswered(uniqueId);
    if (!action)
        return;
    const ValidationResult validated = validatePayload(*action, PayloadKind::Response, payload);
    if (const Violation* blocking = validated.blocking(Strictness::Strict)) {
        qCWarning(lcOcpp).noquote() << "our" << *action << "response is invalid at" << blocking->path << "("
                                    << blocking->description << "): answering InternalError instead";
        d->write(serializeCallError(uniqueId, ErrorCode::InternalError,
                     QStringLiteral("LinkRay could not build a valid %1 response").arg(*action)),
            *action);
        return;
    }
    d->write(serializeCallResult(uniqueId, payload), *action);
}

void Endpoint::sendError(
    const QString& uniqueId, ErrorCode code, const QString& description, const QJsonObject& details)
{
    if (const auto action = d->takeUnanswered(uniqueId))
        d->write(serializeCallError(uniqueId, code, description, details), *action);
}

void Endpoint::cancelAll(const QString& reason)
{
    d->unansweredIncoming.clear();
    for (const TrackedCall& call : d->tracker.cancelAll()) {
        if (call.isRelayed())
            d->settleRelayed(call, RelayOutcome {RelayOutcome::Kind::Cancelled, QByteArray(), reason});
        else
            d->settle(call.uniqueId, CallOutcome {CallOutcome::Kind::Cancelled, {}, QString(), reason});
    }
}

int Endpoint::queuedCallCount() const
{
    return d->tracker.queuedCount();
}

bool Endpoint::hasOutstandingCall() const
{
    return d->tracker.hasOutstanding();
}

} // namespace linkray::ocpp
