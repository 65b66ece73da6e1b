#include "balancer/csmsprofiles.h"

#include <QTest>

using namespace linkray;
using namespace linkray::balancer;
namespace v16 = ocpp::v16;

namespace {

const QDateTime kNoon(QDate(2026, 5, 4), QTime(12, 0), Qt::UTC); // a Monday

QDateTime at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 5, day), QTime(hour, minute), Qt::UTC);
}

v16::ChargingSchedulePeriod period(qint64 startPeriod, double limit, std::optional<qint64> numberPhases = {})
{
    v16::ChargingSchedulePeriod result;
    result.startPeriod = startPeriod;
    result.limit = limit;
    result.numberPhases = numberPhases;
    return result;
}

// An Absolute TxDefaultProfile in A starting at `start`.
v16::ChargingProfile profile(qint64 id, const QDateTime& start, QList<v16::ChargingSchedulePeriod> periods)
{
    v16::ChargingProfile result;
    result.chargingProfileId = id;
    result.stackLevel = 0;
    result.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    result.chargingProfileKind = QStringLiteral("Absolute");
    result.chargingSchedule.startSchedule = start;
    result.chargingSchedule.chargingRateUnit = QStringLiteral("A");
    result.chargingSchedule.chargingSchedulePeriod = std::move(periods);
    return result;
}

v16::SetChargingProfileRequest request(int connectorId, v16::ChargingProfile profile)
{
    v16::SetChargingProfileRequest result;
    result.connectorId = connectorId;
    result.csChargingProfiles = std::move(profile);
    return result;
}

v16::ChargingProfile withPurpose(v16::ChargingProfile profile, const char* purpose, qint64 stackLevel)
{
    profile.chargingProfilePurpose = QLatin1String(purpose);
    profile.stackLevel = stackLevel;
    return profile;
}

const RateConversion kAmperes {};

std::optional<double> limitAt(const v16::ChargingProfile& p, const QDateTime& now, RateConversion c = kAmperes)
{
    return profileLimitAt(p, kNoon, now, c);
}

} // namespace

// How LinkRay reads the CSMS's charging profiles as caps (docs/balancing.md, "The CSMS's profiles").
class TestCsmsProfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void periodsSwitchWithTime();
    void durationEndsTheSchedule();
    void validFromAndValidTo();
    void recurringDaily();
    void recurringWeekly();
    void relativeCountsAtItsLowestPeriod();
    void unitConversion_data();
    void unitConversion();
    void highestStackLevelInForceWins();
    void txProfileOverrulesTxDefaultUntilTheTransactionEnds();
    void txProfileEndsWithItsTransactionsStop();
    void txProfileEndsWhenANewTransactionStarts();
    void remoteStartProfileAppliesToTheTransactionItStarts();
    void remoteStartProfileWithoutConnectorGoesWhereTheTransactionStarts();
    void remoteStartProfileWithoutTransactionGoesWithItsConnector();
    void connectorZeroTxDefaultAppliesToEveryConnector();
    void chargePointMaxIsAChargePointCap();
    void sameIdOrSameSlotReplaces();
    void clear_data();
    void clear();
};

void TestCsmsProfiles::periodsSwitchWithTime()
{
    const auto p = profile(1, kNoon, {period(0, 16), period(3600, 10)});
    QCOMPARE(limitAt(p, kNoon.addSecs(-1)), std::nullopt); // not started
    QCOMPARE(limitAt(p, kNoon), 16.0);
    QCOMPARE(limitAt(p, kNoon.addSecs(3599)), 16.0);
    QCOMPARE(limitAt(p, kNoon.addSecs(3600)), 10.0);
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(-60)), kNoon);
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(60)), kNoon.addSecs(3600));
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(3600)), std::nullopt);
}

void TestCsmsProfiles::durationEndsTheSchedule()
{
    auto p = profile(1, kNoon, {period(0, 16)});
    p.chargingSchedule.duration = 1800;
    QCOMPARE(limitAt(p, kNoon.addSecs(1799)), 16.0);
    QCOMPARE(limitAt(p, kNoon.addSecs(1800)), std::nullopt);
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(10)), kNoon.addSecs(1800));
}

void TestCsmsProfiles::validFromAndValidTo()
{
    auto p = profile(1, kNoon.addDays(-10), {period(0, 8)});
    p.validFrom = kNoon;
    p.validTo = kNoon.addSecs(7200);
    QCOMPARE(limitAt(p, kNoon.addSecs(-1)), std::nullopt);
    QCOMPARE(limitAt(p, kNoon), 8.0);
    QCOMPARE(limitAt(p, kNoon.addSecs(7199)), 8.0);
    QCOMPARE(limitAt(p, kNoon.addSecs(7200)), std::nullopt); // expired
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(-5)), kNoon);
    QCOMPARE(nextProfileChange(p, kNoon, kNoon.addSecs(5)), kNoon.addSecs(7200));
}

void TestCsmsProfiles::recurringDaily()
{
    // Every evening from 18:00 to 22:00, 10 A; the schedule was set days ago.
    auto p = profile(1, at(1, 18), {period(0, 10)});
    p.chargingProfileKind = QStringLiteral("Recurring");
    p.recurrencyKind = QStringLiteral("Daily");
    p.chargingSchedule.duration = 4 * 3600;
    QCOMPARE(limitAt(p, at(4, 17, 59)), std::nullopt);
    QCOMPARE(limitAt(p, at(4, 18)), 10.0);
    QCOMPARE(limitAt(p, at(4, 21, 59)), 10.0);
    QCOMPARE(limitAt(p, at(4, 22)), std::nullopt);
    QCOMPARE(nextProfileChange(p, kNoon, at(4, 19)), at(4, 22));
    QCOMPARE(nextProfileChange(p, kNoon, at(4, 23)), at(5, 18));
}

void TestCsmsProfiles::recurringWeekly()
{
    // Mondays from 00:00: 6 A for the first day, 20 A the rest of the week.
    auto p = profile(1, at(4, 0), {period(0, 6), period(24 * 3600, 20)});
    p.chargingProfileKind = QStringLiteral("Recurring");
    p.recurrencyKind = QStringLiteral("Weekly");
    QCOMPARE(limitAt(p, at(11, 9)), 6.0); // the next Monday
    QCOMPARE(limitAt(p, at(12, 9)), 20.0);
    QCOMPARE(limitAt(p, at(3, 9)), 20.0); // the Sunday before its start: last week's recurrence
    QCOMPARE(nextProfileChange(p, kNoon, at(12, 9)), at(18, 0));
}

void TestCsmsProfiles::relativeCountsAtItsLowestPeriod()
{
    auto p = profile(1, kNoon, {period(0, 32), period(600, 12), period(1200, 20)});
    p.chargingProfileKind = QStringLiteral("Relative");
    p.chargingSchedule.startSchedule.reset();
    QCOMPARE(limitAt(p, kNoon), 12.0);
    QCOMPARE(nextProfileChange(p, kNoon, kNoon), std::nullopt);
}

void TestCsmsProfiles::unitConversion_data()
{
    QTest::addColumn<QString>("rateUnit");
    QTest::addColumn<double>("limit");
    QTest::addColumn<int>("numberPhases"); // 0: not given (3)
    QTest::addColumn<bool>("inWatts");
    QTest::addColumn<int>("maxPhases");
    QTest::addColumn<double>("expected");
    QTest::newRow("W to A on three phases") << "W" << 6900.0 << 0 << false << 3 << 10.0;
    QTest::newRow("W to A on one phase") << "W" << 6900.0 << 1 << false << 3 << 30.0;
    QTest::newRow("W to A on a 1-phase charger") << "W" << 6900.0 << 0 << false << 1 << 30.0;
    QTest::newRow("A to W (DC charger)") << "A" << 10.0 << 0 << true << 3 << 6900.0;
    QTest::newRow("A stays A") << "A" << 13.0 << 1 << false << 3 << 13.0;
    QTest::newRow("W stays W") << "W" << 11000.0 << 0 << true << 3 << 11000.0;
}

void TestCsmsProfiles::unitConversion()
{
    QFETCH(QString, rateUnit);
    QFETCH(double, limit);
    QFETCH(int, numberPhases);
    QFETCH(bool, inWatts);
    QFETCH(int, maxPhases);
    QFETCH(double, expected);
    auto p = profile(1, kNoon, {period(0, limit, numberPhases ? std::optional<qint64>(numberPhases) : std::nullopt)});
    p.chargingSchedule.chargingRateUnit = rateUnit;
    RateConversion conversion;
    conversion.unit = inWatts ? RateUnit::Watts : RateUnit::Amperes;
    conversion.voltageV = 230.0;
    conversion.maxPhases = maxPhases;
    const std::optional<double> converted = limitAt(p, kNoon, conversion);
    QVERIFY(converted);
    QVERIFY2(qAbs(*converted - expected) < 1e-9, qPrintable(QString::number(*converted)));
}

void TestCsmsProfiles::highestStackLevelInForceWins()
{
    CsmsProfiles profiles;
    profiles.set(request(1, profile(1, kNoon, {period(0, 10)})), kNoon);
    auto higher = withPurpose(profile(2, kNoon, {period(0, 16)}), "TxDefaultProfile", 3);
    higher.chargingSchedule.duration = 600;
    profiles.set(request(1, higher), kNoon);
    // The higher stack level wins, even with the higher limit; when it ends, the lower one is in force again.
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 16.0);
    QCOMPARE(profiles.capsAt(kNoon.addSecs(600), kAmperes, {1}).connectors.value(1), 10.0);
    QCOMPARE(profiles.nextChange(kNoon.addSecs(1)), kNoon.addSecs(600));
}

void TestCsmsProfiles::txProfileOverrulesTxDefaultUntilTheTransactionEnds()
{
    CsmsProfiles profiles;
    profiles.set(request(1, profile(1, kNoon, {period(0, 10)})), kNoon);
    profiles.set(request(1, withPurpose(profile(2, kNoon, {period(0, 14)}), "TxProfile", 0)), kNoon);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 14.0);
    profiles.transactionEnded(2); // another connector's transaction
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 14.0);
    profiles.transactionEnded(1);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 10.0);
}

namespace {

// Connector 0's TxDefaultProfile, a TxProfile for transaction 7 on connector 1, one naming no transaction on 2.
CsmsProfiles txProfilesOnTwoConnectors()
{
    CsmsProfiles profiles;
    profiles.set(request(0, profile(1, kNoon, {period(0, 16)})), kNoon);
    v16::ChargingProfile ofSeven = withPurpose(profile(2, kNoon, {period(0, 10)}), "TxProfile", 0);
    ofSeven.transactionId = 7;
    profiles.set(request(1, ofSeven), kNoon);
    profiles.set(request(2, withPurpose(profile(3, kNoon, {period(0, 12)}), "TxProfile", 0)), kNoon);
    return profiles;
}

} // namespace

void TestCsmsProfiles::txProfileEndsWithItsTransactionsStop()
{
    CsmsProfiles profiles = txProfilesOnTwoConnectors();
    profiles.transactionStopped(8); // another transaction
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{1, 10.0}, {2, 12.0}}));
    profiles.transactionStopped(7);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{1, 16.0}, {2, 12.0}}));
}

void TestCsmsProfiles::txProfileEndsWhenANewTransactionStarts()
{
    CsmsProfiles profiles = txProfilesOnTwoConnectors();
    profiles.transactionStarted(1, 7); // the id of a running transaction, learnt late: its profile stays
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{1, 10.0}, {2, 12.0}}));
    profiles.transactionStarted(1, 9);
    profiles.transactionStarted(2, std::nullopt); // its id not known yet: whatever was there was the last one's
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{1, 16.0}, {2, 16.0}}));
}

namespace {

// A RemoteStartTransaction's TxProfile of `limitA`: no transaction id, as OCPP wants it.
v16::ChargingProfile remoteStartProfile(double limitA)
{
    return withPurpose(profile(5, kNoon, {period(0, limitA)}), "TxProfile", 0);
}

} // namespace

void TestCsmsProfiles::remoteStartProfileAppliesToTheTransactionItStarts()
{
    CsmsProfiles profiles;
    profiles.set(request(0, profile(1, kNoon, {period(0, 16)})), kNoon);
    profiles.remoteStartAccepted(1, remoteStartProfile(8), kNoon);
    // Nothing before the transaction starts.
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 16.0);
    // Online: the start first, its id with the CSMS's answer; the profile holds through both.
    profiles.transactionStarted(1, std::nullopt);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 8.0);
    profiles.transactionStarted(1, 21);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 8.0);
    profiles.transactionStopped(20); // another transaction
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 8.0);
    // It ends with its transaction, like any TxProfile, and the next transaction is not capped by it.
    profiles.transactionStopped(21);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 16.0);
    profiles.transactionStarted(1, 22);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 16.0);
}

void TestCsmsProfiles::remoteStartProfileWithoutConnectorGoesWhereTheTransactionStarts()
{
    CsmsProfiles profiles;
    profiles.remoteStartAccepted(std::nullopt, remoteStartProfile(8), kNoon);
    profiles.transactionStarted(2, 30);
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{2, 8.0}}));
    profiles.transactionStarted(1, 31); // used up by the first start
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1, 2}).connectors, (QHash<int, double> {{2, 8.0}}));
}

void TestCsmsProfiles::remoteStartProfileWithoutTransactionGoesWithItsConnector()
{
    CsmsProfiles profiles;
    profiles.remoteStartAccepted(1, remoteStartProfile(8), kNoon);
    profiles.transactionEnded(1); // Available again: the car never came
    profiles.transactionStarted(1, 40);
    QVERIFY(profiles.capsAt(kNoon, kAmperes, {1}).isEmpty());
}

void TestCsmsProfiles::connectorZeroTxDefaultAppliesToEveryConnector()
{
    CsmsProfiles profiles;
    profiles.set(request(0, profile(1, kNoon, {period(0, 12)})), kNoon);
    profiles.set(request(2, profile(2, kNoon, {period(0, 20)})), kNoon);
    const ChargePointCaps caps = profiles.capsAt(kNoon, kAmperes, {1, 2});
    QCOMPARE(caps.connectors.value(1), 12.0);
    QCOMPARE(caps.connectors.value(2), 20.0); // its own, at the same stack level, beats connector 0's
    QCOMPARE(caps.chargePoint, std::nullopt);
}

void TestCsmsProfiles::chargePointMaxIsAChargePointCap()
{
    CsmsProfiles profiles;
    profiles.set(request(0, withPurpose(profile(7, kNoon, {period(0, 25)}), "ChargePointMaxProfile", 2)), kNoon);
    const ChargePointCaps caps = profiles.capsAt(kNoon, kAmperes, {1});
    QCOMPARE(caps.chargePoint, 25.0);
    QVERIFY(caps.connectors.isEmpty());
}

void TestCsmsProfiles::sameIdOrSameSlotReplaces()
{
    CsmsProfiles profiles;
    profiles.set(request(1, profile(1, kNoon, {period(0, 10)})), kNoon);
    profiles.set(request(1, profile(1, kNoon, {period(0, 11)})), kNoon); // same id
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 11.0);
    profiles.set(request(1, profile(2, kNoon, {period(0, 13)})), kNoon); // same purpose, level and connector
    QCOMPARE(profiles.capsAt(kNoon, kAmperes, {1}).connectors.value(1), 13.0);
    profiles.clear({});
    QVERIFY(profiles.capsAt(kNoon, kAmperes, {1}).isEmpty()); // the one with id 1 was gone already
}

void TestCsmsProfiles::clear_data()
{
    QTest::addColumn<std::optional<qint64>>("id");
    QTest::addColumn<std::optional<qint64>>("connectorId");
    QTest::addColumn<QString>("purpose"); // empty: not given
    QTest::addColumn<std::optional<qint64>>("stackLevel");
    QTest::addColumn<bool>("txDefaultLeft");
    QTest::addColumn<bool>("chargePointMaxLeft");
    const std::optional<qint64> none;
    QTest::newRow("everything") << none << none << QString() << none << false << false;
    QTest::newRow("by id") << std::optional<qint64>(2) << none << QString() << none << true << false;
    QTest::newRow("by id, other fields ignored")
        << std::optional<qint64>(2) << std::optional<qint64>(1) << QString() << none << true << false;
    QTest::newRow("by purpose") << none << none << "TxDefaultProfile" << none << false << true;
    QTest::newRow("by stack level") << none << none << QString() << std::optional<qint64>(5) << true << false;
    QTest::newRow("by connector") << none << std::optional<qint64>(1) << QString() << none << false << true;
    QTest::newRow("nothing matches") << none << none << "TxProfile" << none << true << true;
}

void TestCsmsProfiles::clear()
{
    QFETCH(std::optional<qint64>, id);
    QFETCH(std::optional<qint64>, connectorId);
    QFETCH(QString, purpose);
    QFETCH(std::optional<qint64>, stackLevel);
    QFETCH(bool, txDefaultLeft);
    QFETCH(bool, chargePointMaxLeft);
    CsmsProfiles profiles;
    profiles.set(request(1, profile(1, kNoon, {period(0, 10)})), kNoon);
    profiles.set(request(0, withPurpose(profile(2, kNoon, {period(0, 25)}), "ChargePointMaxProfile", 5)), kNoon);
    v16::ClearChargingProfileRequest clear;
    clear.id = id;
    clear.connectorId = connectorId;
    if (!purpose.isEmpty())
        clear.chargingProfilePurpose = purpose;
    clear.stackLevel = stackLevel;
    profiles.clear(clear);
    const ChargePointCaps caps = profiles.capsAt(kNoon, kAmperes, {1});
    QCOMPARE(caps.connectors.contains(1), txDefaultLeft);
    QCOMPARE(caps.chargePoint.has_value(), chargePointMaxLeft);
}

QTEST_GUILESS_MAIN(TestCsmsProfiles)
#include "tst_csmsprofiles.moc"
