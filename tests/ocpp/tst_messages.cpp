#include "ocpp/catalogue.h"
#include "ocpp/lenientjson.h"
#include "ocpp/messages.h"
#include "ocpp/schemarules.h"
#include "ocpp/validation.h"

#include <QHash>
#include <QJsonDocument>
#include <QTest>

#include <type_traits>

using namespace linkray::ocpp;

namespace {

static_assert(std::is_same_v<v16::BootNotificationRequest::Response, v16::BootNotificationResponse>);
static_assert(std::is_same_v<decltype(v16::StartTransactionResponse::transactionId), qint64>);
static_assert(
    std::is_same_v<decltype(v16::StopTransactionRequest::transactionData), std::optional<QList<v16::MeterValue>>>);
static_assert(std::is_same_v<decltype(v16::SetChargingProfileRequest::csChargingProfiles), v16::ChargingProfile>);
static_assert(
    std::is_same_v<decltype(v16::RemoteStartTransactionRequest::chargingProfile), std::optional<v16::ChargingProfile>>);
static_assert(std::is_same_v<decltype(v16::GetCompositeScheduleResponse::chargingSchedule),
    std::optional<v16::ChargingSchedule>>);

struct Example {
    const char* request;
    const char* response;
};

// One valid request and response per action, written from the specification (date-times in LinkRay's own form).
const QHash<QString, Example>& examples()
{
    static const QHash<QString, Example> table {
        {QStringLiteral("Authorize"),
            {R"({"idTag":"04E91C5A"})",
                R"({"idTagInfo":{"status":"Accepted","expiryDate":"2024-03-02T00:00:00.000Z","parentIdTag":"FLEET"}})"}},
        {QStringLiteral("BootNotification"),
            {R"({"chargePointVendor":"Acme","chargePointModel":"Wallbox 22","firmwareVersion":"1.2.3"})",
                R"({"status":"Accepted","currentTime":"2024-03-01T12:00:00.000Z","interval":300})"}},
        {QStringLiteral("CancelReservation"), {R"({"reservationId":7})", R"({"status":"Rejected"})"}},
        {QStringLiteral("CertificateSigned"),
            {R"({"certificateChain":"-----BEGIN CERTIFICATE-----"})", R"({"status":"Accepted"})"}},
        {QStringLiteral("ChangeAvailability"),
            {R"({"connectorId":0,"type":"Inoperative"})", R"({"status":"Scheduled"})"}},
        {QStringLiteral("ChangeConfiguration"),
            {R"({"key":"HeartbeatInterval","value":"300"})", R"({"status":"RebootRequired"})"}},
        {QStringLiteral("ClearCache"), {R"({})", R"({"status":"Accepted"})"}},
        {QStringLiteral("ClearChargingProfile"),
            {R"({"connectorId":1,"chargingProfilePurpose":"TxDefaultProfile"})", R"({"status":"Unknown"})"}},
        {QStringLiteral("DataTransfer"),
            {R"({"vendorId":"com.acme","messageId":"ping","data":"hello"})", R"({"status":"UnknownVendorId"})"}},
        {QStringLiteral("DeleteCertificate"),
            {R"({"certificateHashData":{"hashAlgorithm":"SHA256","issuerNameHash":"ab","issuerKeyHash":"cd","serialNumber":"01"}})",
                R"({"status":"NotFound"})"}},
        {QStringLiteral("DiagnosticsStatusNotification"), {R"({"status":"Uploaded"})", R"({})"}},
        {QStringLiteral("ExtendedTriggerMessage"),
            {R"({"requestedMessage":"SignChargePointCertificate","connectorId":1})", R"({"status":"Accepted"})"}},
        {QStringLiteral("FirmwareStatusNotification"), {R"({"status":"Installed"})", R"({})"}},
        {QStringLiteral("GetCompositeSchedule"),
            {R"({"connectorId":1,"duration":3600,"chargingRateUnit":"A"})",
                R"({"status":"Accepted","connectorId":1,"scheduleStart":"2024-03-01T12:00:00.000Z","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3}]}})"}},
        {QStringLiteral("GetConfiguration"),
            {R"({"key":["HeartbeatInterval"]})",
                R"({"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}],"unknownKey":["Foo"]})"}},
        {QStringLiteral("GetDiagnostics"),
            {R"({"location":"ftp://logs.example.com/uploads","startTime":"2024-03-01T00:00:00.000Z"})",
                R"({"fileName":"diag.zip"})"}},
        {QStringLiteral("GetInstalledCertificateIds"),
            {R"({"certificateType":"ManufacturerRootCertificate"})",
                R"({"status":"Accepted","certificateHashData":[{"hashAlgorithm":"SHA384","issuerNameHash":"ab","issuerKeyHash":"cd","serialNumber":"02"}]})"}},
        {QStringLiteral("GetLocalListVersion"), {R"({})", R"({"listVersion":-1})"}},
        {QStringLiteral("GetLog"),
            {R"({"log":{"remoteLocation":"https://logs.example.com","oldestTimestamp":"2024-03-01T00:00:00.000Z"},"logType":"SecurityLog","requestId":4})",
                R"({"status":"Accepted","filename":"security.log"})"}},
        {QStringLiteral("Heartbeat"), {R"({})", R"({"currentTime":"2024-03-01T12:00:00.123Z"})"}},
        {QStringLiteral("InstallCertificate"),
            {R"({"certificateType":"CentralSystemRootCertificate","certificate":"-----BEGIN CERTIFICATE-----"})",
                R"({"status":"Failed"})"}},
        {QStringLiteral("LogStatusNotification"), {R"({"status":"Uploading","requestId":4})", R"({})"}},
        {QStringLiteral("MeterValues"),
            {R"({"connectorId":1,"transactionId":5000000000,"meterValue":[{"timestamp":"2024-03-01T12:00:00.000Z","sampledValue":[{"value":"1234","measurand":"Energy.Active.Import.Register","unit":"Wh"},{"value":"15.9","measurand":"Current.Import","phase":"L1","unit":"A"}]}]})",
                R"({})"}},
        {QStringLiteral("RemoteStartTransaction"),
            {R"({"idTag":"04E91C5A","connectorId":1,"chargingProfile":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}})",
                R"({"status":"Accepted"})"}},
        {QStringLiteral("RemoteStopTransaction"), {R"({"transactionId":42})", R"({"status":"Rejected"})"}},
        {QStringLiteral("ReserveNow"),
            {R"({"connectorId":1,"expiryDate":"2024-03-01T13:00:00.000Z","idTag":"04E91C5A","reservationId":7})",
                R"({"status":"Occupied"})"}},
        {QStringLiteral("Reset"), {R"({"type":"Soft"})", R"({"status":"Accepted"})"}},
        {QStringLiteral("SecurityEventNotification"),
            {R"({"type":"FirmwareUpdated","timestamp":"2024-03-01T12:00:00.000Z"})", R"({})"}},
        {QStringLiteral("SendLocalList"),
            {R"({"listVersion":3,"updateType":"Full","localAuthorizationList":[{"idTag":"04E91C5A","idTagInfo":{"status":"Accepted"}}]})",
                R"({"status":"VersionMismatch"})"}},
        {QStringLiteral("SetChargingProfile"),
            {R"({"connectorId":0,"csChargingProfiles":{"chargingProfileId":9,"stackLevel":1,"chargingProfilePurpose":"ChargePointMaxProfile","chargingProfileKind":"Absolute","validFrom":"2024-03-01T00:00:00.000Z","chargingSchedule":{"chargingRateUnit":"A","startSchedule":"2024-03-01T00:00:00.000Z","chargingSchedulePeriod":[{"startPeriod":0,"limit":32},{"startPeriod":3600,"limit":6.5,"numberPhases":1}]}}})",
                R"({"status":"NotSupported"})"}},
        {QStringLiteral("SignCertificate"),
            {R"({"csr":"-----BEGIN CERTIFICATE REQUEST-----"})", R"({"status":"Accepted"})"}},
        {QStringLiteral("SignedFirmwareStatusNotification"),
            {R"({"status":"InvalidSignature","requestId":2})", R"({})"}},
        {QStringLiteral("SignedUpdateFirmware"),
            {R"({"requestId":2,"firmware":{"location":"https://fw.example.com/1.3.bin","retrieveDateTime":"2024-03-01T02:00:00.000Z","signingCertificate":"-----BEGIN CERTIFICATE-----","signature":"c2ln"}})",
                R"({"status":"Accepted"})"}},
        {QStringLiteral("StartTransaction"),
            {R"({"connectorId":1,"idTag":"04E91C5A","meterStart":1000,"timestamp":"2024-03-01T12:00:00.000Z"})",
                R"({"idTagInfo":{"status":"Accepted"},"transactionId":5000000000})"}},
        {QStringLiteral("StatusNotification"),
            {R"({"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-03-01T12:00:00.000Z"})",
                R"({})"}},
        {QStringLiteral("StopTransaction"),
            {R"({"meterStop":5000,"timestamp":"2024-03-01T13:00:00.000Z","transactionId":42,"reason":"EVDisconnected","transactionData":[{"timestamp":"2024-03-01T13:00:00.000Z","sampledValue":[{"value":"5000","context":"Transaction.End"}]}]})",
                R"({"idTagInfo":{"status":"Accepted"}})"}},
        {QStringLiteral("TriggerMessage"),
            {R"({"requestedMessage":"StatusNotification","connectorId":2})", R"({"status":"NotImplemented"})"}},
        {QStringLiteral("UnlockConnector"), {R"({"connectorId":1})", R"({"status":"UnlockFailed"})"}},
        {QStringLiteral("UpdateFirmware"),
            {R"({"location":"https://fw.example.com/1.3.bin","retrieveDate":"2024-03-01T02:00:00.000Z","retries":3})",
                R"({})"}},
    };
    return table;
}

QJsonObject parsed(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second, int ms = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), Qt::UTC);
}

} // namespace

class TestMessages : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void catalogue_listsEveryActionOnce();
    void catalogue_direction_data();
    void catalogue_direction();
    void examples_validateCleanly_data();
    void examples_validateCleanly();
    void examples_roundTrip_data() { examples_validateCleanly_data(); }
    void examples_roundTrip();
    void examples_invalidVariants_data();
    void examples_invalidVariants();
    void fromJson_readsFields();
    void fromJson_readsLenientForms();
    void toJson_formatsDateTime_data();
    void toJson_formatsDateTime();
};

void TestMessages::catalogue_listsEveryActionOnce()
{
    const QStringList profiles {QStringLiteral("Core"), QStringLiteral("FirmwareManagement"),
        QStringLiteral("LocalAuthListManagement"), QStringLiteral("Reservation"), QStringLiteral("RemoteTrigger"),
        QStringLiteral("SmartCharging"), QStringLiteral("Security")};
    QCOMPARE(allActions().size(), 39); // 28 of OCPP 1.6 and 11 of the security extension
    for (const ActionInfo& action : allActions()) {
        QCOMPARE(findAction(action.name), &action);
        QVERIFY2(isKnownAction(action.name), qPrintable(action.name));
        QVERIFY2(profiles.contains(action.profile), qPrintable(action.name));
        QVERIFY2(action.request != nullptr && action.response != nullptr, qPrintable(action.name));
        QVERIFY2(action.throughRequestType && action.throughResponseType, qPrintable(action.name));
        QVERIFY2(examples().contains(action.name), qPrintable(action.name));
    }
    QCOMPARE(findAction(QStringLiteral("Authorise")), nullptr);
    QCOMPARE(findAction(QStringLiteral("authorize")), nullptr);
}

void TestMessages::catalogue_direction_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("fromChargePoint");
    QTest::addColumn<bool>("fromCsms");
    QTest::addColumn<QString>("profile");
    QTest::newRow("BootNotification") << QStringLiteral("BootNotification") << true << false << QStringLiteral("Core");
    QTest::newRow("RemoteStartTransaction")
        << QStringLiteral("RemoteStartTransaction") << false << true << QStringLiteral("Core");
    QTest::newRow("DataTransfer both ways") << QStringLiteral("DataTransfer") << true << true << QStringLiteral("Core");
    QTest::newRow("SetChargingProfile") << QStringLiteral("SetChargingProfile") << false << true
                                        << QStringLiteral("SmartCharging");
    QTest::newRow("TriggerMessage") << QStringLiteral("TriggerMessage") << false << true
                                    << QStringLiteral("RemoteTrigger");
    QTest::newRow("SendLocalList") << QStringLiteral("SendLocalList") << false << true
                                   << QStringLiteral("LocalAuthListManagement");
    QTest::newRow("ReserveNow") << QStringLiteral("ReserveNow") << false << true << QStringLiteral("Reservation");
    QTest::newRow("FirmwareStatusNotification")
        << QStringLiteral("FirmwareStatusNotification") << true << false << QStringLiteral("FirmwareManagement");
    QTest::newRow("SignCertificate") << QStringLiteral("SignCertificate") << true << false
                                     << QStringLiteral("Security");
    QTest::newRow("GetLog") << QStringLiteral("GetLog") << false << true << QStringLiteral("Security");
}

void TestMessages::catalogue_direction()
{
    QFETCH(QString, action);
    QFETCH(bool, fromChargePoint);
    QFETCH(bool, fromCsms);
    QFETCH(QString, profile);
    const ActionInfo* info = findAction(action);
    QVERIFY(info != nullptr);
    QCOMPARE(info->travels(Direction::ChargePointToCsms), fromChargePoint);
    QCOMPARE(info->travels(Direction::CsmsToChargePoint), fromCsms);
    QCOMPARE(info->profile, profile);
}

void TestMessages::examples_validateCleanly_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<PayloadKind>("kind");
    QTest::addColumn<QJsonObject>("payload");
    for (const ActionInfo& action : allActions()) {
        const Example example = examples().value(action.name);
        QTest::addRow("%s.req", qPrintable(action.name))
            << action.name << PayloadKind::Request << parsed(example.request);
        QTest::addRow("%s.conf", qPrintable(action.name))
            << action.name << PayloadKind::Response << parsed(example.response);
    }
}

void TestMessages::examples_validateCleanly()
{
    QFETCH(QString, action);
    QFETCH(PayloadKind, kind);
    QFETCH(QJsonObject, payload);
    const ValidationResult result = validatePayload(action, kind, payload);
    for (const Violation& violation : result.violations)
        qWarning() << violation.path << violation.description;
    QVERIFY(result.violations.isEmpty());
    QVERIFY(result.acceptable(Strictness::Strict));
    QCOMPARE(result.payload, payload);
}

void TestMessages::examples_roundTrip()
{
    QFETCH(QString, action);
    QFETCH(PayloadKind, kind);
    QFETCH(QJsonObject, payload);
    const ActionInfo* info = findAction(action);
    QVERIFY(info);
    const QJsonObject again
        = kind == PayloadKind::Request ? info->throughRequestType(payload) : info->throughResponseType(payload);
    QCOMPARE(again, payload);
}

namespace {
// A value of a JSON type that no lenient coercion turns into `type`.
QJsonValue uncoercibleValueFor(schema::JsonType type)
{
    switch (type) {
    case schema::JsonType::String:
        return QJsonObject {{QStringLiteral("nested"), true}};
    case schema::JsonType::Integer:
    case schema::JsonType::Number:
    case schema::JsonType::Boolean:
        return QStringLiteral("not-a-value");
    case schema::JsonType::Object:
    case schema::JsonType::Array:
        return 42;
    }
    return {};
}
} // namespace

// Invalid variants of every action's valid example: an extra property, each required property missing, each property
// present with an uncoercible type. Each is reported with the spec's code, at the property's path.
void TestMessages::examples_invalidVariants_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<PayloadKind>("kind");
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QString>("path");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<bool>("tolerable");
    for (const ActionInfo& action : allActions()) {
        const Example example = examples().value(action.name);
        for (const PayloadKind kind : {PayloadKind::Request, PayloadKind::Response}) {
            const char* suffix = kind == PayloadKind::Request ? "req" : "conf";
            const QJsonObject valid = parsed(kind == PayloadKind::Request ? example.request : example.response);
            const schema::ObjectRule* rules = kind == PayloadKind::Request ? action.request : action.response;
            QJsonObject extra = valid;
            extra.insert(QStringLiteral("unexpectedProperty"), 1);
            QTest::addRow("%s.%s extra property", qPrintable(action.name), suffix)
                << action.name << kind << extra << QStringLiteral("unexpectedProperty") << ErrorCode::FormationViolation
                << true;
            for (const schema::PropertyRule& property : *rules) {
                const QString name = QLatin1String(property.name);
                if (property.required) {
                    QJsonObject missing = valid;
                    missing.remove(name);
                    QTest::addRow("%s.%s without %s", qPrintable(action.name), suffix, property.name)
                        << action.name << kind << missing << name << ErrorCode::OccurenceConstraintViolation << false;
                }
                if (valid.contains(name)) {
                    QJsonObject wrongType = valid;
                    wrongType.insert(name, uncoercibleValueFor(property.value.type));
                    QTest::addRow("%s.%s %s of a wrong type", qPrintable(action.name), suffix, property.name)
                        << action.name << kind << wrongType << name << ErrorCode::TypeConstraintViolation << false;
                }
            }
        }
    }
}

void TestMessages::examples_invalidVariants()
{
    QFETCH(QString, action);
    QFETCH(PayloadKind, kind);
    QFETCH(QJsonObject, payload);
    QFETCH(QString, path);
    QFETCH(ErrorCode, code);
    QFETCH(bool, tolerable);
    const ValidationResult result = validatePayload(action, kind, payload);
    QCOMPARE(result.violations.size(), 1);
    const Violation& violation = result.violations.first();
    QCOMPARE(violation.path, path);
    QCOMPARE(violation.code, code);
    QCOMPARE(violation.tolerable, tolerable);
    QVERIFY(!result.acceptable(Strictness::Strict));
    QCOMPARE(result.acceptable(Strictness::Lenient), tolerable);
}

void TestMessages::fromJson_readsFields()
{
    const auto stop
        = v16::StopTransactionRequest::fromJson(parsed(examples().value(QStringLiteral("StopTransaction")).request));
    QCOMPARE(stop.meterStop, 5000);
    QCOMPARE(stop.timestamp, utc(2024, 3, 1, 13, 0, 0));
    QCOMPARE(stop.reason, std::optional<QString>(QStringLiteral("EVDisconnected")));
    QCOMPARE(stop.idTag, std::nullopt);
    QVERIFY(stop.transactionData.has_value());
    QCOMPARE(stop.transactionData->size(), 1);
    QCOMPARE(stop.transactionData->at(0).sampledValue.at(0).context,
        std::optional<QString>(QStringLiteral("Transaction.End")));

    const auto started = v16::StartTransactionResponse::fromJson(
        parsed(examples().value(QStringLiteral("StartTransaction")).response));
    QCOMPARE(started.transactionId, Q_INT64_C(5000000000));
    QCOMPARE(started.idTagInfo.status, QStringLiteral("Accepted"));

    const auto profile = v16::SetChargingProfileRequest::fromJson(
        parsed(examples().value(QStringLiteral("SetChargingProfile")).request));
    QCOMPARE(profile.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(1).limit, 6.5);
    QCOMPARE(profile.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(1).numberPhases,
        std::optional<qint64>(1));
    QCOMPARE(profile.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(0).numberPhases, std::nullopt);
}

void TestMessages::fromJson_readsLenientForms()
{
    const QJsonObject sent = parsed(R"({"connectorId":"1","idTag":"04E91C5A","meterStart":1000.0,)"
                                    R"("timestamp":"2024-03-01T14:00:00+02:00","reservationId":null})");
    const auto start = v16::StartTransactionRequest::fromJson(sent);
    QCOMPARE(start.connectorId, 1);
    QCOMPARE(start.meterStart, 1000);
    QCOMPARE(start.timestamp, utc(2024, 3, 1, 12, 0, 0));
    QCOMPARE(start.reservationId, std::nullopt);

    const auto transfer = v16::GetCompositeScheduleRequest::fromJson(parsed(R"({"connectorId":2,"duration":"60"})"));
    QCOMPARE(transfer.duration, 60);
}

void TestMessages::toJson_formatsDateTime_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("text");
    QTest::newRow("utc, whole second") << utc(2024, 3, 1, 12, 0, 0) << QStringLiteral("2024-03-01T12:00:00.000Z");
    QTest::newRow("utc, milliseconds") << utc(2024, 12, 31, 23, 59, 59, 7)
                                       << QStringLiteral("2024-12-31T23:59:59.007Z");
    QTest::newRow("offset +02:00 to utc") << QDateTime(QDate(2024, 3, 1), QTime(14, 0), Qt::OffsetFromUTC, 7200)
                                          << QStringLiteral("2024-03-01T12:00:00.000Z");
    QTest::newRow("offset -05:30 across midnight") << QDateTime(QDate(2024, 2, 29), QTime(20, 0), Qt::OffsetFromUTC,
        -19800) << QStringLiteral("2024-03-01T01:30:00.000Z");
}

void TestMessages::toJson_formatsDateTime()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, text);
    v16::HeartbeatResponse heartbeat;
    heartbeat.currentTime = time;
    QCOMPARE(heartbeat.toJson().value(QStringLiteral("currentTime")).toString(), text);
    QCOMPARE(v16::HeartbeatResponse::fromJson(heartbeat.toJson()).currentTime, time);
}

QTEST_GUILESS_MAIN(TestMessages)
#include "tst_messages.moc"
