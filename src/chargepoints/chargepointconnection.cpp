#include "chargepoints/chargepointconnection.h"

#include "chargepoints/logging.h"
#include "core/clock.h"

#include <QWebSocket>

namespace linkray::chargepoints {

ChargePointConnection::ChargePointConnection(
    QWebSocket* socket, QString chargePointId, Clock& clock, KeepAlive keepAlive, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_chargePointId(std::move(chargePointId))
    , m_clock(clock)
    , m_keepAlive(std::make_unique<WebSocketKeepAlive>(*socket, clock, keepAlive))
    , m_connectedAt(clock.nowUtc())
    , m_lastFrameReceivedAt(m_connectedAt)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ChargePointConnection::queueText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
        ++m_droppedBinaryMessages;
        qCWarning(lcChargePoints) << "dropped a binary message of" << data.size() << "bytes from" << m_chargePointId
                                  << "(OCPP-J is text only)";
    });
    connect(m_socket, &QWebSocket::textFrameReceived, this, &ChargePointConnection::frameReceived);
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, &ChargePointConnection::frameReceived);
    connect(m_socket, &QWebSocket::pong, this, &ChargePointConnection::frameReceived);
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeHandshakeStarted = true; });
    connect(m_socket, &QWebSocket::disconnected, this, &ChargePointConnection::socketDisconnected);

    connect(m_keepAlive.get(), &WebSocketKeepAlive::peerSilent, this, [this] {
        close(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
            QStringLiteral("no answer to ping within %1 ms").arg(m_keepAlive->options().pongTimeoutMs));
    });
}

ChargePointConnection::~ChargePointConnection() = default;

QHostAddress ChargePointConnection::peerAddress() const
{
    return m_socket->peerAddress();
}

bool ChargePointConnection::sendText(const QByteArray& text)
{
    if (m_closed)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(text));
    return true;
}

void ChargePointConnection::frameReceived()
{
    m_lastFrameReceivedAt = m_clock.nowUtc();
}

void ChargePointConnection::queueText(const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    if (m_queuedBytes + utf8.size() > kMaxQueuedBytes) {
        // A flood drops thousands: the first and every hundredth are logged, all are counted.
        if (m_droppedFloodMessages++ % 100 == 0)
            qCWarning(lcChargePoints) << "dropped a message of" << utf8.size() << "bytes from" << m_chargePointId << "("
                                      << m_queuedBytes << "bytes still waiting: it sends faster than it is"
                                      << "answered;" << m_droppedFloodMessages << "dropped on this connection)";
        return;
    }
    m_queuedBytes += utf8.size();
    m_queuedTexts.enqueue(std::move(utf8));
    if (m_queuedTexts.size() == 1)
        QMetaObject::invokeMethod(this, &ChargePointConnection::deliverNextText, Qt::QueuedConnection);
}

QByteArray ChargePointConnection::takeQueuedText()
{
    QByteArray text = m_queuedTexts.dequeue();
    m_queuedBytes -= text.size();
    return text;
}

void ChargePointConnection::deliverNextText()
{
    if (m_closed || m_queuedTexts.isEmpty())
        return;
    const QByteArray text = takeQueuedText();
    // Queued behind what other connections received meanwhile: each connection gets one message per turn.
    if (!m_queuedTexts.isEmpty())
        QMetaObject::invokeMethod(this, &ChargePointConnection::deliverNextText, Qt::QueuedConnection);
    Q_EMIT textReceived(text);
}

void ChargePointConnection::socketDisconnected()
{
    // What the charger sent before it left (a StopTransaction, then a close) is still handled.
    while (!m_closed && !m_queuedTexts.isEmpty())
        Q_EMIT textReceived(takeQueuedText());
    // Set by the peer's close frame and by Qt's own closes (e.g. 1009, message too big) alike.
    if (m_closeHandshakeStarted)
        close(m_socket->closeCode(), m_socket->closeReason());
    else
        close(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
            QStringLiteral("connection lost without a close frame"));
}

void ChargePointConnection::close(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_keepAlive->stop();
    m_socket->disconnect(this);
    if (code == QWebSocketProtocol::CloseCodeAbnormalDisconnection)
        m_socket->abort();
    else
        m_socket->close(code, reason);
    Q_EMIT closed(code, reason);
}

} // namespace linkray::chargepoints
