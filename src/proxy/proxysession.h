#pragma once

#include "core/clock.h"
#include "ocpp/endpoint.h"
#include "ocpp/frame.h"
#include "proxy/replaypacer.h"
#include "storage/outboxrepository.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace linkray::storage {
class Database;
class OutboxWriter;
} // namespace linkray::storage

namespace linkray::proxy {

struct ProxySettings {
    qint64 answerTimeoutMs = 10000; // the CSMS's answer to one relayed or replayed call
    qint64 firstFrameWaitMs = 5000; // a new charger's first frames wait this long for the upstream to open
    int replayAttempts = 3; // unanswered replays of one outbox message before it is held for the operator
    qint64 outboxMaxMessages = 100000; // beyond this, status notifications are coalesced (docs/proxy.md)
};

struct ProxyContext {
    Clock& clock;
    storage::Database& database;
    storage::OutboxWriter& outbox;
    ProxySettings settings;
    // Shared by every session made with this context (copies share it too): the site's replays take turns.
    std::shared_ptr<ReplayPacer> replayPacer = std::make_shared<ReplayPacer>();
};

// How a charger's link to the CSMS looks from the outside (web app, HMI, logs).
enum class LinkState {
    WaitingForCsms, // the charger just connected; its first frames wait for the upstream to open
    Connected, // frames are relayed as they come
    Replaying, // the backlog goes to the CSMS first; live messages queue behind it
    Outage, // LinkRay answers the charger and keeps what the CSMS must see
};

QString linkStateName(LinkState state);

struct SessionStatus {
    QString chargePointId;
    LinkState state = LinkState::WaitingForCsms;
    std::optional<QDateTime> outageSince;
    QString lastProblem; // why the upstream last closed or was refused; empty when never
    std::optional<QDateTime> lastReplayAt; // the last backlog message the CSMS answered
};

// The relay between one connected charger and its upstream connection to the CSMS. Socket-free: frames come in
// through the handle* methods and leave through the two send functions, so that it is tested without a network.
//
// Charger calls go to the CSMS byte for byte while it answers; otherwise the local endpoint (attached to LocalCsms)
// answers them, after the ones the CSMS must see are committed to the outbox. The backlog is replayed, one call at
// a time, before anything live. CSMS calls reach the charger through the local endpoint's shared call queue, so
// that they never interleave with LinkRay's own. Transaction ids are translated both ways once the CSMS has given
// its own for a provisional one. See docs/proxy.md.
class ProxySession : public QObject {
    Q_OBJECT
public:
    // `sendToCsms` returns false when the upstream is not open.
    ProxySession(QString chargePointId, ProxyContext& context, ocpp::Endpoint& local,
        std::function<void(const QByteArray&)> sendToCharger, std::function<bool(const QByteArray&)> sendToCsms,
        QObject* parent = nullptr);
    ~ProxySession() override;

    QString chargePointId() const { return m_chargePointId; }
    SessionStatus status() const;

    // The charger is connected and its upstream is being opened: the first-frame wait starts.
    void start();

    void handleChargerText(const QByteArray& text);
    void handleCsmsText(const QByteArray& text);
    void upstreamOpened();
    // The upstream closed, could not be reached or was refused; `reason` is shown to the operator.
    void upstreamLost(const QString& reason);

Q_SIGNALS:
    void statusChanged();
    // A charger call relayed to the CSMS (validated leniently), for observers such as the balancer; calls answered
    // locally reach them through the local endpoint's callReceived instead.
    void chargerCallRelayed(const linkray::ocpp::IncomingCall& call);
    // The CSMS answered a relayed charger call with a result, which went on to the charger: LinkRay records what the
    // charger did as it would have had it answered itself.
    void relayedCallAnswered(const linkray::ocpp::IncomingCall& call, const QJsonObject& csmsResult);
    // A frame passed between the charger and the CSMS without the local endpoint, for the message log.
    void chargerFrameRelayed(const QByteArray& text, bool fromCharger, const QString& action);
    // The charger accepted a new AuthorizationKey from the CSMS.
    void authorizationKeyChanged(const QString& key);
    // The charger answered Accepted to a CSMS call (e.g. ClearChargingProfile, which may have removed LinkRay's own
    // profile), for observers such as the balancer.
    void csmsCommandAccepted(const QString& action, const QJsonObject& request);
    // The CSMS left a call unanswered: the owner closes the upstream and opens a new one (upstreamLost, then
    // upstreamOpened follow). What was kept is replayed on the new connection.
    void upstreamStalled(const QString& reason);

private:
    // A charger → CSMS call on its way upstream.
    struct UpstreamCall {
        enum class Origin { Live, Backlog } origin = Origin::Live;
        QString uniqueId;
        QString action;
        QByteArray text; // as the charger sent it
        QJsonObject payload;
        qint64 seq = 0; // Backlog: its outbox row
        int attempts = 0; // Backlog: unanswered sends before this one
        // Live: the payload as validated for observers; nullopt when it did not validate.
        std::optional<QJsonObject> observedPayload = std::nullopt;
    };
    enum class Link { Waiting, Open, Down };

    void routeChargerCall(const QByteArray& text, const ocpp::Call& call);
    void answerLocally(const QByteArray& text, const ocpp::Call& call);
    void journalThenAnswer(const QByteArray& text, const ocpp::Call& call);
    // The CALLERROR for a journaled call that was not stored: the charger keeps it and sends it again.
    void refuseUnstored(const ocpp::Call& call);
    // The CSMS did not answer a live call: the charger gets LinkRay's answer, and the CSMS the message later.
    void fallBackLocally(const UpstreamCall& call);
    bool hasRoomFor(const QString& action);
    void pump();
    bool refillBacklog();
    // The next backlog row as a call to send; rows that are not a CALL are held on the way. Nullopt when none is left.
    std::optional<UpstreamCall> nextBacklogCall();
    bool mayReplayNow();
    void beginReplay();
    void finishReplay();
    void sendUpstream(UpstreamCall call);
    void settleOutstanding(const QByteArray& answerText, const ocpp::Frame& answer);
    void answerTimedOut();
    void settleBacklog(const UpstreamCall& call, const ocpp::Frame& answer);
    void handleCsmsCall(const QByteArray& text, const ocpp::Call& call);
    void observeCsmsAnswer(const UpstreamCall& call, const ocpp::Frame& answer);
    void observeChargerAnswer(const ocpp::Call& csmsCall, const QByteArray& answerText);
    void mapTransaction(const UpstreamCall& start, const QJsonObject& result);
    std::optional<qint64> csmsTransactionId(qint64 provisionalId) const;
    std::optional<qint64> provisionalTransactionId(qint64 csmsId) const;
    void recordEvent(const QString& kind, const QJsonObject& details);
    void setLink(Link link);

    QString m_chargePointId;
    ProxyContext& m_context;
    QPointer<ocpp::Endpoint> m_local;
    std::function<void(const QByteArray&)> m_sendToCharger;
    std::function<bool(const QByteArray&)> m_sendToCsms;
    std::unique_ptr<Timer> m_firstFrameTimer;
    std::unique_ptr<Timer> m_answerTimer;

    Link m_link = Link::Waiting;
    std::optional<QDateTime> m_outageSince;
    QString m_lastProblem;
    std::optional<QDateTime> m_lastReplayAt;

    QList<QByteArray> m_heldFrames; // charger frames waiting for the upstream to open
    std::optional<UpstreamCall> m_outstanding;
    std::deque<UpstreamCall> m_liveQueue; // live calls that are not journaled, sent before the next backlog message
    // The next outbox rows to replay, oldest first; parsed one at a time when sent, so that a refill stays short.
    std::deque<storage::OutboxMessage> m_backlog;
    QSet<qint64> m_replayedSeqs; // sent (or sent out of order, like the latest boot) in this replay
    qint64 m_lastRefillSeq = 0;
    bool m_replaying = false;
    bool m_replayTurnGranted = false; // the pacer resumed this session: its next backlog call may go
    int m_journalWritesInFlight = 0;
};

} // namespace linkray::proxy
