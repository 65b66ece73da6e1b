#pragma once

#include "core/keepalive.h"
#include "upstream/backoff.h"
#include "upstream/tls.h"

#include <QObject>
#include <QSslError>
#include <QUrl>
#include <QWebSocketProtocol>

#include <memory>
#include <optional>

class QWebSocket;

namespace linkray {
class Clock;
class Timer;
} // namespace linkray

namespace linkray::upstream {

// One charge point's WebSocket to the CSMS (`<csmsUrl>/<chargePointId>`, subprotocol ocpp1.6), kept open from
// open() to close() by reconnecting with backoff. Transport only: text frames pass unchanged, nothing is buffered.
// See docs/upstream.md.
class UpstreamConnection : public QObject {
    Q_OBJECT
public:
    enum class State {
        Closed, // not opened, or closed by the owner
        Waiting, // the last attempt ended; the next one starts when the backoff delay has passed
        Connecting, // TCP, TLS and the WebSocket upgrade in progress
        Open,
    };
    Q_ENUM(State)

    enum class CredentialsMode {
        None, // no Authorization header
        PassThrough, // the charger's own Authorization header, as it sent it to LinkRay
        Configured, // Basic auth with user = charge point id and the configured password
    };

    struct Credentials {
        CredentialsMode mode = CredentialsMode::None;
        QByteArray chargerAuthorization; // PassThrough: the header value as received; empty = none
        QString password; // Configured: the charge point's AuthorizationKey at the CSMS
    };

    struct Options {
        QUrl csmsUrl; // ws:// or wss://, with or without a trailing '/'
        Credentials credentials;
        TlsOptions tls; // wss:// only
        qint64 connectTimeoutMs = 10000; // TCP + TLS + upgrade; an attempt still unfinished then is aborted
        Backoff backoff;
        WebSocketKeepAlive::Options keepAlive; // a CSMS silent after a ping is treated as lost (half-open TCP)
        std::optional<quint32> jitterSeed; // fixes the jitter sequence (tests); unset = a random seed
    };

    UpstreamConnection(QString chargePointId, Options options, Clock& clock, QObject* parent = nullptr);
    ~UpstreamConnection() override;

    QString chargePointId() const { return m_chargePointId; }
    // The URL connected to (without user info, so it can be logged and shown).
    QUrl url() const { return m_url; }
    State state() const { return m_state; }

    // Starts connecting at once and keeps reconnecting until close(). Does nothing unless Closed.
    // Signals may be emitted from within this call (a TLS file that cannot be read is refused at once).
    void open();
    // Sends a close frame when Open, aborts an attempt in progress, cancels a pending reconnect. An attempt or
    // connection that was still alive ends with `closed(code, reason)`.
    void close(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal, const QString& reason = {});

    // Sends one text frame unchanged. Returns false, sending nothing, unless Open.
    bool sendText(const QByteArray& text);

Q_SIGNALS:
    void stateChanged(linkray::upstream::UpstreamConnection::State state);
    void opened();
    void textReceived(const QByteArray& text);
    // Every attempt ends with exactly one of `closed` and `refused` (after `opened` or without it).
    // `closed`: the CSMS's close code and reason when it closed; 1006 when the attempt failed or the connection
    // was lost without a close frame (the reason then says why); the owner's when close() was called.
    void closed(QWebSocketProtocol::CloseCode code, const QString& reason);
    // The CSMS or its certificate said no: the upgrade was answered with an HTTP status other than 101
    // (`httpStatus`), the certificate did not verify, or the TLS files could not be used (no status).
    void refused(const QString& reason, std::optional<int> httpStatus);

private:
    void startAttempt();
    void socketConnected();
    void socketError();
    void socketDisconnected();
    // Ends the current attempt (dropping its socket), schedules the next one, then emits `closed`.
    void attemptFailed(QWebSocketProtocol::CloseCode code, const QString& reason);
    void attemptRefused(const QString& reason, std::optional<int> httpStatus);
    void endAttempt();
    void releaseSocket();
    void stopKeepAlive();
    void setState(State state);

    QString m_chargePointId;
    Options m_options;
    QUrl m_url;
    Clock& m_clock;
    JitterGenerator m_random;
    std::unique_ptr<Timer> m_connectDeadline;
    std::unique_ptr<Timer> m_reconnectTimer;
    QWebSocket* m_socket = nullptr;
    WebSocketKeepAlive* m_keepAlive = nullptr; // while Open; a child of the socket, so it goes with it
    QList<QSslError> m_sslErrors; // of the current attempt
    State m_state = State::Closed;
    int m_failures = 0; // attempts ended since the last reset
    qint64 m_openedAtMs = 0;
    bool m_closeFrameSeen = false;
};

} // namespace linkray::upstream
