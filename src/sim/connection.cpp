#include "sim/connection.h"

#include "sim/logging.h"

#include <QNetworkRequest>
#include <QWebSocketHandshakeOptions>

#include <algorithm>

namespace linkray::sim {

namespace {
const QString Subprotocol = QStringLiteral("ocpp1.6");
constexpr qint64 FirstRetryMs = 1000;
constexpr qint64 LongestRetryMs = 60'000;
} // namespace

Connection::Connection(Clock& realClock, Clock& simulatedClock, const ChargePointSettings& settings,
    const QUrl& baseUrl, quint32 seed, QObject* parent)
    : QObject(parent)
    , m_url(chargePointUrl(baseUrl, settings.id))
    , m_reconnectTimer(realClock.createTimer())
    , m_jitter(seed)
{
    ocpp::Endpoint::Options options;
    options.strictness = ocpp::Strictness::Strict;
    m_endpoint = std::make_unique<ocpp::Endpoint>(
        realClock, [this](const QByteArray& frame) { sendFrame(frame); }, options);
    m_chargePoint = std::make_unique<ChargePoint>(simulatedClock, *m_endpoint, settings, seed);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer.get(), &Timer::timeout, this, &Connection::open);
    connect(&m_socket, &QWebSocket::connected, this, &Connection::onConnected);
    connect(&m_socket, &QWebSocket::stateChanged, this, &Connection::onStateChanged);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
        [this](const QString& text) { m_endpoint->handleIncoming(text.toUtf8()); });
    connect(m_endpoint.get(), &ocpp::Endpoint::protocolDeviation, this,
        [this](const ocpp::Violation& violation, const QString& action) {
            qCWarning(lcSim).noquote() << m_chargePoint->id() << "protocol fault of the CSMS in" << action << ":"
                                       << violation.path << violation.description;
        });
}

Connection::~Connection()
{
    m_socket.disconnect(this);
    m_endpoint->cancelAll(QStringLiteral("simulator shutting down"));
}

void Connection::open()
{
    QNetworkRequest request(m_url);
    const QString password = m_chargePoint->authorizationKey();
    if (!password.isEmpty()) {
        const QByteArray credentials = (m_chargePoint->id() + QLatin1Char(':') + password).toUtf8().toBase64();
        request.setRawHeader("Authorization", "Basic " + credentials);
    }
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({Subprotocol});
    qCDebug(lcSim).noquote() << m_chargePoint->id() << "connecting to" << m_url.toString();
    m_socket.open(request, options);
}

void Connection::onConnected()
{
    if (m_socket.subprotocol() != Subprotocol)
        qCWarning(lcSim).noquote() << m_chargePoint->id() << "the CSMS did not agree on ocpp1.6; continuing anyway";
    m_failedAttempts = 0;
    m_wasConnected = true;
    qCInfo(lcSim).noquote() << m_chargePoint->id() << "connected to" << m_url.toString();
    m_chargePoint->transportConnected();
}

void Connection::onStateChanged(QAbstractSocket::SocketState state)
{
    if (state != QAbstractSocket::UnconnectedState || m_reconnectTimer->isActive())
        return;
    if (m_wasConnected) {
        qCWarning(lcSim).noquote() << m_chargePoint->id() << "connection closed:" << m_socket.closeCode()
                                   << m_socket.closeReason();
        m_wasConnected = false;
        m_endpoint->cancelAll(QStringLiteral("connection closed"));
        m_chargePoint->transportDisconnected();
    } else {
        qCWarning(lcSim).noquote() << m_chargePoint->id() << "cannot connect:" << m_socket.errorString();
    }
    // Exponential backoff with jitter, so that a site full of chargers does not reconnect in one storm.
    const qint64 backoff = std::min(LongestRetryMs, FirstRetryMs << std::min(m_failedAttempts, 6));
    std::uniform_int_distribution<qint64> jitter(backoff / 2, backoff);
    ++m_failedAttempts;
    m_reconnectTimer->start(jitter(m_jitter));
}

void Connection::sendFrame(const QByteArray& frame)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcSim).noquote() << m_chargePoint->id() << "not connected: frame dropped";
        return;
    }
    m_socket.sendTextMessage(QString::fromUtf8(frame));
}

} // namespace linkray::sim
