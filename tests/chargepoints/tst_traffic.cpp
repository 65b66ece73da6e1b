#include "testpeers.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>

using namespace linkray::chargepoints;
using namespace linkray::chargepoints::test;

Q_DECLARE_METATYPE(QWebSocketProtocol::CloseCode)

namespace {
constexpr qint64 kPingMs = 30000;
constexpr qint64 kPongMs = 10000;
} // namespace

// What flows over an admitted connection: text both ways, binary dropped, the hard size limit, keep-alive.
class TestTraffic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textRoundTrip();
    void binaryMessageIsDropped();
    void burstDoesNotHoldUpAnotherCharger();
    void messagesBeforeCloseAreDelivered();
    void messageSizeLimit_data();
    void messageSizeLimit();
    void sendAfterCloseFails();
    void livePeerAnswersPings();
    void deadPeerIsAborted();
    void keepAliveOffNeverAborts();

private:
    // Connects `client` as CP1 and returns the server side of it.
    static ChargePointConnection* connectClient(ServerUnderTest& fixture, std::unique_ptr<QWebSocket>& client);
    // A TCP client that upgrades to WebSocket by hand and then never answers anything.
    static ChargePointConnection* connectSilentPeer(ServerUnderTest& fixture, QTcpSocket& raw);
};

ChargePointConnection* TestTraffic::connectClient(ServerUnderTest& fixture, std::unique_ptr<QWebSocket>& client)
{
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    client = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    if (!QTest::qWaitFor([&] { return connected.count() == 1 && client->state() == QAbstractSocket::ConnectedState; }))
        return nullptr;
    return connected.at(0).at(0).value<ChargePointConnection*>();
}

ChargePointConnection* TestTraffic::connectSilentPeer(ServerUnderTest& fixture, QTcpSocket& raw)
{
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    raw.connectToHost(QHostAddress::LocalHost, fixture.server.serverPort());
    raw.write("GET /ocpp/CP1 HTTP/1.1\r\n"
              "Host: 127.0.0.1\r\n"
              "Upgrade: websocket\r\n"
              "Connection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Protocol: ocpp1.6\r\n\r\n");
    QByteArray response;
    const bool upgraded = QTest::qWaitFor([&] {
        response += raw.readAll();
        return connected.count() == 1 && response.contains("\r\n\r\n");
    });
    if (!upgraded || !response.startsWith("HTTP/1.1 101"))
        return nullptr;
    return connected.at(0).at(0).value<ChargePointConnection*>();
}

void TestTraffic::textRoundTrip()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy serverReceived(connection, &ChargePointConnection::textReceived);
    QSignalSpy clientReceived(client.get(), &QWebSocket::textMessageReceived);

    const QString call = QStringLiteral("[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"Ünïcode\"}]");
    client->sendTextMessage(call);
    QTRY_COMPARE(serverReceived.count(), 1);
    QCOMPARE(serverReceived.at(0).at(0).toByteArray(), call.toUtf8());

    const QByteArray result = "[3,\"1\",{\"status\":\"Accepted\",\"interval\":300}]";
    QVERIFY(connection->sendText(result));
    QTRY_COMPARE(clientReceived.count(), 1);
    QCOMPARE(clientReceived.at(0).at(0).toString().toUtf8(), result);
}

void TestTraffic::binaryMessageIsDropped()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy received(connection, &ChargePointConnection::textReceived);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropped a binary message of 4 bytes")));
    client->sendBinaryMessage("\x01\x02\x03\x04");
    client->sendTextMessage(QStringLiteral("[2,\"2\",\"Heartbeat\",{}]"));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("[2,\"2\",\"Heartbeat\",{}]"));
    QCOMPARE(connection->droppedBinaryMessageCount(), 1);
    QVERIFY(connection->isOpen());
    QCOMPARE(client->state(), QAbstractSocket::ConnectedState);
}

void TestTraffic::burstDoesNotHoldUpAnotherCharger()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> flooder;
    ChargePointConnection* flooding = connectClient(fixture, flooder);
    QVERIFY(flooding);
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    std::unique_ptr<QWebSocket> quietClient = openClient(fixture.server.serverPort(), "/ocpp/CP2");
    QTRY_VERIFY(connected.count() == 1 && quietClient->state() == QAbstractSocket::ConnectedState);
    auto* quiet = connected.at(0).at(0).value<ChargePointConnection*>();

    // The order in which LinkRay gets the messages. The quiet charger sends its one call as soon as the first of the
    // burst is delivered, when the whole burst has already arrived in one read.
    constexpr int kBurst = 50;
    const QByteArray quietCall = "[2,\"q\",\"Heartbeat\",{}]";
    QList<QByteArray> delivered;
    connect(flooding, &ChargePointConnection::textReceived, this, [&](const QByteArray& text) {
        delivered.append(text);
        if (delivered.size() == 1) {
            quietClient->sendTextMessage(QString::fromUtf8(quietCall));
            quietClient->flush();
        }
    });
    connect(quiet, &ChargePointConnection::textReceived, this, [&](const QByteArray& text) { delivered.append(text); });
    for (int i = 0; i < kBurst; ++i)
        flooder->sendTextMessage(QStringLiteral("[2,\"f%1\",\"Heartbeat\",{}]").arg(i));
    flooder->flush();

    QTRY_COMPARE(delivered.size(), kBurst + 1);
    const qsizetype quietPosition = delivered.indexOf(quietCall);
    QVERIFY2(quietPosition < kBurst / 5,
        qPrintable(QStringLiteral("the quiet call came after %1 of the burst").arg(quietPosition)));
    delivered.removeAt(quietPosition);
    for (int i = 0; i < kBurst; ++i)
        QCOMPARE(delivered.at(i), QStringLiteral("[2,\"f%1\",\"Heartbeat\",{}]").arg(i).toUtf8());
    QCOMPARE(flooding->droppedFloodMessageCount(), 0);
}

void TestTraffic::messagesBeforeCloseAreDelivered()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy received(connection, &ChargePointConnection::textReceived);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);

    for (int i = 0; i < 3; ++i)
        client->sendTextMessage(QStringLiteral("[2,\"%1\",\"Heartbeat\",{}]").arg(i));
    client->close();
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(received.count(), 3);
}

void TestTraffic::messageSizeLimit_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("delivered");
    QTest::newRow("at the limit") << 1024 << true;
    QTest::newRow("one byte over") << 1025 << false;
    QTest::newRow("far over") << 100000 << false;
}

void TestTraffic::messageSizeLimit()
{
    QFETCH(int, size);
    QFETCH(bool, delivered);

    ChargePointServer::Options options;
    options.maxMessageBytes = 1024;
    ServerUnderTest fixture(options);
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy received(connection, &ChargePointConnection::textReceived);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);

    client->sendTextMessage(QString(size, QLatin1Char('x')));
    if (delivered) {
        QTRY_COMPARE(received.count(), 1);
        QCOMPARE(received.at(0).at(0).toByteArray().size(), size);
        return;
    }
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(1).value<QWebSocketProtocol::CloseCode>(), QWebSocketProtocol::CloseCodeTooMuchData);
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QCOMPARE(received.count(), 0);
}

void TestTraffic::sendAfterCloseFails()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy clientReceived(client.get(), &QWebSocket::textMessageReceived);

    connection->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QVERIFY(!connection->isOpen());
    QVERIFY(!connection->sendText("[2,\"3\",\"Reset\",{\"type\":\"Soft\"}]"));
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client->closeReason(), QStringLiteral("bye"));
    QCOMPARE(clientReceived.count(), 0);
}

void TestTraffic::livePeerAnswersPings()
{
    ServerUnderTest fixture;
    std::unique_ptr<QWebSocket> client;
    ChargePointConnection* connection = connectClient(fixture, client);
    QVERIFY(connection);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);

    fixture.clock.advance(kPingMs);
    for (int round = 1; round <= 3; ++round) {
        // QWebSocket answers the ping by itself; the pong refreshes the connection's last-seen time.
        QTRY_COMPARE(connection->lastFrameReceivedAt(), fixture.clock.nowUtc());
        fixture.clock.advance(kPingMs); // past this ping's pong deadline, up to the next ping
        QCOMPARE(disconnected.count(), 0);
    }
    QVERIFY(connection->isOpen());
}

void TestTraffic::deadPeerIsAborted()
{
    ServerUnderTest fixture;
    QTcpSocket raw;
    ChargePointConnection* connection = connectSilentPeer(fixture, raw);
    QVERIFY(connection);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);
    QSignalSpy rawDisconnected(&raw, &QTcpSocket::disconnected);

    fixture.clock.advance(kPingMs);
    QTRY_VERIFY(raw.bytesAvailable() >= 2);
    QCOMPARE(raw.readAll().at(0), '\x89'); // FIN + ping opcode

    fixture.clock.advance(kPongMs - 1);
    QCOMPARE(disconnected.count(), 0);
    fixture.clock.advance(1);
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("CP1"));
    QCOMPARE(disconnected.at(0).at(1).value<QWebSocketProtocol::CloseCode>(),
        QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QVERIFY(fixture.server.connections().isEmpty());
    QTRY_COMPARE(rawDisconnected.count(), 1);
}

void TestTraffic::keepAliveOffNeverAborts()
{
    ChargePointServer::Options options;
    options.keepAlive.pingIntervalMs = 0;
    ServerUnderTest fixture(options);
    QTcpSocket raw;
    ChargePointConnection* connection = connectSilentPeer(fixture, raw);
    QVERIFY(connection);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);

    fixture.clock.advance(qint64(24) * 3600 * 1000);
    QCOMPARE(disconnected.count(), 0);
    QVERIFY(connection->isOpen());
}

QTEST_GUILESS_MAIN(TestTraffic)
#include "tst_traffic.moc"
