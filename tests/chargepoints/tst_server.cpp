#include "testpeers.h"

#include <QSignalSpy>

using namespace linkray::chargepoints;
using namespace linkray::chargepoints::test;

Q_DECLARE_METATYPE(QWebSocketProtocol::CloseCode)

// Who gets in: path → id, subprotocol, Basic auth and the admission policy; replacement and ends of connections.
class TestServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listensOnEphemeralPort();
    void handshake_data();
    void handshake();
    void sameIdReplacesOldConnection();
    void refusedNewcomerLeavesOpenConnection();
    void clientCloseEmitsDisconnected();
    void lostPeerEmitsDisconnected();
    void serverCloseClosesEveryConnection();
};

void TestServer::listensOnEphemeralPort()
{
    ServerUnderTest fixture;
    QVERIFY(fixture.listening);
    QVERIFY(fixture.server.isListening());
    QVERIFY(fixture.server.serverPort() != 0);
}

void TestServer::handshake_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("requiredPassword"); // empty: the policy admits anyone
    QTest::addColumn<QString>("expectedId"); // empty: refused
    QTest::addColumn<int>("expectedCloseCode");
    QTest::addColumn<QString>("expectedReason");

    const QString id48(48, QLatin1Char('x'));
    const auto pathFor = [](const QString& id) { return "/ocpp/" + id.toUtf8(); };
    const QStringList ocpp = ocppOnly();
    const QByteArray none;
    const QString open;
    const int policy = QWebSocketProtocol::CloseCodePolicyViolated;
    const QString badPath = QStringLiteral("path must be /ocpp/<chargePointId>");

    QTest::newRow("plain id") << QByteArray("/ocpp/CP1") << ocpp << none << open << QStringLiteral("CP1") << 0 << open;
    QTest::newRow("percent-encoded id") << QByteArray("/ocpp/CP%20001%2B%23") << ocpp << none << open
                                        << QStringLiteral("CP 001+#") << 0 << open;
    QTest::newRow("48 characters") << pathFor(id48) << ocpp << none << open << id48 << 0 << open;
    QTest::newRow("query ignored") << QByteArray("/ocpp/CP1?x=1") << ocpp << none << open << QStringLiteral("CP1") << 0
                                   << open;
    QTest::newRow("49 characters") << pathFor(id48 + QLatin1Char('x')) << ocpp << none << open << open << policy
                                   << QStringLiteral("charge point id longer than 48 characters");
    QTest::newRow("wrong prefix") << QByteArray("/ws/CP1") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("prefix glued to id") << QByteArray("/ocppCP1") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("no id") << QByteArray("/ocpp") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("empty id") << QByteArray("/ocpp/") << ocpp << none << open << open << policy
                              << QStringLiteral("empty charge point id");
    QTest::newRow("trailing slash") << QByteArray("/ocpp/CP1/") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("nested path") << QByteArray("/ocpp/site/CP1") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("double slash") << QByteArray("/ocpp//CP1") << ocpp << none << open << open << policy << badPath;
    QTest::newRow("encoded slash") << QByteArray("/ocpp/a%2Fb") << ocpp << none << open << open << policy
                                   << QStringLiteral("charge point id must be printable ASCII without '/'");
    QTest::newRow("control character") << QByteArray("/ocpp/CP%0A1") << ocpp << none << open << open << policy
                                       << QStringLiteral("charge point id must be printable ASCII without '/'");

    const int protocolError = QWebSocketProtocol::CloseCodeProtocolError;
    const QString needOcpp = QStringLiteral("subprotocol ocpp1.6 required");
    QTest::newRow("ocpp1.6 among others")
        << QByteArray("/ocpp/CP1") << QStringList {QStringLiteral("ocpp2.0.1"), QStringLiteral("ocpp1.6")} << none
        << open << QStringLiteral("CP1") << 0 << open;
    QTest::newRow("no subprotocol") << QByteArray("/ocpp/CP1") << QStringList() << none << open << open << protocolError
                                    << needOcpp;
    QTest::newRow("other subprotocol only") << QByteArray("/ocpp/CP1") << QStringList {QStringLiteral("ocpp2.0.1")}
                                            << none << open << open << protocolError << needOcpp;

    const QString secret = QStringLiteral("s3cret:key");
    const QString cp = QStringLiteral("CP1");
    const QString needBasic = QStringLiteral("Authorization must be Basic auth with the charge point id as user");
    QTest::newRow("right password") << QByteArray("/ocpp/CP1") << ocpp << basicAuthorization(cp, secret) << secret << cp
                                    << 0 << open;
    QTest::newRow("wrong password") << QByteArray("/ocpp/CP1") << ocpp << basicAuthorization(cp, QStringLiteral("x"))
                                    << secret << open << policy << QStringLiteral("wrong password");
    QTest::newRow("missing password") << QByteArray("/ocpp/CP1") << ocpp << none << secret << open << policy
                                      << QStringLiteral("password required");
    QTest::newRow("user is not the id") << QByteArray("/ocpp/CP1") << ocpp
                                        << basicAuthorization(QStringLiteral("CP2"), secret) << secret << open << policy
                                        << needBasic;
    QTest::newRow("bearer token") << QByteArray("/ocpp/CP1") << ocpp << QByteArray("Bearer abc") << secret << open
                                  << policy << needBasic;
    QTest::newRow("password not required but sent")
        << QByteArray("/ocpp/CP1") << ocpp << basicAuthorization(cp, secret) << open << cp << 0 << open;
}

void TestServer::handshake()
{
    QFETCH(QByteArray, path);
    QFETCH(QStringList, subprotocols);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, requiredPassword);
    QFETCH(QString, expectedId);
    QFETCH(int, expectedCloseCode);
    QFETCH(QString, expectedReason);

    ServerUnderTest fixture;
    QList<ConnectionRequest> requests;
    fixture.server.setAdmissionPolicy([&](const ConnectionRequest& request) {
        requests.append(request);
        if (requiredPassword.isEmpty())
            return Admission::accept();
        if (!request.password)
            return Admission::refuse(QStringLiteral("password required"));
        return *request.password == requiredPassword ? Admission::accept()
                                                     : Admission::refuse(QStringLiteral("wrong password"));
    });
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    QSignalSpy refused(&fixture.server, &ChargePointServer::refused);

    auto client = openClient(fixture.server.serverPort(), path, subprotocols, authorization);
    QSignalSpy clientConnected(client.get(), &QWebSocket::connected);
    QSignalSpy clientDisconnected(client.get(), &QWebSocket::disconnected);

    if (!expectedId.isEmpty()) {
        QTRY_COMPARE(connected.count(), 1);
        auto* connection = connected.at(0).at(0).value<ChargePointConnection*>();
        QCOMPARE(connection->chargePointId(), expectedId);
        QCOMPARE(fixture.server.connection(expectedId), connection);
        QCOMPARE(fixture.server.connections().size(), 1);
        QTRY_COMPARE(clientConnected.count(), 1);
        QCOMPARE(client->subprotocol(), QStringLiteral("ocpp1.6"));
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].peerAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(refused.count(), 0);
        return;
    }
    QTRY_COMPARE(clientDisconnected.count(), 1);
    QCOMPARE(int(client->closeCode()), expectedCloseCode);
    QCOMPARE(client->closeReason(), expectedReason);
    if (!requiredPassword.isEmpty())
        QVERIFY(!client->closeReason().contains(requiredPassword));
    QCOMPARE(refused.count(), 1);
    QCOMPARE(refused.at(0).at(2).toString(), expectedReason);
    QCOMPARE(connected.count(), 0);
    QVERIFY(fixture.server.connections().isEmpty());
}

void TestServer::sameIdReplacesOldConnection()
{
    ServerUnderTest fixture;
    QStringList events;
    QList<ChargePointConnection*> opened;
    connect(&fixture.server, &ChargePointServer::connected, this, [&](ChargePointConnection* connection) {
        events.append(QStringLiteral("connected ") + connection->chargePointId());
        opened.append(connection);
    });
    connect(&fixture.server, &ChargePointServer::disconnected, this,
        [&](const QString& id, QWebSocketProtocol::CloseCode code, const QString& reason) {
            events.append(QStringLiteral("disconnected %1 %2 %3").arg(id).arg(int(code)).arg(reason));
        });

    auto first = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    QTRY_COMPARE(opened.size(), 1);
    QSignalSpy oldReceived(opened[0], &ChargePointConnection::textReceived);
    QSignalSpy firstDisconnected(first.get(), &QWebSocket::disconnected);
    QTRY_COMPARE(first->state(), QAbstractSocket::ConnectedState);

    auto second = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    QTRY_COMPARE(opened.size(), 2);
    QCOMPARE(events,
        (QStringList {QStringLiteral("connected CP1"),
            QStringLiteral("disconnected CP1 1000 replaced by a new connection"), QStringLiteral("connected CP1")}));
    QCOMPARE(fixture.server.connection(QStringLiteral("CP1")), opened[1]);
    QCOMPARE(fixture.server.connections().size(), 1);

    first->sendTextMessage(QStringLiteral("[2,\"late\",\"Heartbeat\",{}]"));
    QTRY_COMPARE(firstDisconnected.count(), 1);
    QCOMPARE(first->closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(first->closeReason(), QStringLiteral("replaced by a new connection"));
    QCOMPARE(oldReceived.count(), 0);
}

void TestServer::refusedNewcomerLeavesOpenConnection()
{
    ServerUnderTest fixture;
    fixture.server.setAdmissionPolicy([](const ConnectionRequest& request) {
        return request.password == QStringLiteral("s3cret") ? Admission::accept()
                                                            : Admission::refuse(QStringLiteral("wrong password"));
    });
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    QSignalSpy refused(&fixture.server, &ChargePointServer::refused);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);

    auto genuine = openClient(fixture.server.serverPort(), "/ocpp/CP1", ocppOnly(),
        basicAuthorization(QStringLiteral("CP1"), QStringLiteral("s3cret")));
    QTRY_COMPARE(connected.count(), 1);
    auto impostor = openClient(fixture.server.serverPort(), "/ocpp/CP1", ocppOnly(),
        basicAuthorization(QStringLiteral("CP1"), QStringLiteral("guess")));
    QTRY_COMPARE(refused.count(), 1);

    QCOMPARE(disconnected.count(), 0);
    QCOMPARE(fixture.server.connection(QStringLiteral("CP1")), connected.at(0).at(0).value<ChargePointConnection*>());
    QCOMPARE(genuine->state(), QAbstractSocket::ConnectedState);
}

void TestServer::clientCloseEmitsDisconnected()
{
    ServerUnderTest fixture;
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);
    auto client = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    QTRY_COMPARE(client->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(connected.count(), 1);

    client->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("rebooting"));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("CP1"));
    QCOMPARE(disconnected.at(0).at(1).value<QWebSocketProtocol::CloseCode>(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(disconnected.at(0).at(2).toString(), QStringLiteral("rebooting"));
    QVERIFY(fixture.server.connections().isEmpty());
    QVERIFY(!fixture.server.connection(QStringLiteral("CP1")));
}

void TestServer::lostPeerEmitsDisconnected()
{
    ServerUnderTest fixture;
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);
    auto client = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    QTRY_COMPARE(connected.count(), 1);

    client->abort();
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(1).value<QWebSocketProtocol::CloseCode>(),
        QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QVERIFY(fixture.server.connections().isEmpty());
}

void TestServer::serverCloseClosesEveryConnection()
{
    ServerUnderTest fixture;
    QSignalSpy connected(&fixture.server, &ChargePointServer::connected);
    QSignalSpy disconnected(&fixture.server, &ChargePointServer::disconnected);
    auto one = openClient(fixture.server.serverPort(), "/ocpp/CP1");
    auto two = openClient(fixture.server.serverPort(), "/ocpp/CP2");
    QTRY_COMPARE(connected.count(), 2);
    QTRY_COMPARE(two->state(), QAbstractSocket::ConnectedState);

    fixture.server.close();
    QVERIFY(!fixture.server.isListening());
    QCOMPARE(disconnected.count(), 2);
    QVERIFY(fixture.server.connections().isEmpty());
    QTRY_COMPARE(two->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(two->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
