#include "app/config.h"
#include "configtest.h"

#include <QTest>

using namespace linkray::app;
using namespace configtest;
using namespace Qt::Literals::StringLiterals;

// The web section: where the web app listens and how it is secured.
class TestWebConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreHttpsOnTheLan();
    void keysAreReadAndRoundTrip();
    void invalidKeysAreRejected_data();
    void invalidKeysAreRejected();
};

void TestWebConfig::defaultsAreHttpsOnTheLan()
{
    const Config config = configOf(parseConfig(doc(R"("mode": "offline")")));
    QVERIFY(config.web.enabled);
    QVERIFY(config.web.https);
    QCOMPARE(config.web.listenAddress, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config.web.port, 8443);
    QVERIFY(config.web.certificateFile.isEmpty());
}

void TestWebConfig::keysAreReadAndRoundTrip()
{
    const Config config = configOf(parseConfig(doc(R"("web": {"enabled": true, "listenAddress": "192.168.1.10",
        "port": 443, "https": true, "certificateFile": "/etc/linkray/web.pem", "keyFile": "/etc/linkray/web.key"})")));
    QCOMPARE(config.web.listenAddress, QHostAddress(u"192.168.1.10"_s));
    QCOMPARE(config.web.port, 443);
    QCOMPARE(config.web.certificateFile, u"/etc/linkray/web.pem"_s);
    QCOMPARE(config.web.keyFile, u"/etc/linkray/web.key"_s);
    QCOMPARE(configOf(parseConfig(toJson(config))), config);

    Config plain = config;
    plain.web = WebConfig {};
    plain.web.https = false;
    plain.web.enabled = false;
    QCOMPARE(configOf(parseConfig(toJson(plain))), plain);
    QVERIFY(!(plain == config));
}

void TestWebConfig::invalidKeysAreRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("port out of range") << doc(R"("web": {"port": 70000})") << u"web.port"_s << u"65535"_s;
    QTest::newRow("address") << doc(R"("web": {"listenAddress": "lan"})") << u"web.listenAddress"_s << u""_s;
    QTest::newRow("relative certificate") << doc(R"("web": {"certificateFile": "web.pem", "keyFile": "/k"})")
                                          << u"web.certificateFile"_s << u"absolute"_s;
    QTest::newRow("certificate without key")
        << doc(R"("web": {"certificateFile": "/etc/web.pem"})") << u"web.keyFile"_s << u"private key"_s;
    QTest::newRow("key without certificate")
        << doc(R"("web": {"keyFile": "/etc/web.key"})") << u"web.certificateFile"_s << u"certificate"_s;
    QTest::newRow("certificate with plain http")
        << doc(R"("web": {"https": false, "certificateFile": "/etc/web.pem", "keyFile": "/etc/web.key"})")
        << u"web.certificateFile"_s << u"https"_s;
    QTest::newRow("https as text") << doc(R"("web": {"https": "yes"})") << u"web.https"_s << u""_s;
    QTest::newRow("unknown key") << doc(R"("web": {"prot": 8080})") << u"web.prot"_s << u""_s;
}

void TestWebConfig::invalidKeysAreRejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, reason);
    const QList<ConfigError> errors = errorsOf(parseConfig(json));
    QVERIFY2(containsError(errors, path, reason), qPrintable(describe(errors)));
}

QTEST_APPLESS_MAIN(TestWebConfig)
#include "tst_webconfig.moc"
