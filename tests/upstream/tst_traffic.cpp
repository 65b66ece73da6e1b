#include "core/clock.h"
#include "testpeers.h"

#include <QCryptographicHash>
#include <QRegularExpression>

#include <array>
#include <random>

using namespace linkray;
using namespace linkray::upstream;
using namespace linkray::upstream::test;

using State = UpstreamConnection::State;
using CloseCode = QWebSocketProtocol::CloseCode;

// What flows over an open upstream, how it ends, and when it comes back (backoff driven by a ManualClock).
class TestTraffic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textBothWays_data();
    void textBothWays();
    void binaryFromCsmsIsDropped();
    void sendTextOnlyWhenOpen();
    void csmsEndsConnection_data();
    void csmsEndsConnection();
    void reconnectDelaysFollowTheBackoff();
    void stableConnectionResetsBackoff();
    void ownerCloseSendsCloseFrame_data();
    void ownerCloseSendsCloseFrame();
    void closeWhileWaitingCancelsReconnect();
    void csmsSilentAfterAPingIsTreatedAsLost();

private:
    // Opens `connection` against `csms` and returns the CSMS side of it.
    static std::unique_ptr<QWebSocket> openTo(CsmsServer& csms, UpstreamConnection& connection);
};

std::unique_ptr<QWebSocket> TestTraffic::openTo(CsmsServer& csms, UpstreamConnection& connection)
{
    if (connection.state() == State::Closed)
        connection.open();
    std::unique_ptr<QWebSocket> peer = csms.next();
    if (!peer || !QTest::qWaitFor([&] { return connection.state() == State::Open; }))
        return nullptr;
    return peer;
}

void TestTraffic::textBothWays_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("call") << QByteArray(R"([2,"19223201","BootNotification",{"chargePointVendor":"VendorX"}])");
    QTest::newRow("odd whitespace") << QByteArray("  [3 ,\t\"19223201\"\r\n, {\n\t\"status\" : \"Accepted\" } ]\n ");
    QTest::newRow("unicode and escapes") << QStringLiteral(
        u"[2,\"a\",\"DataTransfer\",{\"vendorId\":\"Ünïcödé ⚡ 😀\",\"data\":\"\\u00e9\\\"\"}]")
                                                .toUtf8();
    QTest::newRow("not OCPP at all") << QByteArray("hello");
    QTest::newRow("empty") << QByteArray("");
}

void TestTraffic::textBothWays()
{
    QFETCH(QByteArray, frame);
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    const std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy atCsms(peer.get(), &QWebSocket::textMessageReceived);
    QSignalSpy fromCsms(&connection, &UpstreamConnection::textReceived);

    QVERIFY(connection.sendText(frame));
    QTRY_COMPARE(atCsms.count(), 1);
    QCOMPARE(atCsms.at(0).at(0).toString().toUtf8(), frame);

    peer->sendTextMessage(QString::fromUtf8(frame));
    QTRY_COMPARE(fromCsms.count(), 1);
    QCOMPARE(fromCsms.at(0).at(0).toByteArray(), frame);
}

void TestTraffic::binaryFromCsmsIsDropped()
{
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    const std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy fromCsms(&connection, &UpstreamConnection::textReceived);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropped a binary message of 3 bytes")));
    peer->sendBinaryMessage("\x01\x02\x03");
    peer->sendTextMessage(QStringLiteral("[2,\"1\",\"Reset\",{\"type\":\"Soft\"}]"));
    QTRY_COMPARE(fromCsms.count(), 1);
    QCOMPARE(fromCsms.at(0).at(0).toByteArray(), QByteArray("[2,\"1\",\"Reset\",{\"type\":\"Soft\"}]"));
    QCOMPARE(connection.state(), State::Open);
}

void TestTraffic::sendTextOnlyWhenOpen()
{
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    QVERIFY(!connection.sendText("[2,\"1\",\"Heartbeat\",{}]"));
    connection.open();
    QCOMPARE(connection.state(), State::Connecting);
    QVERIFY(!connection.sendText("[2,\"1\",\"Heartbeat\",{}]"));
    const std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy atCsms(peer.get(), &QWebSocket::textMessageReceived);
    connection.close();
    QVERIFY(!connection.sendText("[2,\"2\",\"Heartbeat\",{}]"));
    QTRY_COMPARE(peer->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(atCsms.count(), 0); // nothing was buffered for later either
}

void TestTraffic::csmsEndsConnection_data()
{
    QTest::addColumn<bool>("withCloseFrame");
    QTest::addColumn<CloseCode>("code");
    QTest::addColumn<QString>("reason");
    QTest::newRow("going away") << true << QWebSocketProtocol::CloseCodeGoingAway << QStringLiteral("restarting");
    QTest::newRow("policy") << true << QWebSocketProtocol::CloseCodePolicyViolated << QStringLiteral("unknown id");
    QTest::newRow("dropped") << false << QWebSocketProtocol::CloseCodeAbnormalDisconnection
                             << QStringLiteral("connection to the CSMS lost without a close frame");
}

void TestTraffic::csmsEndsConnection()
{
    QFETCH(bool, withCloseFrame);
    QFETCH(CloseCode, code);
    QFETCH(QString, reason);

    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    if (withCloseFrame)
        peer->close(code, reason);
    else
        peer->abort();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).value<CloseCode>(), code);
    QVERIFY2(closed.at(0).at(1).toString().startsWith(reason), qPrintable(closed.at(0).at(1).toString()));
    QCOMPARE(connection.state(), State::Waiting);

    clock.advance(backoffCeilingMs(Backoff {}, 1));
    peer = openTo(csms, connection);
    QVERIFY(peer);
}

void TestTraffic::reconnectDelaysFollowTheBackoff()
{
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);

    // docs/upstream.md: delay k = uniform [0, min(60 s, 1 s · 2^(k−1))], drawn from a generator seeded with jitterSeed.
    JitterGenerator documented(*optionsFor({}).jitterSeed);
    const std::array<qint64, 9> ceilings = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    for (const qint64 ceiling : ceilings) {
        std::unique_ptr<QWebSocket> peer = openTo(csms, connection); // a CSMS that drops everyone at once
        QVERIFY(peer);
        const auto closedBefore = closed.count();
        peer->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("busy"));
        QTRY_COMPARE(closed.count(), closedBefore + 1);
        QCOMPARE(connection.state(), State::Waiting);

        const qint64 delay = std::uniform_int_distribution<qint64>(0, ceiling)(documented);
        if (delay > 0) {
            clock.advance(delay - 1);
            QCOMPARE(connection.state(), State::Waiting);
        }
        clock.advance(delay > 0 ? 1 : 0);
        QCOMPARE(connection.state(), State::Connecting);
    }
    QVERIFY(openTo(csms, connection));
}

void TestTraffic::stableConnectionResetsBackoff()
{
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    JitterGenerator documented(*optionsFor({}).jitterSeed);

    // Three quick drops: the ceilings grow to 4 s.
    for (const qint64 ceiling : {1000, 2000, 4000}) {
        std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
        QVERIFY(peer);
        peer->close();
        QTRY_COMPARE(connection.state(), State::Waiting);
        clock.advance(std::uniform_int_distribution<qint64>(0, ceiling)(documented));
        QCOMPARE(connection.state(), State::Connecting);
    }
    // Open for the reset period, then dropped: the next delay is drawn below the first ceiling again.
    std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    clock.advance(Backoff {}.resetAfterOpenMs);
    peer->close();
    QTRY_COMPARE(connection.state(), State::Waiting);
    const qint64 delay = std::uniform_int_distribution<qint64>(0, 1000)(documented);
    if (delay > 0) {
        clock.advance(delay - 1);
        QCOMPARE(connection.state(), State::Waiting);
    }
    clock.advance(delay > 0 ? 1 : 0);
    QCOMPARE(connection.state(), State::Connecting);
}

void TestTraffic::ownerCloseSendsCloseFrame_data()
{
    QTest::addColumn<CloseCode>("code");
    QTest::addColumn<QString>("reason");
    QTest::newRow("default") << QWebSocketProtocol::CloseCodeNormal << QString();
    QTest::newRow("shutting down") << QWebSocketProtocol::CloseCodeGoingAway << QStringLiteral("LinkRay stopping");
}

void TestTraffic::ownerCloseSendsCloseFrame()
{
    QFETCH(CloseCode, code);
    QFETCH(QString, reason);

    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    const std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    QSignalSpy peerDisconnected(peer.get(), &QWebSocket::disconnected);
    if (reason.isNull())
        connection.close();
    else
        connection.close(code, reason);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).value<CloseCode>(), code);
    QCOMPARE(connection.state(), State::Closed);
    QTRY_COMPARE(peerDisconnected.count(), 1);
    QCOMPARE(peer->closeCode(), code);
    QCOMPARE(peer->closeReason(), reason);

    // Closed by its owner, it stays closed.
    clock.advance(qint64(10) * 60 * 1000);
    QCOMPARE(connection.state(), State::Closed);
    QCOMPARE(csms.accepted.count(), 1);
}

void TestTraffic::closeWhileWaitingCancelsReconnect()
{
    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    const std::unique_ptr<QWebSocket> peer = openTo(csms, connection);
    QVERIFY(peer);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    peer->close();
    QTRY_COMPARE(connection.state(), State::Waiting);
    QCOMPARE(closed.count(), 1);

    connection.close();
    QCOMPARE(connection.state(), State::Closed);
    QCOMPARE(closed.count(), 1); // that attempt had already ended
    clock.advance(qint64(10) * 60 * 1000);
    QCOMPARE(connection.state(), State::Closed);
    QCOMPARE(csms.accepted.count(), 1);

    // Opened again by its owner, it connects at once.
    QVERIFY(openTo(csms, connection));
}

// A CSMS behind a dead NAT: the upgrade succeeds, then nothing comes back, not even a pong, and TCP stays open.
void TestTraffic::csmsSilentAfterAPingIsTreatedAsLost()
{
    RawHttpPeer silentCsms([](const QByteArray& request) {
        const QByteArray accept = QCryptographicHash::hash(
            RawHttpPeer::header(request, "Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
            QCryptographicHash::Sha1)
                                      .toBase64();
        return QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Protocol: ocpp1.6\r\nSec-WebSocket-Accept: ")
            + accept + "\r\n\r\n";
    });
    ManualClock clock;
    UpstreamConnection::Options options = optionsFor(silentCsms.url());
    options.keepAlive = {30000, 10000};
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    connection.open();
    QTRY_COMPARE(connection.state(), State::Open);

    clock.advance(30000 + 9999);
    QCOMPARE(connection.state(), State::Open);
    clock.advance(1);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).value<CloseCode>(), QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QVERIFY(closed.at(0).at(1).toString().contains(QLatin1String("ping")));
    QCOMPARE(connection.state(), State::Waiting);
}

QTEST_GUILESS_MAIN(TestTraffic)
#include "tst_traffic.moc"
