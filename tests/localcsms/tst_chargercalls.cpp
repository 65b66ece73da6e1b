#include "localcsms/bootstatus.h"
#include "ocpp/catalogue.h"
#include "site.h"

#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::localcsms;
using namespace linkray::localcsms::test;
namespace v16 = linkray::ocpp::v16;
using Kind = ocpp::CallOutcome::Kind;

Q_DECLARE_METATYPE(linkray::localcsms::UnknownChargePoints)

// What LinkRay answers to a charger's boot, heartbeat, status, authorisation and notification calls.
class TestChargerCalls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bootByPolicy_data();
    void bootByPolicy();
    void heartbeatGivesTimeAndTouches();
    void floodedHeartbeatsTouchOncePerPeriod();
    void statusIsStored();
    void authorize_data();
    void authorize();
    void dataTransferIsUnknownVendor();
    void notificationsAreRecorded();
    void signCertificateIsRejected();
    void routingCoversEveryAction();
    void centralSystemActionFromChargerIsNotSupported();
    void callBeforeBootIsServedAndCounted();
    void callWhilePendingIsRefused();
    void reconnectWithoutBootIsServed();
    void bootAcceptedByTheCsmsAdmits();
    void deviationsAreCounted();
    void storageFailureIsInternalError_data();
    void storageFailureIsInternalError();
};

void TestChargerCalls::bootByPolicy_data()
{
    QTest::addColumn<QString>("chargePointId");
    QTest::addColumn<UnknownChargePoints>("unknownChargePoints");
    QTest::addColumn<QString>("status");
    QTest::addColumn<qint64>("interval");

    QTest::newRow("known") << QStringLiteral("CP1") << UnknownChargePoints::Reject << QStringLiteral("Accepted")
                           << qint64(300);
    QTest::newRow("unknown accepted") << QStringLiteral("X1") << UnknownChargePoints::Accept
                                      << QStringLiteral("Accepted") << qint64(300);
    QTest::newRow("unknown pending") << QStringLiteral("X1") << UnknownChargePoints::Pending
                                     << QStringLiteral("Pending") << qint64(60);
    QTest::newRow("unknown rejected") << QStringLiteral("X1") << UnknownChargePoints::Reject
                                      << QStringLiteral("Rejected") << qint64(60);
}

void TestChargerCalls::bootByPolicy()
{
    QFETCH(QString, chargePointId);
    QFETCH(UnknownChargePoints, unknownChargePoints);
    QFETCH(QString, status);
    QFETCH(qint64, interval);

    Policy policy = Site::knownChargersPolicy();
    policy.unknownChargePoints = unknownChargePoints;
    Site site(policy);
    ChargerLink& link = site.connect(chargePointId);

    const auto outcome = link.call(bootRequest());
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    const auto response = v16::BootNotificationResponse::fromJson(outcome.payload);
    QCOMPARE(response.status, status);
    QCOMPARE(response.interval, interval);
    QCOMPARE(response.currentTime, site.clock.nowUtc());

    const auto stored = storage::ChargePointRepository(site.database).find(chargePointId);
    QVERIFY(stored);
    QCOMPARE(stored->bootStatus, status);
    QCOMPARE(stored->vendor, QStringLiteral("Acme"));
    QCOMPARE(stored->model, QStringLiteral("Wallbox 22"));
    QCOMPARE(stored->serialNumber, QStringLiteral("SN-1"));
    QCOMPARE(stored->firmwareVersion, QStringLiteral("1.2.3"));
}

void TestChargerCalls::heartbeatGivesTimeAndTouches()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    site.clock.advance(60000);

    const auto outcome = link.call(v16::HeartbeatRequest {});
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    QCOMPARE(v16::HeartbeatResponse::fromJson(outcome.payload).currentTime, site.clock.nowUtc());
    QCOMPARE(storage::ChargePointRepository(site.database).find(QStringLiteral("CP1"))->lastSeenAt,
        std::optional(site.clock.nowUtc()));
}

void TestChargerCalls::floodedHeartbeatsTouchOncePerPeriod()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    const auto lastSeen = [&site] {
        return storage::ChargePointRepository(site.database).find(QStringLiteral("CP1"))->lastSeenAt;
    };
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, Kind::Result);
    const QDateTime firstWritten = site.clock.nowUtc();
    QCOMPARE(lastSeen(), std::optional(firstWritten));

    site.clock.advance(BootStatusHandlers::kLastSeenWritePeriodMs - 1);
    const auto flooded = link.call(v16::HeartbeatRequest {});
    QVERIFY2(flooded.kind == Kind::Result, qPrintable(describe(flooded)));
    QCOMPARE(v16::HeartbeatResponse::fromJson(flooded.payload).currentTime, site.clock.nowUtc());
    QCOMPARE(lastSeen(), std::optional(firstWritten));

    site.clock.advance(1);
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, Kind::Result);
    QCOMPARE(lastSeen(), std::optional(site.clock.nowUtc()));
}

void TestChargerCalls::statusIsStored()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::StatusNotificationRequest chargePoint;
    chargePoint.connectorId = 0;
    chargePoint.errorCode = QStringLiteral("NoError");
    chargePoint.status = QStringLiteral("Available");
    v16::StatusNotificationRequest connector = chargePoint;
    connector.connectorId = 1;
    connector.errorCode = QStringLiteral("GroundFailure");
    connector.status = QStringLiteral("Faulted");
    connector.info = QStringLiteral("RCD tripped");
    connector.vendorErrorCode = QStringLiteral("E42");
    connector.timestamp = site.clock.nowUtc().addSecs(-5);

    QCOMPARE(link.call(chargePoint).kind, Kind::Result);
    QCOMPARE(link.call(connector).kind, Kind::Result);

    const auto stored = storage::ChargePointRepository(site.database).connectors(QStringLiteral("CP1"));
    QCOMPARE(stored.size(), 2);
    for (const auto& record : stored) {
        if (record.connectorId == 0) {
            QCOMPARE(record.status, QStringLiteral("Available"));
            continue;
        }
        QCOMPARE(record.connectorId, 1);
        QCOMPARE(record.status, QStringLiteral("Faulted"));
        QCOMPARE(record.errorCode, QStringLiteral("GroundFailure"));
        QCOMPARE(record.info, QStringLiteral("RCD tripped"));
        QCOMPARE(record.vendorErrorCode, QStringLiteral("E42"));
        QCOMPARE(record.updatedAt, *connector.timestamp);
    }
}

void TestChargerCalls::authorize_data()
{
    QTest::addColumn<QString>("idTag");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("parentIdTag");
    QTest::addColumn<bool>("hasExpiry");

    QTest::newRow("accepted") << QStringLiteral("GOOD") << QStringLiteral("Accepted") << QString() << false;
    QTest::newRow("unknown") << QStringLiteral("NOBODY") << QStringLiteral("Invalid") << QString() << false;
    QTest::newRow("expired") << QStringLiteral("OLD") << QStringLiteral("Expired") << QString() << true;
    QTest::newRow("blocked") << QStringLiteral("STOLEN") << QStringLiteral("Blocked") << QString() << false;
    QTest::newRow("busy") << QStringLiteral("BUSY") << QStringLiteral("ConcurrentTx") << QString() << false;
    QTest::newRow("parent") << QStringLiteral("CHILD") << QStringLiteral("Accepted") << QStringLiteral("FLEET") << true;
}

void TestChargerCalls::authorize()
{
    QFETCH(QString, idTag);
    QFETCH(QString, status);
    QFETCH(QString, parentIdTag);
    QFETCH(bool, hasExpiry);

    Site site;
    storage::IdTagRepository tags(site.database);
    const auto add
        = [&](const QString& tag, const QString& tagStatus, std::optional<QDateTime> expiry, const QString& parent) {
              storage::IdTagRecord record;
              record.idTag = tag;
              record.status = tagStatus;
              record.expiryDate = expiry;
              record.parentIdTag = parent;
              QVERIFY(tags.upsert(record));
          };
    add(QStringLiteral("GOOD"), QStringLiteral("Accepted"), {}, {});
    add(QStringLiteral("OLD"), QStringLiteral("Accepted"), site.clock.nowUtc().addDays(-1), {});
    add(QStringLiteral("STOLEN"), QStringLiteral("Blocked"), {}, {});
    add(QStringLiteral("BUSY"), QStringLiteral("Accepted"), {}, {});
    add(QStringLiteral("CHILD"), QStringLiteral("Accepted"), site.clock.nowUtc().addDays(30), QStringLiteral("FLEET"));
    storage::TransactionRecord running;
    running.chargePointId = QStringLiteral("CP2");
    running.connectorId = 1;
    running.idTag = QStringLiteral("BUSY");
    running.startedAt = site.clock.nowUtc();
    QVERIFY(storage::TransactionRepository(site.database).start(running));

    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::AuthorizeRequest request;
    request.idTag = idTag;
    const auto outcome = link.call(request);
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    const auto info = v16::AuthorizeResponse::fromJson(outcome.payload).idTagInfo;
    QCOMPARE(info.status, status);
    QCOMPARE(info.parentIdTag.value_or(QString()), parentIdTag);
    QCOMPARE(info.expiryDate.has_value(), hasExpiry);
}

void TestChargerCalls::dataTransferIsUnknownVendor()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::DataTransferRequest request;
    request.vendorId = QStringLiteral("com.acme");
    request.messageId = QStringLiteral("hello");
    request.data = QStringLiteral("42");

    const auto outcome = link.call(request);
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    QCOMPARE(v16::DataTransferResponse::fromJson(outcome.payload).status, QStringLiteral("UnknownVendorId"));
    const auto events = storage::EventRepository(site.database).recent(QStringLiteral("CP1"));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().kind, QStringLiteral("DataTransfer"));
    QCOMPARE(v16::DataTransferRequest::fromJson(events.first().details), request);
}

void TestChargerCalls::notificationsAreRecorded()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::FirmwareStatusNotificationRequest firmware;
    firmware.status = QStringLiteral("Installed");
    v16::DiagnosticsStatusNotificationRequest diagnostics;
    diagnostics.status = QStringLiteral("Uploaded");
    v16::SecurityEventNotificationRequest security;
    security.type = QStringLiteral("TamperDetectionActivated");
    security.timestamp = site.clock.nowUtc();
    v16::LogStatusNotificationRequest log;
    log.status = QStringLiteral("Uploading");
    v16::SignedFirmwareStatusNotificationRequest signedFirmware;
    signedFirmware.status = QStringLiteral("SignatureVerified");

    QCOMPARE(link.call(firmware).kind, Kind::Result);
    QCOMPARE(link.call(diagnostics).kind, Kind::Result);
    QCOMPARE(link.call(security).kind, Kind::Result);
    QCOMPARE(link.call(log).kind, Kind::Result);
    QCOMPARE(link.call(signedFirmware).kind, Kind::Result);

    QStringList kinds;
    for (const auto& event : storage::EventRepository(site.database).recent(QStringLiteral("CP1")))
        kinds.append(event.kind);
    kinds.sort();
    QCOMPARE(kinds,
        QStringList({QStringLiteral("DiagnosticsStatusNotification"), QStringLiteral("FirmwareStatusNotification"),
            QStringLiteral("LogStatusNotification"), QStringLiteral("SecurityEventNotification"),
            QStringLiteral("SignedFirmwareStatusNotification")}));
}

void TestChargerCalls::signCertificateIsRejected()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::SignCertificateRequest request;
    request.csr = QStringLiteral("-----BEGIN CERTIFICATE REQUEST-----");
    const auto outcome = link.call(request);
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    QCOMPARE(v16::SignCertificateResponse::fromJson(outcome.payload).status, QStringLiteral("Rejected"));
}

void TestChargerCalls::routingCoversEveryAction()
{
    Site site;
    for (const ocpp::ActionInfo& action : ocpp::allActions()) {
        const auto expected
            = action.travels(ocpp::Direction::ChargePointToCsms) ? RouteKind::Handled : RouteKind::NotSupported;
        const auto route = site.csms->routeKind(action.name);
        QVERIFY2(route.has_value(), qPrintable(action.name));
        QVERIFY2(*route == expected, qPrintable(action.name));
    }
    QVERIFY(!site.csms->routeKind(QStringLiteral("NotAnAction")));
}

void TestChargerCalls::centralSystemActionFromChargerIsNotSupported()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    v16::ResetRequest request;
    request.type = QStringLiteral("Hard");
    const auto outcome = link.call(request);
    QCOMPARE(outcome.kind, Kind::Error);
    QCOMPARE(outcome.errorCode, QStringLiteral("NotSupported"));
}

void TestChargerCalls::callBeforeBootIsServedAndCounted()
{
    Site site;
    ChargerLink& link = site.connect(QStringLiteral("CP1"));
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, Kind::Result);
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, Kind::Result);

    const auto deviations = storage::ChargePointRepository(site.database).deviations(QStringLiteral("CP1"));
    QCOMPARE(deviations.size(), 1);
    QCOMPARE(deviations.first().first, QStringLiteral("call before BootNotification"));
    QCOMPARE(deviations.first().second, qint64(2));
}

void TestChargerCalls::callWhilePendingIsRefused()
{
    Policy policy = Site::knownChargersPolicy();
    policy.unknownChargePoints = UnknownChargePoints::Pending;
    Site site(policy);
    ChargerLink& link = site.connect(QStringLiteral("X1"));
    QCOMPARE(link.call(bootRequest()).kind, Kind::Result);

    const auto outcome = link.call(v16::HeartbeatRequest {});
    QCOMPARE(outcome.kind, Kind::Error);
    QCOMPARE(outcome.errorCode, QStringLiteral("SecurityError"));
    const auto reboot = link.call(bootRequest());
    QCOMPARE(reboot.kind, Kind::Result);
}

void TestChargerCalls::reconnectWithoutBootIsServed()
{
    Site site;
    site.connectBooted(QStringLiteral("CP1"));
    ChargerLink& reconnected = site.connect(QStringLiteral("CP1"));
    QCOMPARE(reconnected.call(v16::HeartbeatRequest {}).kind, Kind::Result);
    QVERIFY(storage::ChargePointRepository(site.database).deviations(QStringLiteral("CP1")).isEmpty());
}

// Online mode: the boot the CSMS accepted is the one that counts when LinkRay answers the charger's next calls.
void TestChargerCalls::bootAcceptedByTheCsmsAdmits()
{
    Policy policy = Site::knownChargersPolicy();
    policy.unknownChargePoints = UnknownChargePoints::Pending;
    Site site(policy);
    ChargerLink& link = site.connect(QStringLiteral("X1"));
    QCOMPARE(link.call(bootRequest()).kind, Kind::Result);
    QCOMPARE(link.call(v16::HeartbeatRequest {}).errorCode, QStringLiteral("SecurityError"));

    const ocpp::IncomingCall relayedBoot {
        QStringLiteral("relayed-1"), QStringLiteral("BootNotification"), bootRequest().toJson(), {}};
    site.csms->recordRelayed(QStringLiteral("X1"), relayedBoot,
        {{QStringLiteral("status"), QStringLiteral("Accepted")}, {QStringLiteral("interval"), 300},
            {QStringLiteral("currentTime"), QStringLiteral("2026-01-01T00:00:00Z")}});

    const auto outcome = link.call(v16::HeartbeatRequest {});
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
}

void TestChargerCalls::deviationsAreCounted()
{
    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    // connectorId as a string: tolerated (coerced) by the lenient central-system side, and counted.
    const QByteArray lenientStatus
        = R"([2,"x%1","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}])";
    QSignalSpy answers(&link.chargerSide(), &ocpp::Endpoint::frameReceived);
    site.csms->endpoint(QStringLiteral("CP1"))->handleIncoming(QByteArray(lenientStatus).replace("%1", "1"));
    site.csms->endpoint(QStringLiteral("CP1"))->handleIncoming(QByteArray(lenientStatus).replace("%1", "2"));
    QTRY_COMPARE(answers.size(), 2);

    const auto deviations = storage::ChargePointRepository(site.database).deviations(QStringLiteral("CP1"));
    QCOMPARE(deviations.size(), 1);
    QCOMPARE(deviations.first().first, QStringLiteral("StatusNotification.connectorId TypeConstraintViolation"));
    QCOMPARE(deviations.first().second, qint64(2));
    QCOMPARE(storage::ChargePointRepository(site.database).connectors(QStringLiteral("CP1")).size(), 1);
}

void TestChargerCalls::storageFailureIsInternalError_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QJsonObject>("payload");

    const QDateTime at(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    v16::StatusNotificationRequest status;
    status.connectorId = 1;
    status.errorCode = QStringLiteral("NoError");
    status.status = QStringLiteral("Available");
    v16::StartTransactionRequest start;
    start.connectorId = 1;
    start.idTag = QStringLiteral("GOOD");
    start.timestamp = at;
    v16::MeterValuesRequest meterValues;
    meterValues.connectorId = 1;
    v16::MeterValue meterValue;
    meterValue.timestamp = at;
    v16::SampledValue sampled;
    sampled.value = QStringLiteral("10");
    meterValue.sampledValue = {sampled};
    meterValues.meterValue = {meterValue};
    v16::DataTransferRequest dataTransfer;
    dataTransfer.vendorId = QStringLiteral("com.acme");

    QTest::newRow("BootNotification") << QStringLiteral("BootNotification") << bootRequest().toJson();
    QTest::newRow("Heartbeat") << QStringLiteral("Heartbeat") << QJsonObject();
    QTest::newRow("StatusNotification") << QStringLiteral("StatusNotification") << status.toJson();
    QTest::newRow("StartTransaction") << QStringLiteral("StartTransaction") << start.toJson();
    QTest::newRow("MeterValues") << QStringLiteral("MeterValues") << meterValues.toJson();
    QTest::newRow("DataTransfer") << QStringLiteral("DataTransfer") << dataTransfer.toJson();
}

void TestChargerCalls::storageFailureIsInternalError()
{
    QFETCH(QString, action);
    QFETCH(QJsonObject, payload);

    Site site;
    ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    site.database.close();
    const auto outcome = link.call(action, payload);
    QCOMPARE(outcome.kind, Kind::Error);
    QCOMPARE(outcome.errorCode, QStringLiteral("InternalError"));
}

QTEST_GUILESS_MAIN(TestChargerCalls)
#include "tst_chargercalls.moc"
