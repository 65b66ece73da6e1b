#include "bench.h"

#include <QTest>

namespace ocpp = linkray::ocpp;
namespace v16 = linkray::ocpp::v16;
namespace sim = linkray::sim;

namespace {

constexpr qint64 Minute = 60 * 1000;

v16::AuthorizationData entry(const QString& idTag, const std::optional<QString>& status)
{
    v16::AuthorizationData data;
    data.idTag = idTag;
    if (status) {
        data.idTagInfo = v16::IdTagInfo {};
        data.idTagInfo->status = *status;
    }
    return data;
}

v16::SendLocalListRequest localList(
    qint64 version, const QString& updateType, const QList<v16::AuthorizationData>& entries)
{
    v16::SendLocalListRequest request;
    request.listVersion = version;
    request.updateType = updateType;
    request.localAuthorizationList = entries;
    return request;
}

} // namespace

// What the simulated charge point answers to the CSMS, and what it does after answering.
class TestCsmsCommands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void remoteStartAndStop();
    void remoteStartNeedsAFreeConnector();
    void localListFullThenDifferential();
    void resetStopsTransactionsAndReboots_data();
    void resetStopsTransactionsAndReboots();
    void getConfigurationHidesTheAuthorizationKey();
    void changeConfiguration_data();
    void changeConfiguration();
    void heartbeatIntervalChangeTakesEffect();
    void triggerMessage_data();
    void triggerMessage();
    void changeAvailabilityWaitsForTheTransaction();
    void compositeScheduleReportsTheLimit();
    void unsupportedActionsAreRefused();
};

void TestCsmsCommands::remoteStartAndStop()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3, 2));
    bench.boot();
    v16::RemoteStartTransactionRequest start;
    start.connectorId = 2;
    start.idTag = QStringLiteral("REMOTE-1");
    QCOMPARE(bench.callChargePoint(start)->status, QStringLiteral("Accepted"));
    bench.settle();
    const auto starts = bench.received<v16::StartTransactionRequest>();
    QCOMPARE(starts.size(), 1);
    QCOMPARE(starts.first().connectorId, 2);
    QCOMPARE(starts.first().idTag, QStringLiteral("REMOTE-1"));
    QCOMPARE(bench.statusesOf(2).last(), QStringLiteral("Charging"));

    QCOMPARE(bench.callChargePoint(v16::RemoteStopTransactionRequest {999})->status, QStringLiteral("Rejected"));
    bench.advance(Minute);
    QCOMPARE(bench.callChargePoint(v16::RemoteStopTransactionRequest {100})->status, QStringLiteral("Accepted"));
    bench.settle();
    const auto stops = bench.received<v16::StopTransactionRequest>();
    QCOMPARE(stops.size(), 1);
    QCOMPARE(stops.first().transactionId, 100);
    QCOMPARE(stops.first().reason, std::optional<QString>(QStringLiteral("Remote")));
    QCOMPARE(stops.first().meterStop, qRound64(22080.0 / 60));
    QCOMPARE(bench.statusesOf(2).last(), QStringLiteral("Available"));
    QVERIFY(bench.violations.isEmpty());
}

void TestCsmsCommands::remoteStartNeedsAFreeConnector()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac1, 1));
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    v16::RemoteStartTransactionRequest start;
    start.idTag = QStringLiteral("REMOTE-1");
    QCOMPARE(bench.callChargePoint(start)->status, QStringLiteral("Rejected"));
    QCOMPARE(bench.received<v16::StartTransactionRequest>().size(), 1);
}

void TestCsmsCommands::localListFullThenDifferential()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    const auto accepted = std::optional<QString>(QStringLiteral("Accepted"));
    const auto send = [&](const v16::SendLocalListRequest& request) { return bench.callChargePoint(request)->status; };
    const auto version = [&] { return bench.callChargePoint(v16::GetLocalListVersionRequest {})->listVersion; };

    QCOMPARE(version(), 0);
    QCOMPARE(send(localList(3, QStringLiteral("Full"),
                 {entry(QStringLiteral("A"), accepted), entry(QStringLiteral("B"), accepted)})),
        QStringLiteral("Accepted"));
    QCOMPARE(version(), 3);
    QCOMPARE(send(localList(4, QStringLiteral("Differential"),
                 {entry(QStringLiteral("A"), std::nullopt), entry(QStringLiteral("C"), accepted)})),
        QStringLiteral("Accepted"));
    QCOMPARE(version(), 4);
    QCOMPARE(send(localList(4, QStringLiteral("Differential"), {entry(QStringLiteral("D"), accepted)})),
        QStringLiteral("VersionMismatch"));
    QCOMPARE(version(), 4);
    QList<v16::AuthorizationData> tooMany;
    for (int i = 0; i < 101; ++i)
        tooMany.append(entry(QStringLiteral("TAG-%1").arg(i), accepted));
    QCOMPARE(send(localList(5, QStringLiteral("Full"), tooMany)), QStringLiteral("Failed"));
    QCOMPARE(version(), 4);

    const v16::ChangeConfigurationRequest disable {QStringLiteral("LocalAuthListEnabled"), QStringLiteral("false")};
    QCOMPARE(bench.callChargePoint(disable)->status, QStringLiteral("Accepted"));
    QCOMPARE(send(localList(6, QStringLiteral("Full"), {})), QStringLiteral("NotSupported"));
}

void TestCsmsCommands::resetStopsTransactionsAndReboots_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("reason");
    QTest::newRow("soft") << QStringLiteral("Soft") << QStringLiteral("SoftReset");
    QTest::newRow("hard") << QStringLiteral("Hard") << QStringLiteral("HardReset");
}

void TestCsmsCommands::resetStopsTransactionsAndReboots()
{
    QFETCH(QString, type);
    QFETCH(QString, reason);
    Bench bench(Bench::settings(sim::ChargerType::Ac3, 2));
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    QVERIFY(bench.chargePoint.carArrives(2, QStringLiteral("SIM-TAG-02")));
    bench.advance(Minute);
    bench.clearReceived();

    QCOMPARE(bench.callChargePoint(v16::ResetRequest {type})->status, QStringLiteral("Accepted"));
    bench.settle();
    const auto stops = bench.received<v16::StopTransactionRequest>();
    QCOMPARE(stops.size(), 2);
    for (const auto& stop : stops)
        QCOMPARE(stop.reason, std::optional<QString>(reason));
    const QStringList actions = bench.receivedActions();
    QVERIFY(
        actions.lastIndexOf(QStringLiteral("StopTransaction")) < actions.indexOf(QStringLiteral("BootNotification")));
    QCOMPARE(bench.received<v16::BootNotificationRequest>().size(), 1);
    QCOMPARE(bench.statusesOf(1).last(), QStringLiteral("Available"));
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-03")));
}

void TestCsmsCommands::getConfigurationHidesTheAuthorizationKey()
{
    auto settings = Bench::settings(sim::ChargerType::Dc, 2);
    settings.password = QStringLiteral("secret-password-1");
    Bench bench(settings);
    bench.boot();

    const auto all = bench.callChargePoint(v16::GetConfigurationRequest {});
    QVERIFY(all && all->configurationKey);
    QHash<QString, QString> values;
    for (const v16::KeyValue& key : *all->configurationKey)
        values.insert(key.key, key.value.value_or(QString()));
    for (const char* key : {"HeartbeatInterval", "MeterValueSampleInterval", "LocalAuthListEnabled",
             "LocalAuthListMaxLength", "SendLocalListMaxLength", "ChargeProfileMaxStackLevel"})
        QVERIFY2(values.contains(QLatin1String(key)), key);
    QCOMPARE(values.value(QStringLiteral("ChargingScheduleAllowedChargingRateUnit")), QStringLiteral("Power"));
    QCOMPARE(values.value(QStringLiteral("NumberOfConnectors")), QStringLiteral("2"));
    QVERIFY(!values.contains(QStringLiteral("AuthorizationKey")));

    v16::GetConfigurationRequest some;
    some.key
        = QStringList {QStringLiteral("HeartbeatInterval"), QStringLiteral("Foo"), QStringLiteral("AuthorizationKey")};
    const auto answer = bench.callChargePoint(some);
    QCOMPARE(answer->configurationKey->size(), 1);
    QCOMPARE(answer->unknownKey,
        std::optional<QList<QString>>(QStringList {QStringLiteral("Foo"), QStringLiteral("AuthorizationKey")}));
}

void TestCsmsCommands::changeConfiguration_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("status");
    QTest::newRow("writable") << QStringLiteral("MeterValueSampleInterval") << QStringLiteral("30")
                              << QStringLiteral("Accepted");
    QTest::newRow("bad value") << QStringLiteral("HeartbeatInterval") << QStringLiteral("soon")
                               << QStringLiteral("Rejected");
    QTest::newRow("read-only") << QStringLiteral("NumberOfConnectors") << QStringLiteral("4")
                               << QStringLiteral("Rejected");
    QTest::newRow("unknown") << QStringLiteral("Foo") << QStringLiteral("1") << QStringLiteral("NotSupported");
    QTest::newRow("authorization key") << QStringLiteral("AuthorizationKey") << QStringLiteral("0123456789abcdef")
                                       << QStringLiteral("Accepted");
    QTest::newRow("authorization key too short")
        << QStringLiteral("AuthorizationKey") << QStringLiteral("short") << QStringLiteral("Rejected");
}

void TestCsmsCommands::changeConfiguration()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, status);
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    QCOMPARE(bench.callChargePoint(v16::ChangeConfigurationRequest {key, value})->status, status);
    if (key == QLatin1String("AuthorizationKey"))
        QCOMPARE(bench.chargePoint.authorizationKey(), status == QLatin1String("Accepted") ? value : QString());
}

void TestCsmsCommands::heartbeatIntervalChangeTakesEffect()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    QCOMPARE(bench
                 .callChargePoint(
                     v16::ChangeConfigurationRequest {QStringLiteral("HeartbeatInterval"), QStringLiteral("20")})
                 ->status,
        QStringLiteral("Accepted"));
    bench.advance(Minute);
    QCOMPARE(bench.received<v16::HeartbeatRequest>().size(), 3);
}

void TestCsmsCommands::triggerMessage_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("sentAction");
    QTest::newRow("heartbeat") << QStringLiteral("Heartbeat") << QStringLiteral("Accepted")
                               << QStringLiteral("Heartbeat");
    QTest::newRow("status") << QStringLiteral("StatusNotification") << QStringLiteral("Accepted")
                            << QStringLiteral("StatusNotification");
    QTest::newRow("meter values") << QStringLiteral("MeterValues") << QStringLiteral("Accepted")
                                  << QStringLiteral("MeterValues");
    QTest::newRow("boot") << QStringLiteral("BootNotification") << QStringLiteral("Accepted")
                          << QStringLiteral("BootNotification");
    QTest::newRow("diagnostics") << QStringLiteral("DiagnosticsStatusNotification") << QStringLiteral("NotImplemented")
                                 << QString();
}

void TestCsmsCommands::triggerMessage()
{
    QFETCH(QString, message);
    QFETCH(QString, status);
    QFETCH(QString, sentAction);
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    bench.clearReceived();
    v16::TriggerMessageRequest trigger;
    trigger.requestedMessage = message;
    trigger.connectorId = 1;
    QCOMPARE(bench.callChargePoint(trigger)->status, status);
    bench.settle();
    QCOMPARE(bench.receivedActions().value(0), sentAction);
}

void TestCsmsCommands::changeAvailabilityWaitsForTheTransaction()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3, 2));
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    const auto inoperative = [](qint64 connectorId) {
        return v16::ChangeAvailabilityRequest {connectorId, QStringLiteral("Inoperative")};
    };
    QCOMPARE(bench.callChargePoint(inoperative(2))->status, QStringLiteral("Accepted"));
    bench.settle();
    QCOMPARE(bench.statusesOf(2).last(), QStringLiteral("Unavailable"));
    QCOMPARE(bench.callChargePoint(inoperative(1))->status, QStringLiteral("Scheduled"));
    bench.settle();
    QCOMPARE(bench.statusesOf(1).last(), QStringLiteral("Charging"));
    bench.chargePoint.carDeparts(1);
    bench.settle();
    QCOMPARE(bench.statusesOf(1).last(), QStringLiteral("Unavailable"));
    QVERIFY(!bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
}

void TestCsmsCommands::compositeScheduleReportsTheLimit()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    v16::ChargingProfile profile;
    profile.chargingProfileId = 1;
    profile.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    profile.chargingProfileKind = QStringLiteral("Absolute");
    profile.chargingSchedule.startSchedule = bench.clock.nowUtc();
    profile.chargingSchedule.chargingRateUnit = QStringLiteral("A");
    profile.chargingSchedule.chargingSchedulePeriod
        = {v16::ChargingSchedulePeriod {0, 16, std::nullopt}, v16::ChargingSchedulePeriod {600, 10, std::nullopt}};
    QCOMPARE(bench.callChargePoint(v16::SetChargingProfileRequest {0, profile})->status, QStringLiteral("Accepted"));

    const auto composite = bench.callChargePoint(v16::GetCompositeScheduleRequest {1, 1200, std::nullopt});
    QVERIFY(composite && composite->chargingSchedule);
    QCOMPARE(composite->status, QStringLiteral("Accepted"));
    QCOMPARE(composite->chargingSchedule->chargingRateUnit, QStringLiteral("A"));
    QCOMPARE(composite->chargingSchedule->chargingSchedulePeriod,
        (QList<v16::ChargingSchedulePeriod> {{0, 16, std::nullopt}, {600, 10, std::nullopt}}));

    const auto inWatts = bench.callChargePoint(v16::GetCompositeScheduleRequest {1, 300, QStringLiteral("W")});
    QCOMPARE(inWatts->chargingSchedule->chargingSchedulePeriod,
        (QList<v16::ChargingSchedulePeriod> {{0, 16 * 3 * 230, std::nullopt}}));
}

void TestCsmsCommands::unsupportedActionsAreRefused()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    const ocpp::CallOutcome reserve
        = bench.call(QStringLiteral("CancelReservation"), QJsonObject {{QStringLiteral("reservationId"), 1}});
    QCOMPARE(reserve.kind, ocpp::CallOutcome::Kind::Error);
    QCOMPARE(reserve.errorCode, QStringLiteral("NotSupported"));
    v16::DataTransferRequest transfer;
    transfer.vendorId = QStringLiteral("com.example");
    QCOMPARE(bench.callChargePoint(transfer)->status, QStringLiteral("UnknownVendorId"));
}

QTEST_GUILESS_MAIN(TestCsmsCommands)
#include "tst_csmscommands.moc"
