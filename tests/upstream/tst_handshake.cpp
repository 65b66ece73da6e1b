#include "core/clock.h"
#include "testpeers.h"
#include "upstream/handshake.h"

using namespace linkray;
using namespace linkray::upstream;
using namespace linkray::upstream::test;

using Mode = UpstreamConnection::CredentialsMode;
using State = UpstreamConnection::State;

// What the CSMS sees of the upgrade (URL, subprotocol, Authorization), and how its refusals and silences end up.
class TestHandshake : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chargePointUrl_data();
    void chargePointUrl();
    void upgradeRequest_data();
    void upgradeRequest();
    void authorization_data();
    void authorization();
    void refusedUpgrade_data();
    void refusedUpgrade();
    void httpStatusOfRefusal_data();
    void httpStatusOfRefusal();
    void silentServerTimesOut();
    void nobodyListening();
};

void TestHandshake::chargePointUrl_data()
{
    QTest::addColumn<QString>("csmsUrl");
    QTest::addColumn<QString>("chargePointId");
    QTest::addColumn<QByteArray>("expected");
    const QString id = QStringLiteral("CP1");
    QTest::newRow("path") << QStringLiteral("ws://csms:9000/ocpp") << id << QByteArray("ws://csms:9000/ocpp/CP1");
    QTest::newRow("path with /") << QStringLiteral("ws://csms:9000/ocpp/") << id
                                 << QByteArray("ws://csms:9000/ocpp/CP1");
    QTest::newRow("no path") << QStringLiteral("wss://csms") << id << QByteArray("wss://csms/CP1");
    QTest::newRow("root") << QStringLiteral("wss://csms/") << id << QByteArray("wss://csms/CP1");
    QTest::newRow("encoded base") << QStringLiteral("ws://csms/my%20site/") << id
                                  << QByteArray("ws://csms/my%20site/CP1");
    QTest::newRow("user info dropped") << QStringLiteral("wss://user:secret@csms/ocpp") << id
                                       << QByteArray("wss://csms/ocpp/CP1");
    QTest::newRow("space") << QStringLiteral("ws://csms/ocpp") << QStringLiteral("CP 001")
                           << QByteArray("ws://csms/ocpp/CP%20001");
    QTest::newRow("delimiters") << QStringLiteral("ws://csms/ocpp") << QStringLiteral("a/b?c#d%e")
                                << QByteArray("ws://csms/ocpp/a%2Fb%3Fc%23d%25e");
    QTest::newRow("sub-delimiters") << QStringLiteral("ws://csms/ocpp") << QStringLiteral("x:y@z+1;2")
                                    << QByteArray("ws://csms/ocpp/x%3Ay%40z%2B1%3B2");
    QTest::newRow("unreserved kept") << QStringLiteral("ws://csms/ocpp") << QStringLiteral("CP-1_a.b~c")
                                     << QByteArray("ws://csms/ocpp/CP-1_a.b~c");
}

void TestHandshake::chargePointUrl()
{
    QFETCH(QString, csmsUrl);
    QFETCH(QString, chargePointId);
    QFETCH(QByteArray, expected);
    QCOMPARE(upstream::chargePointUrl(QUrl(csmsUrl), chargePointId).toEncoded(), expected);
}

void TestHandshake::upgradeRequest_data()
{
    QTest::addColumn<QByteArray>("csmsPath");
    QTest::addColumn<QString>("chargePointId");
    QTest::addColumn<QByteArray>("requestLine");
    QTest::newRow("plain") << QByteArray("/ocpp") << QStringLiteral("CP1") << QByteArray("GET /ocpp/CP1 HTTP/1.1");
    QTest::newRow("trailing /") << QByteArray("/ocpp/") << QStringLiteral("CP1")
                                << QByteArray("GET /ocpp/CP1 HTTP/1.1");
    QTest::newRow("root") << QByteArray() << QStringLiteral("CP1") << QByteArray("GET /CP1 HTTP/1.1");
    QTest::newRow("space") << QByteArray("/ocpp") << QStringLiteral("CP 001")
                           << QByteArray("GET /ocpp/CP%20001 HTTP/1.1");
    QTest::newRow("delimiters") << QByteArray("/ocpp") << QStringLiteral("a/b?c#d%e:f@g")
                                << QByteArray("GET /ocpp/a%2Fb%3Fc%23d%25e%3Af%40g HTTP/1.1");
}

void TestHandshake::upgradeRequest()
{
    QFETCH(QByteArray, csmsPath);
    QFETCH(QString, chargePointId);
    QFETCH(QByteArray, requestLine);

    ManualClock clock;
    RawHttpPeer csms;
    UpstreamConnection connection(chargePointId, optionsFor(csms.url(csmsPath)), clock);
    connection.open();
    QTRY_COMPARE(csms.requests().size(), 1);
    const QByteArray request = csms.requests().constFirst();
    QCOMPARE(request.left(request.indexOf("\r\n")), requestLine);
    QCOMPARE(RawHttpPeer::header(request, "Sec-WebSocket-Protocol"), QByteArray("ocpp1.6"));
    QCOMPARE(RawHttpPeer::header(request, "Upgrade").toLower(), QByteArray("websocket"));
    connection.close();
}

void TestHandshake::authorization_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QByteArray>("chargerAuthorization");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QByteArray>("expected"); // null: no header at all

    const QByteArray chargers = "Basic " + QByteArray("CP1:charger-secret").toBase64();
    QTest::newRow("none") << Mode::None << chargers << QStringLiteral("configured") << QByteArray();
    QTest::newRow("pass-through") << Mode::PassThrough << chargers << QString() << chargers;
    QTest::newRow("pass-through keeps odd spelling")
        << Mode::PassThrough << QByteArray("basic   Q1AxOng6eQ==") << QString() << QByteArray("basic   Q1AxOng6eQ==");
    QTest::newRow("pass-through, charger sent none") << Mode::PassThrough << QByteArray() << QString() << QByteArray();
    QTest::newRow("configured") << Mode::Configured << chargers << QStringLiteral("p:ss wörd")
                                << "Basic " + QStringLiteral("CP1:p:ss wörd").toUtf8().toBase64();
    QTest::newRow("configured, empty password")
        << Mode::Configured << QByteArray() << QString() << "Basic " + QByteArray("CP1:").toBase64();
}

void TestHandshake::authorization()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, chargerAuthorization);
    QFETCH(QString, password);
    QFETCH(QByteArray, expected);

    ManualClock clock;
    CsmsServer csms;
    QVERIFY(csms.listen());
    UpstreamConnection::Options options = optionsFor(csms.url());
    options.credentials = {mode, chargerAuthorization, password};
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    connection.open();
    const std::unique_ptr<QWebSocket> peer = csms.next();
    QVERIFY(peer);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(peer->requestUrl().path(QUrl::FullyEncoded), QStringLiteral("/ocpp/CP1"));
    QCOMPARE(peer->subprotocol(), QStringLiteral("ocpp1.6"));
    QCOMPARE(peer->request().hasRawHeader("Authorization"), !expected.isNull());
    QCOMPARE(peer->request().rawHeader("Authorization"), expected);
    QCOMPARE(connection.state(), State::Open);
}

void TestHandshake::refusedUpgrade_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("status");
    const QByteArray end = "\r\nContent-Length: 0\r\n\r\n";
    QTest::newRow("401") << "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"csms\"" + end << 401;
    QTest::newRow("403") << "HTTP/1.1 403 Forbidden" + end << 403;
    QTest::newRow("404") << "HTTP/1.1 404 Not Found" + end << 404;
    QTest::newRow("404, then the CSMS hangs up") << "HTTP/1.1 404 Not Found\r\nConnection: close" + end << 404;
}

void TestHandshake::refusedUpgrade()
{
    QFETCH(QByteArray, response);
    QFETCH(int, status);

    ManualClock clock;
    RawHttpPeer csms(response);
    UpstreamConnection connection(QStringLiteral("CP1"), optionsFor(csms.url()), clock);
    QSignalSpy refused(&connection, &UpstreamConnection::refused);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    connection.open();
    QTRY_COMPARE(refused.count(), 1);
    QCOMPARE(refused.at(0).at(1).value<std::optional<int>>(), std::optional<int>(status));
    QVERIFY2(
        refused.at(0).at(0).toString().contains(QString::number(status)), qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(connection.state(), State::Waiting);
    QCOMPARE(opened.count(), 0);
    QCOMPARE(closed.count(), 0);

    // Refusals are retried like any failure: the operator may fix the CSMS side.
    clock.advance(backoffCeilingMs(Backoff {}, 1));
    QTRY_COMPARE(refused.count(), 2);
    QCOMPARE(csms.requests().size(), 2);
}

void TestHandshake::httpStatusOfRefusal_data()
{
    QTest::addColumn<QString>("errorString");
    QTest::addColumn<std::optional<int>>("status");
    QTest::newRow("Qt 6.4 wording") << QStringLiteral(
        "QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized).")
                                    << std::optional<int>(401);
    QTest::newRow("redirect") << QStringLiteral(
        "QWebSocketPrivate::processHandshake: Unhandled http status code: 301 (Moved Permanently).")
                              << std::optional<int>(301);
    QTest::newRow("socket error") << QStringLiteral("Connection refused") << std::optional<int>();
    QTest::newRow("other wording") << QStringLiteral("HTTP 401") << std::optional<int>();
}

void TestHandshake::httpStatusOfRefusal()
{
    QFETCH(QString, errorString);
    QFETCH(std::optional<int>, status);
    QCOMPARE(upstream::httpStatusOfRefusal(errorString), status);
}

void TestHandshake::silentServerTimesOut()
{
    ManualClock clock;
    RawHttpPeer csms; // accepts TCP, never answers the upgrade
    UpstreamConnection::Options options = optionsFor(csms.url());
    options.connectTimeoutMs = 5000;
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    connection.open();
    QTRY_COMPARE(csms.requests().size(), 1);

    clock.advance(4999);
    QCOMPARE(connection.state(), State::Connecting);
    clock.advance(1);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(
        closed.at(0).at(0).value<QWebSocketProtocol::CloseCode>(), QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("no WebSocket handshake within 5000 ms"));
    QCOMPARE(connection.state(), State::Waiting);

    clock.advance(backoffCeilingMs(Backoff {}, 1));
    QCOMPARE(connection.state(), State::Connecting);
    QTRY_COMPARE(csms.requests().size(), 2);
}

void TestHandshake::nobodyListening()
{
    ManualClock clock;
    QTcpServer placeholder; // takes a free port, then gives it back
    QVERIFY(placeholder.listen(QHostAddress::LocalHost, 0));
    const quint16 port = placeholder.serverPort();
    placeholder.close();

    UpstreamConnection connection(
        QStringLiteral("CP1"), optionsFor(QUrl(QStringLiteral("ws://127.0.0.1:%1/ocpp").arg(port))), clock);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    connection.open();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(
        closed.at(0).at(0).value<QWebSocketProtocol::CloseCode>(), QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QVERIFY2(closed.at(0).at(1).toString().startsWith(QStringLiteral("cannot connect to the CSMS: ")),
        qPrintable(closed.at(0).at(1).toString()));
    QCOMPARE(connection.state(), State::Waiting);
}

QTEST_GUILESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
