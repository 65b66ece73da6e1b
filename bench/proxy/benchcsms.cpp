#include "benchcsms.h"

#include "benchframes.h"

#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

namespace linkray::bench {

namespace {
const QString kSubprotocol = QStringLiteral("ocpp1.6");
// A whole site's upstreams may connect at once (a reconnect storm, 1,000 chargers): QWebSocketServer's own listener
// keeps Qt's default backlog of 50 and 30 pending connections, and drops the rest of such a burst.
constexpr int kBurst = 4096;
} // namespace

BenchCsms::BenchCsms(const QElapsedTimer& clock, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_listener(std::make_unique<QTcpServer>())
    , m_server(std::make_unique<QWebSocketServer>(QStringLiteral("BenchCsms"), QWebSocketServer::NonSecureMode))
{
    m_server->setSupportedSubprotocols({kSubprotocol});
    m_server->setMaxPendingConnections(kBurst);
    m_listener->setMaxPendingConnections(kBurst);
    m_listener->setListenBacklogSize(kBurst);
    connect(m_listener.get(), &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_listener->nextPendingConnection())
            m_server->handleConnection(socket);
    });
    connect(m_server.get(), &QWebSocketServer::newConnection, this, &BenchCsms::accept);
}

BenchCsms::~BenchCsms() = default;

bool BenchCsms::listen(quint16 port)
{
    if (m_listener->listen(QHostAddress::LocalHost, port))
        return true;
    std::fprintf(stderr, "CSMS cannot listen on port %u: %s\n", port, qPrintable(m_listener->errorString()));
    return false;
}

quint16 BenchCsms::port() const
{
    return m_listener->serverPort();
}

QString BenchCsms::url() const
{
    return QStringLiteral("ws://127.0.0.1:%1/csms").arg(port());
}

void BenchCsms::accept()
{
    while (QWebSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        // Qt accepts a client that offers no matching subprotocol and leaves it empty; a strict CSMS closes it.
        if (socket->subprotocol() != kSubprotocol) {
            std::fprintf(stderr, "CSMS refused %s: subprotocol \"%s\"\n", qPrintable(socket->requestUrl().path()),
                qPrintable(socket->subprotocol()));
            socket->close(QWebSocketProtocol::CloseCodeProtocolError);
            socket->deleteLater();
            continue;
        }
        ++m_connected;
        connect(socket, &QWebSocket::textMessageReceived, this,
            [this, socket](const QString& frame) { answer(socket, frame); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            --m_connected;
            socket->deleteLater();
        });
    }
}

void BenchCsms::answer(QWebSocket* socket, const QString& frame)
{
    const std::optional<CallHeader> call = callHeaderOf(frame);
    if (!call) {
        std::fprintf(stderr, "CSMS ignored a frame that is not a call: %s\n", qPrintable(frame.left(200)));
        return;
    }
    if (m_firstCallAtNs < 0)
        m_firstCallAtNs = m_clock.nsecsElapsed();
    ++m_callsReceived;
    if (m_trackDistinct)
        m_seenIds.insert(call->uniqueId.toString());
    socket->sendTextMessage(resultFrame(*call));
}

} // namespace linkray::bench
