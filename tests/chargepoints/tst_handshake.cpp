#include "chargepoints/handshake.h"

#include <QTest>

using namespace linkray::chargepoints;

// The pure checks behind the server: prefix forms and Authorization header forms (paths: see tst_server).
class TestHandshake : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void prefixForms_data();
    void prefixForms();
    void authorization_data();
    void authorization();
};

void TestHandshake::prefixForms_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("expectedId"); // empty: refused

    QTest::newRow("default") << QStringLiteral("/ocpp") << QByteArray("/ocpp/CP1") << QStringLiteral("CP1");
    QTest::newRow("prefix with trailing slash")
        << QStringLiteral("/ocpp/") << QByteArray("/ocpp/CP1") << QStringLiteral("CP1");
    QTest::newRow("prefix without leading slash")
        << QStringLiteral("ocpp") << QByteArray("/ocpp/CP1") << QStringLiteral("CP1");
    QTest::newRow("empty prefix") << QString() << QByteArray("/CP1") << QStringLiteral("CP1");
    QTest::newRow("root prefix") << QStringLiteral("/") << QByteArray("/CP1") << QStringLiteral("CP1");
    QTest::newRow("root prefix, nested") << QStringLiteral("/") << QByteArray("/ocpp/CP1") << QString();
    QTest::newRow("deep prefix") << QStringLiteral("/steve/websocket/CentralSystemService")
                                 << QByteArray("/steve/websocket/CentralSystemService/CP1") << QStringLiteral("CP1");
    QTest::newRow("prefix with space") << QStringLiteral("/my site") << QByteArray("/my%20site/CP1")
                                       << QStringLiteral("CP1");
    QTest::newRow("prefix is case-sensitive") << QStringLiteral("/ocpp") << QByteArray("/OCPP/CP1") << QString();
}

void TestHandshake::prefixForms()
{
    QFETCH(QString, prefix);
    QFETCH(QByteArray, path);
    QFETCH(QString, expectedId);

    const auto id = chargePointIdFromPath(path, prefix);
    QCOMPARE(id.ok(), !expectedId.isEmpty());
    QCOMPARE(id.value, expectedId);
}

void TestHandshake::authorization_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<bool>("hasPassword");
    QTest::addColumn<QString>("password");

    const auto basic = [](const QByteArray& userColonPassword) { return "Basic " + userColonPassword.toBase64(); };
    QTest::newRow("no header") << QByteArray() << false << false << QString();
    QTest::newRow("basic") << basic("CP1:secret") << false << true << QStringLiteral("secret");
    QTest::newRow("scheme in lower case")
        << "basic " + QByteArray("CP1:secret").toBase64() << false << true << QStringLiteral("secret");
    QTest::newRow("colon in password") << basic("CP1:a:b") << false << true << QStringLiteral("a:b");
    QTest::newRow("empty password") << basic("CP1:") << false << true << QString();
    QTest::newRow("UTF-8 password") << basic(QStringLiteral("CP1:pässwörd").toUtf8()) << false << true
                                    << QStringLiteral("pässwörd");
    QTest::newRow("other user") << basic("CP2:secret") << true << false << QString();
    QTest::newRow("user differs in case") << basic("cp1:secret") << true << false << QString();
    QTest::newRow("no colon") << basic("CP1secret") << true << false << QString();
    QTest::newRow("not base64") << QByteArray("Basic ***") << true << false << QString();
    QTest::newRow("scheme only") << QByteArray("Basic") << true << false << QString();
    QTest::newRow("other scheme") << QByteArray("Bearer abc") << true << false << QString();
}

void TestHandshake::authorization()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, refused);
    QFETCH(bool, hasPassword);
    QFETCH(QString, password);

    const auto result = basicAuthPassword(header, QStringLiteral("CP1"));
    QCOMPARE(!result.ok(), refused);
    QCOMPARE(result.value.has_value(), hasPassword);
    if (hasPassword)
        QCOMPARE(*result.value, password);
    if (refused)
        QVERIFY(!result.refusal.contains(QStringLiteral("secret")));
}

QTEST_GUILESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
