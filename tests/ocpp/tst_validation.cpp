#include "ocpp/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace linkray::ocpp;

namespace {

QJsonObject parsed(const QString& json)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8(), &error).object();
    Q_ASSERT_X(error.error == QJsonParseError::NoError, "parsed", qPrintable(json));
    return object;
}

QString describe(const QList<Violation>& violations)
{
    QStringList lines;
    for (const Violation& violation : violations)
        lines << QStringLiteral("%1 %2 %3 (%4)")
                     .arg(errorCodeName(violation.code), violation.path,
                         violation.tolerable ? QStringLiteral("tolerable") : QStringLiteral("blocking"),
                         violation.description);
    return lines.join(QLatin1String("; "));
}

const QString meterValues
    = QStringLiteral(R"({"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T12:00:00Z","sampledValue":[%1]}]})");
const QString startTransaction
    = QStringLiteral(R"({"connectorId":1,"idTag":"04E91C5A","meterStart":0,"timestamp":%1})");
const QString chargingProfile = QStringLiteral(
    R"({"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",)"
    R"("chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":%1}]}})");

QString setChargingProfile(const QString& profile)
{
    return QStringLiteral(R"({"connectorId":1,"csChargingProfiles":%1})").arg(profile);
}

} // namespace

class TestValidation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void singleViolation_data();
    void singleViolation();
    void validForms_data();
    void validForms();
    void coercions_data();
    void coercions();
    void allViolationsAreReported();
    void unknownAction();
    void knownActions();
};

void TestValidation::singleViolation_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<PayloadKind>("kind");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("tolerable");

    const auto request = PayloadKind::Request;
    const auto response = PayloadKind::Response;
    const auto add = [](const char* name, const char* action, PayloadKind kind, const QString& payload, ErrorCode code,
                         const char* path, bool tolerable) {
        QTest::newRow(name) << QString::fromLatin1(action) << kind << payload << code << QString::fromLatin1(path)
                            << tolerable;
    };
    // Never acceptable: LinkRay cannot act on these.
    add("required missing", "Authorize", request, QStringLiteral("{}"), ErrorCode::OccurenceConstraintViolation,
        "idTag", false);
    add("object for string", "Authorize", request, QStringLiteral(R"({"idTag":{"uid":"04E9"}})"),
        ErrorCode::TypeConstraintViolation, "idTag", false);
    add("boolean for integer", "BootNotification", response,
        QStringLiteral(R"({"status":"Accepted","currentTime":"2024-03-01T12:00:00Z","interval":true})"),
        ErrorCode::TypeConstraintViolation, "interval", false);
    add("text for integer", "StartTransaction", request,
        QStringLiteral(R"({"connectorId":"abc","idTag":"04E91C5A","meterStart":0,"timestamp":"2024-03-01T12:00:00Z"})"),
        ErrorCode::TypeConstraintViolation, "connectorId", false);
    add("fraction for integer", "RemoteStopTransaction", request, QStringLiteral(R"({"transactionId":1.5})"),
        ErrorCode::TypeConstraintViolation, "transactionId", false);
    add("decimal string with fraction for integer", "RemoteStopTransaction", request,
        QStringLiteral(R"({"transactionId":"1.5"})"), ErrorCode::TypeConstraintViolation, "transactionId", false);
    add("date-time unreadable", "StartTransaction", request, startTransaction.arg(QLatin1String(R"("yesterday")")),
        ErrorCode::PropertyConstraintViolation, "timestamp", false);
    add("date-time impossible day", "StartTransaction", request,
        startTransaction.arg(QLatin1String(R"("2023-02-29T12:00:00Z")")), ErrorCode::PropertyConstraintViolation,
        "timestamp", false);
    add("number for date-time", "StartTransaction", request, startTransaction.arg(QLatin1String("1709294400")),
        ErrorCode::TypeConstraintViolation, "timestamp", false);
    add("text that is not JSON for object", "SetChargingProfile", request,
        setChargingProfile(QStringLiteral(R"("profile 1")")), ErrorCode::TypeConstraintViolation, "csChargingProfiles",
        false);
    add("object for array", "MeterValues", request, QStringLiteral(R"({"connectorId":1,"meterValue":{}})"),
        ErrorCode::TypeConstraintViolation, "meterValue", false);
    add("null for required", "Authorize", request, QStringLiteral(R"({"idTag":null})"),
        ErrorCode::TypeConstraintViolation, "idTag", false);
    add("nested required missing", "MeterValues", request, meterValues.arg(QLatin1String(R"({"unit":"Wh"})")),
        ErrorCode::OccurenceConstraintViolation, "meterValue[0].sampledValue[0].value", false);
    add("empty list below minItems", "GetInstalledCertificateIds", response,
        QStringLiteral(R"({"status":"Accepted","certificateHashData":[]})"), ErrorCode::OccurenceConstraintViolation,
        "certificateHashData", false);

    // Tolerated in lenient mode: real chargers send these and LinkRay can still act on them.
    add("enum value outside the list", "StatusNotification", request,
        QStringLiteral(R"({"connectorId":1,"errorCode":"NoError","status":"Busy"})"),
        ErrorCode::PropertyConstraintViolation, "status", true);
    add("enum value outside the list in a response", "BootNotification", response,
        QStringLiteral(R"({"status":"Maybe","currentTime":"2024-03-01T12:00:00Z","interval":60})"),
        ErrorCode::PropertyConstraintViolation, "status", true);
    add("string over maxLength", "Authorize", request, QStringLiteral(R"({"idTag":"0123456789ABCDEF01234"})"),
        ErrorCode::PropertyConstraintViolation, "idTag", true);
    add("extra property", "Heartbeat", request, QStringLiteral(R"({"vendorField":1})"), ErrorCode::FormationViolation,
        "vendorField", true);
    add("nested extra property", "MeterValues", request,
        meterValues.arg(QLatin1String(R"({"value":"1"},{"value":"2","signature":"x"})")), ErrorCode::FormationViolation,
        "meterValue[0].sampledValue[1].signature", true);
    add("nested enum value outside the list", "MeterValues", request,
        meterValues.arg(QLatin1String(R"({"value":"1"},{"value":"2"},{"value":"3","context":"Sample.Bogus"})")),
        ErrorCode::PropertyConstraintViolation, "meterValue[0].sampledValue[2].context", true);
    add("date-time without zone", "StartTransaction", request,
        startTransaction.arg(QLatin1String(R"("2024-03-01T12:00:00")")), ErrorCode::PropertyConstraintViolation,
        "timestamp", true);
    add("date-time lowercase t and z", "StartTransaction", request,
        startTransaction.arg(QLatin1String(R"("2024-03-01t12:00:00z")")), ErrorCode::PropertyConstraintViolation,
        "timestamp", true);
    add("date-time with a space and +0000", "StartTransaction", request,
        startTransaction.arg(QLatin1String(R"("2024-03-01 12:00:00+0000")")), ErrorCode::PropertyConstraintViolation,
        "timestamp", true);
    add("decimal string for integer", "RemoteStopTransaction", request, QStringLiteral(R"({"transactionId":"42"})"),
        ErrorCode::TypeConstraintViolation, "transactionId", true);
    add("decimal string for number", "SetChargingProfile", request,
        setChargingProfile(chargingProfile.arg(QLatin1String(R"("16.5")"))), ErrorCode::TypeConstraintViolation,
        "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit", true);
    add("number for string", "MeterValues", request, meterValues.arg(QLatin1String(R"({"value":12.5})")),
        ErrorCode::TypeConstraintViolation, "meterValue[0].sampledValue[0].value", true);
    add("object sent as a JSON string", "SetChargingProfile", request,
        setChargingProfile(
            QString::fromUtf8(QJsonDocument::fromJson(chargingProfile.arg(16).toUtf8()).toJson(QJsonDocument::Compact))
                .replace(QLatin1Char('"'), QLatin1String("\\\""))
                .prepend(QLatin1Char('"'))
                .append(QLatin1Char('"'))),
        ErrorCode::TypeConstraintViolation, "csChargingProfiles", true);
    add("null for optional", "StartTransaction", request,
        QStringLiteral(
            R"({"connectorId":1,"idTag":"04E91C5A","meterStart":0,"timestamp":"2024-03-01T12:00:00Z","reservationId":null})"),
        ErrorCode::TypeConstraintViolation, "reservationId", true);
    add("limit not a multiple of 0.1", "SetChargingProfile", request,
        setChargingProfile(chargingProfile.arg(QLatin1String("16.55"))), ErrorCode::PropertyConstraintViolation,
        "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit", true);
    add("location not a URI", "GetDiagnostics", request, QStringLiteral(R"({"location":"logs please"})"),
        ErrorCode::PropertyConstraintViolation, "location", true);
}

void TestValidation::singleViolation()
{
    QFETCH(QString, action);
    QFETCH(PayloadKind, kind);
    QFETCH(QString, payload);
    QFETCH(ErrorCode, code);
    QFETCH(QString, path);
    QFETCH(bool, tolerable);

    const ValidationResult result = validatePayload(action, kind, parsed(payload));
    QVERIFY2(result.violations.size() == 1, qPrintable(describe(result.violations)));
    const Violation& violation = result.violations.first();
    QCOMPARE(errorCodeName(violation.code), errorCodeName(code));
    QCOMPARE(violation.path, path);
    QCOMPARE(violation.tolerable, tolerable);
    QVERIFY(!violation.description.isEmpty());
    QCOMPARE(result.acceptable(Strictness::Lenient), tolerable);
    QVERIFY(!result.acceptable(Strictness::Strict));
    QCOMPARE(result.blocking(Strictness::Strict), &violation);
    QCOMPARE(result.blocking(Strictness::Lenient), tolerable ? nullptr : &violation);
}

void TestValidation::validForms_data()
{
    QTest::addColumn<QString>("timestamp");
    QTest::newRow("Z without fraction") << QStringLiteral(R"("2024-03-01T12:00:00Z")");
    QTest::newRow("Z with milliseconds") << QStringLiteral(R"("2024-03-01T12:00:00.123Z")");
    QTest::newRow("Z with microseconds") << QStringLiteral(R"("2024-03-01T12:00:00.123456Z")");
    QTest::newRow("offset +00:00") << QStringLiteral(R"("2024-03-01T12:00:00+00:00")");
    QTest::newRow("offset -05:30") << QStringLiteral(R"("2024-03-01T06:30:00.5-05:30")");
    QTest::newRow("leap day") << QStringLiteral(R"("2024-02-29T00:00:00Z")");
}

void TestValidation::validForms()
{
    QFETCH(QString, timestamp);
    const QJsonObject payload = parsed(startTransaction.arg(timestamp));
    const ValidationResult result = validatePayload(QStringLiteral("StartTransaction"), PayloadKind::Request, payload);
    QVERIFY2(result.violations.isEmpty(), qPrintable(describe(result.violations)));
    QVERIFY(result.acceptable(Strictness::Strict));
    QCOMPARE(result.payload, payload);
}

void TestValidation::coercions_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("coerced");
    QTest::addColumn<int>("violations");

    QTest::newRow("integral float is an integer (JSON Schema draft-07)")
        << QStringLiteral("RemoteStopTransaction") << QStringLiteral(R"({"transactionId":42.0})")
        << QStringLiteral(R"({"transactionId":42})") << 0;
    QTest::newRow("integer beyond 32 bits")
        << QStringLiteral("RemoteStopTransaction") << QStringLiteral(R"({"transactionId":5000000000})")
        << QStringLiteral(R"({"transactionId":5000000000})") << 0;
    QTest::newRow("maxLength counts characters, not UTF-16 units")
        << QStringLiteral("Authorize")
        << QStringLiteral("{\"idTag\":\"%1\"}").arg(QString::fromUtf8("\xF0\x9F\x94\x8C").repeated(20))
        << QStringLiteral("{\"idTag\":\"%1\"}").arg(QString::fromUtf8("\xF0\x9F\x94\x8C").repeated(20)) << 0;
    QTest::newRow("decimal string to integer")
        << QStringLiteral("RemoteStopTransaction") << QStringLiteral(R"({"transactionId":"42"})")
        << QStringLiteral(R"({"transactionId":42})") << 1;
    QTest::newRow("decimal string to number")
        << QStringLiteral("SetChargingProfile") << setChargingProfile(chargingProfile.arg(QLatin1String(R"("12.5")")))
        << setChargingProfile(chargingProfile.arg(QLatin1String("12.5"))) << 1;
    QTest::newRow("JSON string to object")
        << QStringLiteral("DeleteCertificate")
        << QStringLiteral(
               R"({"certificateHashData":"{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"1\"}"})")
        << QStringLiteral(
               R"({"certificateHashData":{"hashAlgorithm":"SHA256","issuerNameHash":"a","issuerKeyHash":"b","serialNumber":"1"}})")
        << 1;
    QTest::newRow("faults inside a JSON string are found")
        << QStringLiteral("DeleteCertificate")
        << QStringLiteral(
               R"({"certificateHashData":"{\"hashAlgorithm\":\"MD5\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"1\"}"})")
        << QStringLiteral(
               R"({"certificateHashData":{"hashAlgorithm":"MD5","issuerNameHash":"a","issuerKeyHash":"b","serialNumber":"1"}})")
        << 2;
    QTest::newRow("date-time without zone taken as UTC")
        << QStringLiteral("StartTransaction") << startTransaction.arg(QLatin1String(R"("2024-03-01T12:00:00")"))
        << startTransaction.arg(QLatin1String(R"("2024-03-01T12:00:00.000Z")")) << 1;
    QTest::newRow("date-time with +0200 to UTC")
        << QStringLiteral("StartTransaction") << startTransaction.arg(QLatin1String(R"("2024-03-01 14:00:00.25+0200")"))
        << startTransaction.arg(QLatin1String(R"("2024-03-01T12:00:00.250Z")")) << 1;
    QTest::newRow("number to string") << QStringLiteral("MeterValues")
                                      << meterValues.arg(QLatin1String(R"({"value":12.5},{"value":7})"))
                                      << meterValues.arg(QLatin1String(R"({"value":"12.5"},{"value":"7"})")) << 2;
    QTest::newRow("null optional dropped")
        << QStringLiteral("StartTransaction")
        << QStringLiteral(
               R"({"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2024-03-01T12:00:00Z","reservationId":null})")
        << QStringLiteral(R"({"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2024-03-01T12:00:00Z"})") << 1;
    QTest::newRow("extra, long and unlisted values kept as sent")
        << QStringLiteral("StatusNotification")
        << QStringLiteral(R"({"connectorId":1,"errorCode":"NoError","status":"Busy","info":"%1","x":1})")
               .arg(QString(60, QLatin1Char('i')))
        << QStringLiteral(R"({"connectorId":1,"errorCode":"NoError","status":"Busy","info":"%1","x":1})")
               .arg(QString(60, QLatin1Char('i')))
        << 3;
}

void TestValidation::coercions()
{
    QFETCH(QString, action);
    QFETCH(QString, payload);
    QFETCH(QString, coerced);
    QFETCH(int, violations);
    const ValidationResult result = validatePayload(action, PayloadKind::Request, parsed(payload));
    QVERIFY2(result.violations.size() == violations, qPrintable(describe(result.violations)));
    QCOMPARE(result.payload, parsed(coerced));
    QVERIFY(result.acceptable(Strictness::Lenient));
    QCOMPARE(result.acceptable(Strictness::Strict), violations == 0);
}

void TestValidation::allViolationsAreReported()
{
    const QJsonObject payload = parsed(QStringLiteral(
        R"({"chargePointVendor":"An exceedingly long vendor name","firmwareVersion":7,"colour":"red"})"));
    const ValidationResult result = validatePayload(QStringLiteral("BootNotification"), PayloadKind::Request, payload);
    QVERIFY2(result.violations.size() == 4, qPrintable(describe(result.violations)));
    QStringList found;
    for (const Violation& violation : result.violations)
        found << violation.path + QLatin1Char(' ') + errorCodeName(violation.code);
    found.sort();
    QCOMPARE(found,
        QStringList({QStringLiteral("chargePointModel OccurenceConstraintViolation"),
            QStringLiteral("chargePointVendor PropertyConstraintViolation"),
            QStringLiteral("colour FormationViolation"), QStringLiteral("firmwareVersion TypeConstraintViolation")}));
    const Violation* blocking = result.blocking(Strictness::Lenient);
    QVERIFY(blocking != nullptr);
    QCOMPARE(blocking->path, QStringLiteral("chargePointModel"));
    QCOMPARE(result.blocking(Strictness::Strict), &result.violations.first());
}

void TestValidation::unknownAction()
{
    const QJsonObject payload = parsed(QStringLiteral(R"({"a":1})"));
    const ValidationResult result = validatePayload(QStringLiteral("Teleport"), PayloadKind::Request, payload);
    QCOMPARE(result.violations.size(), 1);
    QCOMPARE(errorCodeName(result.violations.first().code), QStringLiteral("NotImplemented"));
    QVERIFY(!result.violations.first().tolerable);
    QVERIFY(!result.acceptable(Strictness::Lenient));
    QCOMPARE(result.payload, payload);
    QVERIFY(!isKnownAction(QStringLiteral("Teleport")));
}

void TestValidation::knownActions()
{
    for (const char* action : {"BootNotification", "DataTransfer", "SignCertificate", "ExtendedTriggerMessage"})
        QVERIFY2(isKnownAction(QLatin1String(action)), action);
    QVERIFY(!isKnownAction(QStringLiteral("bootnotification")));
    QVERIFY(!isKnownAction(QString()));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
