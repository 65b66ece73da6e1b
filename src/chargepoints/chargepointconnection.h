#pragma once

#include "core/keepalive.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>
#include <QQueue>
#include <QWebSocketProtocol>

#include <memory>

class QWebSocket;

namespace linkray {
class Clock;
} // namespace linkray

namespace linkray::chargepoints {

// One admitted charge point's WebSocket: text frames in and out, keep-alive pings, and one `closed` at the end.
// Owned by the ChargePointServer, which deletes it (deleteLater) once it has closed.
// Received messages are delivered one per event-loop turn, so that a charger sending a burst cannot make the others
// wait until the whole burst is handled (docs/robustness.md, "Charger floods").
class ChargePointConnection : public QObject {
    Q_OBJECT
public:
    using KeepAlive = WebSocketKeepAlive::Options;

    // Takes ownership of the connected `socket`.
    ChargePointConnection(
        QWebSocket* socket, QString chargePointId, Clock& clock, KeepAlive keepAlive, QObject* parent = nullptr);
    ~ChargePointConnection() override;

    QString chargePointId() const { return m_chargePointId; }
    QHostAddress peerAddress() const;
    QDateTime connectedAt() const { return m_connectedAt; }
    // When the last frame of any kind (pongs included) came from the charge point.
    QDateTime lastFrameReceivedAt() const { return m_lastFrameReceivedAt; }
    bool isOpen() const { return !m_closed; }
    // Binary messages are not OCPP-J: they are dropped, logged and counted.
    int droppedBinaryMessageCount() const { return m_droppedBinaryMessages; }
    // Text messages dropped because more than kMaxQueuedBytes were waiting for delivery: a flood, logged and counted.
    int droppedFloodMessageCount() const { return m_droppedFloodMessages; }

    // How much of a charger's messages may wait for delivery: four of the largest (maxMessageBytes, 1 MiB), or tens of
    // thousands of Heartbeats. A charger that waits for its answers, as OCPP asks, never comes near it.
    static constexpr qsizetype kMaxQueuedBytes = qsizetype(4) * 1024 * 1024;

    // Sends one text frame (an OCPP-J message). Returns false, sending nothing, once the connection is closed.
    bool sendText(const QByteArray& text);

    // Closes with a close frame (1006: drops the TCP connection instead); `closed` is emitted at once and no
    // frame is delivered after it. Does nothing once closed.
    void close(QWebSocketProtocol::CloseCode code, const QString& reason);

Q_SIGNALS:
    void textReceived(const QByteArray& text);
    // Emitted once, however the connection ended: our close, the peer's close, a lost or dead peer (1006).
    void closed(QWebSocketProtocol::CloseCode code, const QString& reason);

private:
    void frameReceived();
    void queueText(const QString& text);
    void deliverNextText();
    QByteArray takeQueuedText();
    void socketDisconnected();

    QWebSocket* m_socket;
    QString m_chargePointId;
    Clock& m_clock;
    std::unique_ptr<WebSocketKeepAlive> m_keepAlive;
    QDateTime m_connectedAt;
    QDateTime m_lastFrameReceivedAt;
    QQueue<QByteArray> m_queuedTexts;
    qsizetype m_queuedBytes = 0;
    int m_droppedBinaryMessages = 0;
    int m_droppedFloodMessages = 0;
    bool m_closeHandshakeStarted = false;
    bool m_closed = false;
};

} // namespace linkray::chargepoints
