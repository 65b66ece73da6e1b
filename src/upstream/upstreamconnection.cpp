#include "upstream/upstreamconnection.h"

#include "core/clock.h"
#include "core/socketmemory.h"
#include "upstream/handshake.h"
#include "upstream/logging.h"

#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace linkray::upstream {

namespace {
const QString kSubprotocol = QStringLiteral("ocpp1.6");

QString sslErrorText(const QList<QSslError>& errors)
{
    QStringList texts;
    for (const QSslError& error : errors)
        texts << error.errorString();
    return texts.join(QStringLiteral("; "));
}
} // namespace

UpstreamConnection::UpstreamConnection(QString chargePointId, Options options, Clock& clock, QObject* parent)
    : QObject(parent)
    , m_chargePointId(std::move(chargePointId))
    , m_options(std::move(options))
    , m_url(chargePointUrl(m_options.csmsUrl, m_chargePointId))
    , m_clock(clock)
    , m_random(m_options.jitterSeed.value_or(QRandomGenerator::system()->generate()))
    , m_connectDeadline(clock.createTimer())
    , m_reconnectTimer(clock.createTimer())
{
    if (!m_options.csmsUrl.userInfo().isEmpty())
        qCWarning(lcUpstream) << "user info in the CSMS URL is not used for" << m_chargePointId
                              << "(credentials come from the credentials mode only)";
    m_connectDeadline->setSingleShot(true);
    connect(m_connectDeadline.get(), &Timer::timeout, this, [this] {
        attemptFailed(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
            QStringLiteral("no WebSocket handshake within %1 ms").arg(m_options.connectTimeoutMs));
    });
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer.get(), &Timer::timeout, this, &UpstreamConnection::startAttempt);
}

UpstreamConnection::~UpstreamConnection()
{
    // The socket is a child and outlives this object's members: it must not call back into them.
    if (m_socket)
        m_socket->disconnect(this);
}

void UpstreamConnection::open()
{
    if (m_state != State::Closed)
        return;
    m_failures = 0;
    startAttempt();
}

void UpstreamConnection::close(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    const State before = m_state;
    if (before == State::Closed)
        return;
    m_reconnectTimer->stop();
    m_connectDeadline->stop();
    if (before == State::Open) {
        // The socket stays alive until the close handshake is done, so that the close frame reaches the CSMS.
        stopKeepAlive();
        m_socket->disconnect(this);
        connect(m_socket, &QWebSocket::disconnected, m_socket, &QObject::deleteLater);
        m_socket->close(code, reason);
        m_socket = nullptr;
    } else {
        releaseSocket();
    }
    setState(State::Closed);
    qCInfo(lcUpstream) << "closed upstream of" << m_chargePointId << code << reason;
    if (before != State::Waiting)
        Q_EMIT closed(code, reason);
}

bool UpstreamConnection::sendText(const QByteArray& text)
{
    if (m_state != State::Open)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(text));
    return true;
}

void UpstreamConnection::startAttempt()
{
    m_sslErrors.clear();
    m_closeFrameSeen = false;
    setState(State::Connecting);

    std::optional<QSslConfiguration> sslConfiguration;
    if (m_url.scheme() == QLatin1String("wss")) {
        const TlsSetup tls = loadTlsConfiguration(m_options.tls);
        if (!tls.configuration) {
            attemptRefused(QStringLiteral("TLS set-up failed: %1").arg(tls.error), std::nullopt);
            return;
        }
        sslConfiguration = tls.configuration;
    }

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &UpstreamConnection::socketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &UpstreamConnection::socketDisconnected);
    connect(
        m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &UpstreamConnection::socketError);
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) { m_sslErrors = errors; });
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeFrameSeen = true; });
    connect(m_socket, &QWebSocket::textMessageReceived, this,
        [this](const QString& text) { Q_EMIT textReceived(text.toUtf8()); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
        qCWarning(lcUpstream) << "dropped a binary message of" << data.size() << "bytes from the CSMS for"
                              << m_chargePointId << "(OCPP-J is text only)";
    });
    if (sslConfiguration)
        m_socket->setSslConfiguration(*sslConfiguration);

    QNetworkRequest request(m_url);
    const Credentials& credentials = m_options.credentials;
    if (credentials.mode == CredentialsMode::PassThrough && !credentials.chargerAuthorization.isEmpty())
        request.setRawHeader("Authorization", credentials.chargerAuthorization);
    else if (credentials.mode == CredentialsMode::Configured)
        request.setRawHeader("Authorization", basicAuthorization(m_chargePointId, credentials.password));
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({kSubprotocol});

    qCDebug(lcUpstream) << "connecting" << m_chargePointId << "to" << m_url.toDisplayString();
    m_connectDeadline->start(m_options.connectTimeoutMs);
    m_socket->open(request, handshake);
    // QWebSocket makes its TCP (or TLS) socket in open(): the first moment it can be reached, nothing written yet.
    releaseIdleSocketBuffers(*m_socket);
}

void UpstreamConnection::socketConnected()
{
    m_connectDeadline->stop();
    m_openedAtMs = m_clock.monotonicMs();
    // OCPP says a CSMS that does not agree closes the connection itself; one that stays silent about the
    // subprotocol but works is tolerated.
    if (m_socket->subprotocol() != kSubprotocol)
        qCWarning(lcUpstream) << "CSMS accepted" << m_chargePointId << "without agreeing on subprotocol" << kSubprotocol
                              << "(got" << m_socket->subprotocol() << ")";
    qCInfo(lcUpstream) << "upstream open for" << m_chargePointId << "at" << m_url.toDisplayString();
    m_keepAlive = new WebSocketKeepAlive(*m_socket, m_clock, m_options.keepAlive, m_socket);
    connect(m_keepAlive, &WebSocketKeepAlive::peerSilent, this, [this] {
        attemptFailed(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
            QStringLiteral("the CSMS did not answer a ping within %1 ms").arg(m_options.keepAlive.pongTimeoutMs));
    });
    setState(State::Open);
    Q_EMIT opened();
}

void UpstreamConnection::socketError()
{
    // Errors of an open connection are followed by `disconnected`, which reports them.
    if (m_state != State::Connecting)
        return;
    if (!m_sslErrors.isEmpty()) {
        attemptRefused(QStringLiteral("TLS certificate of the CSMS not accepted: %1").arg(sslErrorText(m_sslErrors)),
            std::nullopt);
        return;
    }
    const QString errorString = m_socket->errorString();
    if (const std::optional<int> status = httpStatusOfRefusal(errorString)) {
        attemptRefused(QStringLiteral("CSMS refused the WebSocket upgrade with HTTP %1").arg(*status), status);
        return;
    }
    attemptFailed(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
        QStringLiteral("cannot connect to the CSMS: %1")
            .arg(errorString.isEmpty() ? QStringLiteral("connection closed during the handshake") : errorString));
}

void UpstreamConnection::socketDisconnected()
{
    // Qt may report a failed attempt by `disconnected` before (or instead of) `error`.
    if (m_state == State::Connecting) {
        socketError();
        return;
    }
    if (m_closeFrameSeen) {
        attemptFailed(m_socket->closeCode(), m_socket->closeReason());
        return;
    }
    const QString lost = QStringLiteral("connection to the CSMS lost without a close frame");
    attemptFailed(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
        m_socket->errorString().isEmpty() ? lost : QStringLiteral("%1: %2").arg(lost, m_socket->errorString()));
}

void UpstreamConnection::attemptFailed(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    qCInfo(lcUpstream) << "upstream of" << m_chargePointId << "ended:" << code << reason;
    endAttempt();
    Q_EMIT closed(code, reason);
}

void UpstreamConnection::attemptRefused(const QString& reason, std::optional<int> httpStatus)
{
    qCWarning(lcUpstream) << "upstream of" << m_chargePointId << "refused:" << reason;
    endAttempt();
    Q_EMIT refused(reason, httpStatus);
}

void UpstreamConnection::endAttempt()
{
    const bool wasOpen = m_state == State::Open;
    m_connectDeadline->stop();
    releaseSocket();
    if (wasOpen && m_clock.monotonicMs() - m_openedAtMs >= m_options.backoff.resetAfterOpenMs)
        m_failures = 0;
    ++m_failures;
    const qint64 delayMs = backoffDelayMs(m_options.backoff, m_failures, m_random);
    qCDebug(lcUpstream) << "reconnecting" << m_chargePointId << "in" << delayMs << "ms (failure" << m_failures << ")";
    // Waiting before the signal: an owner that closes from its slot cancels this reconnect.
    setState(State::Waiting);
    m_reconnectTimer->start(delayMs);
}

void UpstreamConnection::stopKeepAlive()
{
    if (m_keepAlive)
        m_keepAlive->stop();
    m_keepAlive = nullptr;
}

void UpstreamConnection::releaseSocket()
{
    stopKeepAlive();
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void UpstreamConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace linkray::upstream
