#include "chargepoints/chargepointserver.h"

#include "chargepoints/logging.h"
#include "core/clock.h"
#include "core/socketmemory.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include <utility>

namespace linkray::chargepoints {

namespace {
const QString kSubprotocol = QStringLiteral("ocpp1.6");
}

ChargePointServer::ChargePointServer(Clock& clock, Options options, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_listener(std::make_unique<QTcpServer>())
    , m_handshaker(std::make_unique<QWebSocketServer>(QStringLiteral("LinkRay"), QWebSocketServer::NonSecureMode))
{
    m_handshaker->setSupportedSubprotocols({kSubprotocol});
    m_handshaker->setHandshakeTimeout(m_options.handshakeTimeoutMs);
    m_handshaker->setMaxPendingConnections(m_options.maxPendingConnections);
    m_listener->setMaxPendingConnections(m_options.maxPendingConnections);
    m_listener->setListenBacklogSize(m_options.listenBacklog);

    connect(m_listener.get(), &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_listener->nextPendingConnection()) {
            releaseIdleSocketBuffers(*socket);
            m_handshaker->handleConnection(socket);
        }
    });
    connect(m_handshaker.get(), &QWebSocketServer::newConnection, this, &ChargePointServer::acceptPending);
    connect(m_handshaker.get(), &QWebSocketServer::serverError, this, [this](QWebSocketProtocol::CloseCode code) {
        qCInfo(lcChargePoints) << "WebSocket handshake failed:" << code << m_handshaker->errorString();
    });
}

ChargePointServer::~ChargePointServer()
{
    // Connections go first and quietly: their TCP sockets hang off the listener, which is destroyed next.
    const auto open = std::exchange(m_connections, {});
    for (ChargePointConnection* connection : open) {
        connection->disconnect(this);
        delete connection;
    }
}

void ChargePointServer::setAdmissionPolicy(AdmissionPolicy policy)
{
    m_admissionPolicy = std::move(policy);
}

bool ChargePointServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_listener->listen(address, port)) {
        qCWarning(lcChargePoints) << "cannot listen on" << address << port << ":" << m_listener->errorString();
        return false;
    }
    qCInfo(lcChargePoints) << "listening on" << address << m_listener->serverPort() << "path prefix"
                           << m_options.pathPrefix;
    return true;
}

bool ChargePointServer::isListening() const
{
    return m_listener->isListening();
}

quint16 ChargePointServer::serverPort() const
{
    return m_listener->serverPort();
}

QString ChargePointServer::errorString() const
{
    return m_listener->errorString();
}

void ChargePointServer::close()
{
    m_listener->close();
    const auto open = m_connections.values();
    for (ChargePointConnection* connection : open)
        connection->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
}

ChargePointConnection* ChargePointServer::connection(const QString& chargePointId) const
{
    return m_connections.value(chargePointId);
}

QList<ChargePointConnection*> ChargePointServer::connections() const
{
    return m_connections.values();
}

void ChargePointServer::acceptPending()
{
    while (QWebSocket* socket = m_handshaker->nextPendingConnection())
        admit(socket);
}

void ChargePointServer::admit(QWebSocket* socket)
{
    const auto id = chargePointIdFromPath(socket->requestUrl().path(QUrl::FullyEncoded).toUtf8(), m_options.pathPrefix);
    if (!id.ok())
        return refuse(socket, {}, QWebSocketProtocol::CloseCodePolicyViolated, id.refusal);
    if (socket->subprotocol() != kSubprotocol)
        return refuse(socket, id.value, QWebSocketProtocol::CloseCodeProtocolError,
            QStringLiteral("subprotocol ocpp1.6 required"));
    const auto password = basicAuthPassword(socket->request().rawHeader("Authorization"), id.value);
    if (!password.ok())
        return refuse(socket, id.value, QWebSocketProtocol::CloseCodePolicyViolated, password.refusal);
    if (m_admissionPolicy) {
        const Admission admission = m_admissionPolicy({id.value, password.value, socket->peerAddress()});
        if (!admission.accepted)
            return refuse(socket, id.value, QWebSocketProtocol::CloseCodePolicyViolated, admission.reason);
    }

    if (ChargePointConnection* previous = m_connections.value(id.value))
        previous->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("replaced by a new connection"));

    socket->setMaxAllowedIncomingFrameSize(m_options.maxMessageBytes);
    socket->setMaxAllowedIncomingMessageSize(m_options.maxMessageBytes);
    auto* connection = new ChargePointConnection(socket, id.value, m_clock, m_options.keepAlive, this);
    connect(connection, &ChargePointConnection::closed, this,
        [this, connection](
            QWebSocketProtocol::CloseCode code, const QString& reason) { connectionClosed(connection, code, reason); });
    m_connections.insert(id.value, connection);
    qCInfo(lcChargePoints) << "charge point" << id.value << "connected from" << connection->peerAddress() << "with"
                           << (password.value ? "Basic auth" : "no credentials");
    Q_EMIT connected(connection);
}

void ChargePointServer::refuse(
    QWebSocket* socket, const QString& chargePointId, QWebSocketProtocol::CloseCode code, const QString& reason)
{
    const QHostAddress peer = socket->peerAddress();
    qCInfo(lcChargePoints) << "refused charge point" << chargePointId << "at path"
                           << socket->requestUrl().path(QUrl::FullyEncoded) << "from" << peer << ":" << code << reason;
    socket->close(code, reason);
    socket->deleteLater();
    Q_EMIT refused(chargePointId, peer, reason);
}

void ChargePointServer::connectionClosed(
    ChargePointConnection* connection, QWebSocketProtocol::CloseCode code, const QString& reason)
{
    const QString id = connection->chargePointId();
    if (m_connections.value(id) == connection)
        m_connections.remove(id);
    qCInfo(lcChargePoints) << "charge point" << id << "disconnected:" << code << reason;
    connection->deleteLater();
    Q_EMIT disconnected(id, code, reason);
}

} // namespace linkray::chargepoints
