// Sockets set up to release their idle buffers (releaseIdleSocketBuffers) still carry every WebSocket message intact
// and in order, both ways, and drain their write buffers: the server end is accepted and set up as linkray's charger
// leg, the client end as its CSMS leg. Runs on linkray's epoll loop.
#include "core/epolleventdispatcher.h"
#include "core/socketmemory.h"

#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using linkray::EpollEventDispatcher;
using linkray::releaseIdleSocketBuffers;

namespace {

// One WebSocket connection on 127.0.0.1, both ends set up the way linkray sets up its two legs.
struct WebSocketPair {
    QTcpServer listener;
    QWebSocketServer handshaker {QStringLiteral("tst_socketmemory"), QWebSocketServer::NonSecureMode};
    QWebSocket client;
    std::unique_ptr<QWebSocket> server;
    QList<QByteArray> receivedByClient;
    QList<QByteArray> receivedByServer;
};

void connectPair(WebSocketPair& pair)
{
    QVERIFY(pair.listener.listen(QHostAddress::LocalHost, 0));
    QObject::connect(&pair.listener, &QTcpServer::newConnection, &pair.listener, [&pair] {
        while (QTcpSocket* socket = pair.listener.nextPendingConnection()) {
            releaseIdleSocketBuffers(*socket);
            pair.handshaker.handleConnection(socket);
        }
    });
    QObject::connect(&pair.client, &QWebSocket::binaryMessageReceived, &pair.client,
        [&pair](const QByteArray& message) { pair.receivedByClient.append(message); });
    pair.client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(pair.listener.serverPort())));
    releaseIdleSocketBuffers(pair.client);

    QTRY_VERIFY(pair.handshaker.hasPendingConnections());
    pair.server.reset(pair.handshaker.nextPendingConnection());
    QObject::connect(pair.server.get(), &QWebSocket::binaryMessageReceived, pair.server.get(),
        [&pair](const QByteArray& message) { pair.receivedByServer.append(message); });
    QTRY_COMPARE(pair.client.state(), QAbstractSocket::ConnectedState);
}

// Sizes around the WebSocket length encodings (125/126, 65535/65536), around the 4 KiB write block, and far beyond
// the kernel's socket buffers; each message has its own byte pattern, so a swapped or shifted block shows.
QList<QByteArray> messagesOfManySizes()
{
    constexpr qsizetype mebibyte = 1024 * 1024;
    const QList<qsizetype> sizes {
        1, 2, 125, 126, 127, 4081, 4095, 4096, 4097, 65535, 65536, 65537, mebibyte, 5 * mebibyte};
    QList<QByteArray> messages;
    for (qsizetype index = 0; index < sizes.size(); ++index) {
        QByteArray message(sizes[index], Qt::Uninitialized);
        for (qsizetype at = 0; at < message.size(); ++at)
            message[at] = static_cast<char>((at * 31 + index * 7) & 0xff);
        messages.append(message);
    }
    return messages;
}

} // namespace

class TestSocketMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void messagesArriveIntactAndInOrder_data();
    void messagesArriveIntactAndInOrder();
};

void TestSocketMemory::messagesArriveIntactAndInOrder_data()
{
    QTest::addColumn<bool>("fromClient");
    QTest::addColumn<bool>("allAtOnce");
    QTest::newRow("client to server, one at a time") << true << false;
    QTest::newRow("client to server, all at once (partial writes)") << true << true;
    QTest::newRow("server to client, one at a time") << false << false;
    QTest::newRow("server to client, all at once (partial writes)") << false << true;
}

void TestSocketMemory::messagesArriveIntactAndInOrder()
{
    QFETCH(bool, fromClient);
    QFETCH(bool, allAtOnce);
    WebSocketPair pair;
    connectPair(pair);
    if (QTest::currentTestFailed())
        return;
    QWebSocket& sender = fromClient ? pair.client : *pair.server;
    const QList<QByteArray>& received = fromClient ? pair.receivedByServer : pair.receivedByClient;

    const QList<QByteArray> messages = messagesOfManySizes();
    for (qsizetype index = 0; index < messages.size(); ++index) {
        QCOMPARE(sender.sendBinaryMessage(messages[index]), messages[index].size());
        if (!allAtOnce)
            QTRY_COMPARE_WITH_TIMEOUT(received.size(), index + 1, 20000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), messages.size(), 30000);
    for (qsizetype index = 0; index < messages.size(); ++index) {
        QCOMPARE(received[index].size(), messages[index].size());
        QVERIFY2(received[index] == messages[index], qPrintable(QStringLiteral("message %1 differs").arg(index)));
    }
    QTRY_COMPARE(sender.bytesToWrite(), qint64 {0});
}

int main(int argc, char** argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication application(argc, argv);
    TestSocketMemory test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_socketmemory.moc"
