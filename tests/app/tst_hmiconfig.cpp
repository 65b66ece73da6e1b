#include "app/config.h"
#include "configtest.h"

#include <QTest>

using namespace linkray::app;
using namespace configtest;
using namespace Qt::Literals::StringLiterals;

namespace {

// The form `linkray --set-hmi-pin` writes (PBKDF2 of "4711"); only the form is checked at load.
const QByteArray kPinHash = "pbkdf2-sha256$10000$60xeddaVXtzgC5gWFYY13Q==$MFh+kvu8xmakyqt5IomQl6h2q8xsiXLY2mY3fQL7Mk4=";

} // namespace

// The hmi section: the touch view, its language and the operator PIN's hash.
class TestHmiConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreHeadlessEnglishWithoutPin();
    void keysAreReadAndRoundTrip();
    void invalidKeysAreRejected_data();
    void invalidKeysAreRejected();
};

void TestHmiConfig::defaultsAreHeadlessEnglishWithoutPin()
{
    const Config config = configOf(parseConfig(doc(R"("mode": "offline")")));
    QVERIFY(!config.hmi.enabled);
    QCOMPARE(config.hmi.language, u"en"_s);
    QVERIFY(config.hmi.pinHash.isEmpty());
    QVERIFY(config.hmi.fullScreen);
    QVERIFY(!toJson(config).value(u"hmi").toObject().contains(u"pinHash"));
}

void TestHmiConfig::keysAreReadAndRoundTrip()
{
    const Config config = configOf(parseConfig(doc(R"("hmi": {"enabled": true, "language": "de", "pinHash": ")"
        + kPinHash + R"(", "idTag": "SCREEN-1", "fullScreen": false})")));
    QVERIFY(config.hmi.enabled);
    QCOMPARE(config.hmi.language, u"de"_s);
    QCOMPARE(config.hmi.pinHash, QString::fromLatin1(kPinHash));
    QCOMPARE(config.hmi.idTag, u"SCREEN-1"_s);
    QVERIFY(!config.hmi.fullScreen);
    QCOMPARE(configOf(parseConfig(toJson(config))), config);
    Config other = config;
    other.hmi.pinHash.clear();
    QVERIFY(!(other == config));
}

void TestHmiConfig::invalidKeysAreRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown language") << doc(R"("hmi": {"language": "fr"})") << u"hmi.language"_s
                                      << u"must be one of"_s;
    QTest::newRow("plaintext PIN") << doc(R"("hmi": {"pin": "1234"})") << u"hmi.pin"_s << u"--set-hmi-pin"_s;
    QTest::newRow("PIN hash of another form")
        << doc(R"("hmi": {"pinHash": "1234"})") << u"hmi.pinHash"_s << u"must have the form"_s;
    QTest::newRow("enabled as text") << doc(R"("hmi": {"enabled": "yes"})") << u"hmi.enabled"_s << u""_s;
    QTest::newRow("idTag too long") << doc(R"("hmi": {"idTag": "ABCDEFGHIJKLMNOPQRSTU"})") << u"hmi.idTag"_s << u""_s;
    QTest::newRow("unknown key") << doc(R"("hmi": {"fullscreen": true})") << u"hmi.fullscreen"_s << u"fullScreen"_s;
}

void TestHmiConfig::invalidKeysAreRejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, reason);
    const QList<ConfigError> errors = errorsOf(parseConfig(json));
    QVERIFY2(containsError(errors, path, reason), qPrintable(describe(errors)));
}

QTEST_APPLESS_MAIN(TestHmiConfig)
#include "tst_hmiconfig.moc"
