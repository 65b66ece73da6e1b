#include "proxy/journal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace linkray::proxy;

namespace {

QJsonObject json(const char* text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestJournal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void journaledActions_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<bool>("journaled");
        QTest::addColumn<bool>("transaction");
        QTest::newRow("boot") << "BootNotification" << true << false;
        QTest::newRow("status") << "StatusNotification" << true << false;
        QTest::newRow("start") << "StartTransaction" << true << true;
        QTest::newRow("meter values") << "MeterValues" << true << true;
        QTest::newRow("stop") << "StopTransaction" << true << true;
        QTest::newRow("firmware") << "FirmwareStatusNotification" << true << false;
        QTest::newRow("diagnostics") << "DiagnosticsStatusNotification" << true << false;
        QTest::newRow("security event") << "SecurityEventNotification" << true << false;
        QTest::newRow("authorize") << "Authorize" << false << false;
        QTest::newRow("heartbeat") << "Heartbeat" << false << false;
        QTest::newRow("data transfer") << "DataTransfer" << false << false;
        QTest::newRow("vendor action") << "VendorThing" << false << false;
    }
    void journaledActions()
    {
        QFETCH(QString, action);
        QFETCH(bool, journaled);
        QFETCH(bool, transaction);
        QCOMPARE(isJournaled(action), journaled);
        QCOMPARE(isTransactionMessage(action), transaction);
    }

    void transactionIdIsFoundWhereEachActionKeepsIt_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<qint64>("expected"); // -1 = none
        QTest::newRow("meter values") << "MeterValues" << QByteArray(R"({"connectorId":1,"transactionId":42})")
                                      << qint64(42);
        QTest::newRow("meter values without transaction")
            << "MeterValues" << QByteArray(R"({"connectorId":0,"meterValue":[]})") << qint64(-1);
        QTest::newRow("stop") << "StopTransaction" << QByteArray(R"({"transactionId":7,"meterStop":10})") << qint64(7);
        QTest::newRow("remote stop") << "RemoteStopTransaction" << QByteArray(R"({"transactionId":2000000001})")
                                     << qint64(2000000001);
        QTest::newRow("tx profile") << "SetChargingProfile"
                                    << QByteArray(R"({"connectorId":1,"csChargingProfiles":{"transactionId":9}})")
                                    << qint64(9);
        QTest::newRow("default profile") << "SetChargingProfile"
                                         << QByteArray(R"({"connectorId":1,"csChargingProfiles":{}})") << qint64(-1);
        QTest::newRow("start has no id yet")
            << "StartTransaction" << QByteArray(R"({"transactionId":3})") << qint64(-1);
        QTest::newRow("text is not an id") << "StopTransaction" << QByteArray(R"({"transactionId":"7"})") << qint64(-1);
    }
    void transactionIdIsFoundWhereEachActionKeepsIt()
    {
        QFETCH(QString, action);
        QFETCH(QByteArray, payload);
        QFETCH(qint64, expected);
        const std::optional<qint64> found = transactionIdOf(action, json(payload));
        QCOMPARE(found.value_or(-1), expected);
    }

    void translationReplacesOnlyTheTransactionId()
    {
        const QJsonObject payload = json(R"({"connectorId":1,"csChargingProfiles":{"chargingProfileId":5,
            "stackLevel":1,"chargingProfilePurpose":"TxProfile","transactionId":777}})");
        const auto translated = translateTransactionId(QStringLiteral("c1"), QStringLiteral("SetChargingProfile"),
            payload, [](qint64 id) { return id == 777 ? std::optional<qint64>(2000000005) : std::nullopt; });
        QVERIFY(translated);
        const QJsonArray frame = QJsonDocument::fromJson(*translated).array();
        QCOMPARE(frame.at(0).toInt(), 2);
        QCOMPARE(frame.at(1).toString(), QStringLiteral("c1"));
        QCOMPARE(frame.at(2).toString(), QStringLiteral("SetChargingProfile"));
        QJsonObject expected = payload;
        QJsonObject profile = expected.value(QLatin1String("csChargingProfiles")).toObject();
        profile.insert(QLatin1String("transactionId"), 2000000005);
        expected.insert(QLatin1String("csChargingProfiles"), profile);
        QCOMPARE(frame.at(3).toObject(), expected);
    }

    void unmappedOrAbsentIdsLeaveTheFrameAlone()
    {
        const auto lookup = [](qint64) { return std::optional<qint64>(); };
        QVERIFY(!translateTransactionId(QStringLiteral("m1"), QStringLiteral("MeterValues"),
            json(R"({"connectorId":1,"transactionId":5})"), lookup));
        QVERIFY(!translateTransactionId(
            QStringLiteral("h1"), QStringLiteral("Heartbeat"), {}, [](qint64) { return std::optional<qint64>(1); }));
    }
};

QTEST_APPLESS_MAIN(TestJournal)
#include "tst_journal.moc"
