#pragma once

#include "chargepoints/chargepointconnection.h"
#include "chargepoints/handshake.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QWebSocketProtocol>

#include <functional>
#include <memory>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace linkray {
class Clock;
}

namespace linkray::chargepoints {

// The OCPP 1.6J WebSocket server charge points connect to: one ChargePointConnection per admitted charge point.
// Transport only: it moves text frames and knows nothing of OCPP messages. See docs/chargepoints.md.
class ChargePointServer : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString pathPrefix = QStringLiteral("/ocpp");
        quint64 maxMessageBytes = quint64(1) << 20; // hard limit per frame and per message; beyond it Qt closes 1009
        ChargePointConnection::KeepAlive keepAlive;
        int handshakeTimeoutMs = 10000;
        int listenBacklog = 1024; // survives a reconnect storm of a whole site
        int maxPendingConnections = 1024;
    };
    using AdmissionPolicy = std::function<Admission(const ConnectionRequest&)>;

    ChargePointServer(Clock& clock, Options options, QObject* parent = nullptr);
    ~ChargePointServer() override;

    // Decides who may connect, after the path, subprotocol and Authorization checks passed. Without one every
    // charge point is admitted (no security profile).
    void setAdmissionPolicy(AdmissionPolicy policy);

    // Port 0 picks a free port; serverPort() then tells which.
    bool listen(const QHostAddress& address, quint16 port);
    bool isListening() const;
    quint16 serverPort() const;
    QString errorString() const;
    // Stops listening and closes every connection with 1001 (going away).
    void close();

    ChargePointConnection* connection(const QString& chargePointId) const;
    QList<ChargePointConnection*> connections() const;

Q_SIGNALS:
    void connected(linkray::chargepoints::ChargePointConnection* connection);
    // The connection object is deleted later; it is already gone from connection() and connections().
    void disconnected(const QString& chargePointId, QWebSocketProtocol::CloseCode code, const QString& reason);
    // A WebSocket that was closed right after its handshake. `chargePointId` is empty when the path named none.
    void refused(const QString& chargePointId, const QHostAddress& peerAddress, const QString& reason);

private:
    void acceptPending();
    void admit(QWebSocket* socket);
    void refuse(
        QWebSocket* socket, const QString& chargePointId, QWebSocketProtocol::CloseCode code, const QString& reason);
    void connectionClosed(ChargePointConnection* connection, QWebSocketProtocol::CloseCode code, const QString& reason);

    Clock& m_clock;
    Options m_options;
    AdmissionPolicy m_admissionPolicy;
    // Our own listener, not QWebSocketServer's, to control the backlog; a QSslServer can take its place for TLS.
    std::unique_ptr<QTcpServer> m_listener;
    std::unique_ptr<QWebSocketServer> m_handshaker;
    QHash<QString, ChargePointConnection*> m_connections;
};

} // namespace linkray::chargepoints
