#include "core/keepalive.h"

#include "core/clock.h"

#include <QWebSocket>

namespace linkray {

WebSocketKeepAlive::WebSocketKeepAlive(QWebSocket& socket, Clock& clock, Options options, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_options(options)
    , m_pingTimer(clock.createTimer())
    , m_pongDeadline(clock.createTimer())
{
    connect(&m_socket, &QWebSocket::textFrameReceived, this, &WebSocketKeepAlive::peerAlive);
    connect(&m_socket, &QWebSocket::binaryFrameReceived, this, &WebSocketKeepAlive::peerAlive);
    connect(&m_socket, &QWebSocket::pong, this, &WebSocketKeepAlive::peerAlive);
    m_pongDeadline->setSingleShot(true);
    connect(m_pongDeadline.get(), &Timer::timeout, this, [this] {
        stop();
        Q_EMIT peerSilent();
    });
    connect(m_pingTimer.get(), &Timer::timeout, this, &WebSocketKeepAlive::sendPing);
    if (m_options.pingIntervalMs > 0)
        m_pingTimer->start(m_options.pingIntervalMs);
}

WebSocketKeepAlive::~WebSocketKeepAlive() = default;

void WebSocketKeepAlive::stop()
{
    m_pingTimer->stop();
    m_pongDeadline->stop();
    m_socket.disconnect(this);
}

void WebSocketKeepAlive::sendPing()
{
    m_socket.ping();
    if (!m_pongDeadline->isActive())
        m_pongDeadline->start(m_options.pongTimeoutMs);
}

void WebSocketKeepAlive::peerAlive()
{
    m_pongDeadline->stop();
}

} // namespace linkray
