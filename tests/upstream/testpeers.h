#pragma once

#include "upstream/upstreamconnection.h"

#include <QList>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>
#include <memory>

// CSMS stand-ins for the upstream tests, all on 127.0.0.1 with a port picked by the system.
namespace linkray::upstream::test {

// Speaks just enough HTTP to record what a client sends and answer with a canned response (or nothing at all),
// so that the tests see the upgrade request byte for byte and can refuse it the way a CSMS would.
class RawHttpPeer : public QObject {
public:
    using Responder = std::function<QByteArray(const QByteArray& requestHead)>;

    explicit RawHttpPeer(QByteArray response = {})
        : RawHttpPeer([response](const QByteArray&) { return response; })
    {
    }
    explicit RawHttpPeer(Responder responder)
        : m_responder(std::move(responder))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                const int index = static_cast<int>(m_requests.size());
                m_requests.append(QByteArray());
                // Whatever follows the head (WebSocket frames after a 101) is ignored: the peer answers once.
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, index] {
                    const bool answered = m_requests[index].contains("\r\n\r\n");
                    m_requests[index] += socket->readAll();
                    if (answered || !m_requests[index].contains("\r\n\r\n"))
                        return;
                    const QByteArray response = m_responder(m_requests[index]);
                    if (!response.isEmpty())
                        socket->write(response);
                });
            }
        });
    }

    QUrl url(const QByteArray& path = "/ocpp") const
    {
        return QUrl::fromEncoded("ws://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + path);
    }
    // Complete request heads received so far, one per TCP connection.
    QList<QByteArray> requests() const
    {
        QList<QByteArray> complete;
        for (const QByteArray& request : m_requests) {
            if (request.contains("\r\n\r\n"))
                complete.append(request);
        }
        return complete;
    }
    // The value of `name` in the request head, or a null QByteArray when absent.
    static QByteArray header(const QByteArray& request, const QByteArray& name)
    {
        for (const QByteArray& line : request.split('\n')) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }

private:
    QTcpServer m_server;
    Responder m_responder;
    QList<QByteArray> m_requests;
};

// A real QWebSocketServer that agrees on ocpp1.6 and keeps every connection it accepted.
struct CsmsServer {
    explicit CsmsServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode)
        : server(QStringLiteral("csms"), mode)
        , accepted(&server, &QWebSocketServer::newConnection)
    {
        server.setSupportedSubprotocols({QStringLiteral("ocpp1.6")});
    }

    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString& scheme = QStringLiteral("ws")) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2/ocpp").arg(scheme).arg(server.serverPort()));
    }
    // Waits for the next accepted connection; owned by the test.
    std::unique_ptr<QWebSocket> next()
    {
        if (!server.hasPendingConnections() && !QTest::qWaitFor([this] { return server.hasPendingConnections(); }))
            return nullptr;
        return std::unique_ptr<QWebSocket>(server.nextPendingConnection());
    }

    QWebSocketServer server;
    QSignalSpy accepted;
};

inline UpstreamConnection::Options optionsFor(const QUrl& csmsUrl)
{
    UpstreamConnection::Options options;
    options.csmsUrl = csmsUrl;
    options.jitterSeed = 7;
    return options;
}

} // namespace linkray::upstream::test
