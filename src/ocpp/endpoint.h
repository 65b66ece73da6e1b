#pragma once

#include "core/clock.h"
#include "ocpp/frame.h"
#include "ocpp/validation.h"

#include <QObject>

#include <functional>
#include <memory>

// One side of an OCPP-J connection, without the socket: text frames in, text frames out.
// Used by LinkRay towards each charge point and by linkray-sim towards LinkRay.
namespace linkray::ocpp {

class CallTracker;

// The answer to a call this endpoint made.
struct CallOutcome {
    enum class Kind { Result, Error, Timeout, Cancelled } kind = Kind::Timeout;
    QJsonObject payload; // Result: the CALLRESULT payload (validated); Error: the CALLERROR details
    QString errorCode; // Error: as the peer sent it
    QString description; // Error or Timeout: human-readable
};

using CallCallback = std::function<void(const CallOutcome&)>;

// The end of another peer's CALL that this endpoint relayed.
struct RelayOutcome {
    enum class Kind { Answered, Timeout, Cancelled } kind = Kind::Timeout;
    QByteArray answerText; // Answered: the peer's CALLRESULT or CALLERROR frame, byte for byte, unvalidated
    QString description; // Timeout or Cancelled: human-readable
};

using RelayCallback = std::function<void(const RelayOutcome&)>;

// A CALL received from the peer, to be answered exactly once through the endpoint.
struct IncomingCall {
    QString uniqueId;
    QString action;
    QJsonObject payload; // after validation; lenient coercions applied
    QList<Violation> deviations; // tolerated deviations (lenient mode), for logging and counting
};

class Endpoint : public QObject {
    Q_OBJECT
public:
    struct Options {
        Strictness strictness = Strictness::Lenient;
        qint64 callTimeoutMs = 30000; // how long to wait for the peer's answer to our CALL
        int maxQueuedCalls = 1000; // calls waiting behind the outstanding one; beyond that sendCall/relayCall fail
        int maxFrameBytes = 65536; // a larger incoming frame is answered with a CALLERROR (or dropped) unread
        QString callIdPrefix; // starts our own calls' uniqueIds, keeping them apart from relayed ones (CallTracker)
    };

    // `send` writes one text frame to the peer.
    Endpoint(Clock& clock, std::function<void(const QByteArray&)> send, Options options);
    ~Endpoint() override;

    void setStrictness(Strictness strictness);
    Strictness strictness() const;

    // Feed one text frame received from the peer.
    void handleIncoming(const QByteArray& text);

    // Queue a CALL; it is sent when no other call (ours or relayed) is outstanding. The callback runs exactly once.
    void sendCall(const QString& action, const QJsonObject& payload, CallCallback callback);

    // Queue another peer's CALL in the same queue as ours; when its turn comes it is written as `text`, unchanged.
    // The peer's answer is handed over raw, never validated nor emitted as callReceived. Returns false, queues
    // nothing and never runs the callback when the queue is full; otherwise the callback runs exactly once.
    bool relayCall(const QString& uniqueId, const QString& action, const QByteArray& text, RelayCallback callback);

    // Answer an IncomingCall (exactly once per uniqueId).
    void sendResult(const QString& uniqueId, const QJsonObject& payload);
    void sendError(
        const QString& uniqueId, ErrorCode code, const QString& description, const QJsonObject& details = {});

    // Fail every outstanding and queued call, relayed ones too, with Kind::Cancelled (e.g. the connection closed).
    void cancelAll(const QString& reason);

    // Both count relayed calls as well as ours.
    int queuedCallCount() const;
    bool hasOutstandingCall() const;

Q_SIGNALS:
    void callReceived(const linkray::ocpp::IncomingCall& call);
    // A frame that was rejected or dropped, or a deviation that was tolerated: for the log and the counters.
    void protocolDeviation(const linkray::ocpp::Violation& violation, const QString& action);
    void frameSent(const QByteArray& text, const QString& action);
    void frameReceived(const QByteArray& text, const QString& action);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace linkray::ocpp
