#include "balancer/chargingprofile.h"
#include "ocpp/validation.h"

#include <QJsonArray>
#include <QTest>

using namespace linkray;
using namespace linkray::balancer;

// The SetChargingProfile LinkRay sends, as a strict peer (and the charger) reads it.
class TestProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void profile_data();
    void profile();
    void txProfileNamesItsConnectorAndTransaction();
};

namespace {

void verifyStrictlyValid(const QJsonObject& request)
{
    const ocpp::ValidationResult validation
        = ocpp::validatePayload(QStringLiteral("SetChargingProfile"), ocpp::PayloadKind::Request, request);
    for (const ocpp::Violation& violation : validation.violations)
        qWarning() << violation.path << violation.description;
    QVERIFY(validation.violations.isEmpty());
    QVERIFY(validation.acceptable(ocpp::Strictness::Strict));
}

} // namespace

void TestProfile::profile_data()
{
    QTest::addColumn<int>("unit");
    QTest::addColumn<double>("limit");
    QTest::addColumn<int>("numberPhases");
    QTest::addColumn<double>("failSafe");
    QTest::addColumn<QString>("rateUnit");
    QTest::addColumn<double>("sentLimit");
    QTest::addColumn<int>("sentNumberPhases"); // 0: not in the period
    QTest::addColumn<double>("sentFailSafe");

    const int amperes = static_cast<int>(RateUnit::Amperes);
    const int watts = static_cast<int>(RateUnit::Watts);
    QTest::newRow("AC three phases") << amperes << 16.0 << 3 << 8.0 << "A" << 16.0 << 0 << 8.0;
    QTest::newRow("AC 1-phase fallback") << amperes << 10.0 << 1 << 8.0 << "A" << 10.0 << 1 << 8.0;
    QTest::newRow("AC paused") << amperes << 0.0 << 3 << 6.0 << "A" << 0.0 << 0 << 6.0;
    QTest::newRow("rounded down to 0.1") << amperes << 16.37 << 3 << 5.55 << "A" << 16.3 << 0 << 5.5;
    QTest::newRow("a hair below a step is the step") << amperes << 5.9999999999 << 3 << 6.0 << "A" << 6.0 << 0 << 6.0;
    QTest::newRow("DC in W, no phases") << watts << 15180.0 << 1 << 11040.0 << "W" << 15180.0 << 0 << 11040.0;
}

void TestProfile::profile()
{
    QFETCH(int, unit);
    QFETCH(double, limit);
    QFETCH(int, numberPhases);
    QFETCH(double, failSafe);
    QFETCH(QString, rateUnit);
    QFETCH(double, sentLimit);
    QFETCH(int, sentNumberPhases);
    QFETCH(double, sentFailSafe);

    ProfileSpec spec;
    spec.start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    spec.unit = static_cast<RateUnit>(unit);
    spec.limit = limit;
    spec.numberPhases = numberPhases;
    spec.failSafeLimit = failSafe;
    spec.failSafeAfterS = 900;
    const QJsonObject json = balancingProfile(spec).toJson();

    verifyStrictlyValid(json);

    QCOMPARE(json.value(QLatin1String("connectorId")).toInt(), 0);
    const QJsonObject profile = json.value(QLatin1String("csChargingProfiles")).toObject();
    QVERIFY(!profile.contains(QLatin1String("transactionId")));
    QCOMPARE(profile.value(QLatin1String("chargingProfileId")).toInt(), 90210);
    QCOMPARE(profile.value(QLatin1String("stackLevel")).toInt(), 8);
    QCOMPARE(
        profile.value(QLatin1String("chargingProfilePurpose")).toString(), QStringLiteral("ChargePointMaxProfile"));
    QCOMPARE(profile.value(QLatin1String("chargingProfileKind")).toString(), QStringLiteral("Absolute"));
    const QJsonObject schedule = profile.value(QLatin1String("chargingSchedule")).toObject();
    QCOMPARE(QDateTime::fromString(schedule.value(QLatin1String("startSchedule")).toString(), Qt::ISODateWithMs),
        spec.start);
    QCOMPARE(schedule.value(QLatin1String("chargingRateUnit")).toString(), rateUnit);

    const QJsonArray periods = schedule.value(QLatin1String("chargingSchedulePeriod")).toArray();
    QCOMPARE(periods.size(), 2);
    const QJsonObject first = periods.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("startPeriod")).toInt(), 0);
    QCOMPARE(first.value(QLatin1String("limit")).toDouble(), sentLimit);
    QCOMPARE(first.value(QLatin1String("numberPhases")).toInt(), sentNumberPhases);
    // A charger that stops hearing from LinkRay falls back to its fail-safe share after 900 s, on all phases.
    const QJsonObject second = periods.at(1).toObject();
    QCOMPARE(second.value(QLatin1String("startPeriod")).toInt(), 900);
    QCOMPARE(second.value(QLatin1String("limit")).toDouble(), sentFailSafe);
    QVERIFY(!second.contains(QLatin1String("numberPhases")));
}

// The fallback for chargers that follow only a TxProfile: on the transaction's connector, naming the transaction.
void TestProfile::txProfileNamesItsConnectorAndTransaction()
{
    ProfileSpec spec;
    spec.start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    spec.purpose = ProfilePurpose::Tx;
    spec.connectorId = 2;
    spec.transactionId = 4711;
    spec.limit = 10.0;
    spec.failSafeLimit = 8.0;
    const QJsonObject json = balancingProfile(spec).toJson();
    verifyStrictlyValid(json);
    QCOMPARE(json.value(QLatin1String("connectorId")).toInt(), 2);
    const QJsonObject profile = json.value(QLatin1String("csChargingProfiles")).toObject();
    QCOMPARE(profile.value(QLatin1String("chargingProfilePurpose")).toString(), QStringLiteral("TxProfile"));
    QCOMPARE(profile.value(QLatin1String("transactionId")).toInt(), 4711);
    QCOMPARE(profile.value(QLatin1String("chargingProfileId")).toInt(), 90210);
}

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
