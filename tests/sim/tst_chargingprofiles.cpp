#include "sim/chargingprofiles.h"

#include <QTest>

namespace v16 = linkray::ocpp::v16;
namespace sim = linkray::sim;

namespace {

const QDateTime Midnight(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

// A profile on connector 1 with periods given as (start second, limit) pairs.
v16::ChargingProfile profile(
    const QString& kind, const QList<std::pair<qint64, double>>& periods, const QString& unit = QStringLiteral("A"))
{
    v16::ChargingProfile profile;
    profile.chargingProfileId = 1;
    profile.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    profile.chargingProfileKind = kind;
    profile.chargingSchedule.chargingRateUnit = unit;
    for (const auto& [start, limit] : periods)
        profile.chargingSchedule.chargingSchedulePeriod.append(
            v16::ChargingSchedulePeriod {start, limit, std::nullopt});
    return profile;
}

} // namespace

// When a schedule applies and what limit it sets, for each kind of profile.
class TestChargingProfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void limitAt_data();
    void limitAt();
};

void TestChargingProfiles::limitAt_data()
{
    QTest::addColumn<v16::ChargingProfile>("chargingProfile");
    QTest::addColumn<int>("phases");
    QTest::addColumn<QDateTime>("at");
    QTest::addColumn<double>("expected"); // -1: no limit

    auto absolute = profile(QStringLiteral("Absolute"), {{0, 16}, {3600, 8}});
    absolute.chargingSchedule.startSchedule = Midnight.addSecs(600);
    QTest::newRow("absolute before start") << absolute << 3 << Midnight << -1.0;
    QTest::newRow("absolute first period") << absolute << 3 << Midnight.addSecs(600) << 16.0;
    QTest::newRow("absolute second period") << absolute << 3 << Midnight.addSecs(4200) << 8.0;

    auto withDuration = absolute;
    withDuration.chargingSchedule.duration = 1800;
    QTest::newRow("absolute after its duration") << withDuration << 3 << Midnight.addSecs(2400) << -1.0;

    auto recurring = profile(QStringLiteral("Recurring"), {{0, 32}, {18 * 3600, 10}, {22 * 3600, 32}});
    recurring.recurrencyKind = QStringLiteral("Daily");
    recurring.chargingSchedule.startSchedule = Midnight;
    QTest::newRow("daily evening peak, days later") << recurring << 3 << Midnight.addDays(5).addSecs(19 * 3600) << 10.0;
    QTest::newRow("daily night") << recurring << 3 << Midnight.addDays(5).addSecs(23 * 3600) << 32.0;

    auto windowed = profile(QStringLiteral("Relative"), {{0, 12}});
    windowed.validFrom = Midnight.addSecs(3600);
    windowed.validTo = Midnight.addSecs(7200);
    QTest::newRow("before validFrom") << windowed << 3 << Midnight.addSecs(1800) << -1.0;
    QTest::newRow("inside validity") << windowed << 3 << Midnight.addSecs(5400) << 12.0;
    QTest::newRow("at validTo") << windowed << 3 << Midnight.addSecs(7200) << -1.0;

    const auto relative = profile(QStringLiteral("Relative"), {{0, 20}, {900, 6}});
    QTest::newRow("relative to the transaction start") << relative << 3 << Midnight.addSecs(900) << 6.0;

    const auto watts = profile(QStringLiteral("Relative"), {{0, 3680}}, QStringLiteral("W"));
    QTest::newRow("watts on one phase") << watts << 1 << Midnight << 16.0;
    QTest::newRow("watts on three phases") << watts << 3 << Midnight << 3680.0 / 690;
}

void TestChargingProfiles::limitAt()
{
    QFETCH(v16::ChargingProfile, chargingProfile);
    QFETCH(int, phases);
    QFETCH(QDateTime, at);
    QFETCH(double, expected);
    sim::ChargingProfiles profiles(sim::ElectricalRating {phases, 230});
    profiles.install(1, chargingProfile);
    const auto limit = profiles.limitAmps(1, at, sim::TransactionRef {42, Midnight});
    QCOMPARE(limit.value_or(-1), expected);
}

QTEST_GUILESS_MAIN(TestChargingProfiles)
#include "tst_chargingprofiles.moc"
