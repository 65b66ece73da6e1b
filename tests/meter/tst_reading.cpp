#include "meter/reading.h"

#include <QTest>

#include <limits>

using namespace linkray::meter;

class TestReading : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validates_data();
    void validates();
};

void TestReading::validates_data()
{
    QTest::addColumn<MeterReading>("reading");
    QTest::addColumn<QString>("reason"); // empty: trusted

    MeterReading good;
    good.voltageV = {230.0, 231.0, 0.0}; // a lost phase reads 0 V: real, not nonsense
    good.currentA = {16.0, -3.0, 0.0};
    good.powerW = {3680.0, -690.0, 0.0};
    good.totalPowerW = 2990.0;
    good.importedWh = 1.0e9;
    good.exportedWh = 0.0;
    QTest::newRow("plausible, with export and a dead phase") << good << QString();
    QTest::newRow("absent values are fine") << MeterReading() << QString();

    auto with = [&good](auto change) {
        MeterReading r = good;
        change(r);
        return r;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("NaN current") << with([&](MeterReading& r) { r.currentA[1] = nan; })
                                 << QStringLiteral("current L2 is NaN");
    QTest::newRow("infinite power") << with([&](MeterReading& r) { r.totalPowerW = -inf; })
                                    << QStringLiteral("total power is infinite");
    QTest::newRow("negative voltage") << with([](MeterReading& r) { r.voltageV[2] = -230.0; })
                                      << QStringLiteral("voltage L3 = -230 is outside the plausible range 0..300");
    QTest::newRow("word-order mix-up voltage")
        << with([](MeterReading& r) { r.voltageV[0] = 1.5e7; })
        << QStringLiteral("voltage L1 = 1.5e+07 is outside the plausible range 0..300");
    QTest::newRow("current beyond the limit")
        << with([](MeterReading& r) { r.currentA[0] = 7000.0; })
        << QStringLiteral("current L1 = 7000 is outside the plausible range -6000..6000");
    QTest::newRow("phase power beyond the limit")
        << with([](MeterReading& r) { r.powerW[2] = -5.0e6; })
        << QStringLiteral("power L3 = -5e+06 is outside the plausible range -4e+06..4e+06");
    QTest::newRow("negative energy counter")
        << with([](MeterReading& r) { r.exportedWh = -1.0; }) << QStringLiteral("exported energy = -1 is negative");
    QTest::newRow("first reason wins") << with([&](MeterReading& r) {
        r.voltageV[0] = nan;
        r.currentA[2] = inf;
    }) << QStringLiteral("voltage L1 is NaN");
}

void TestReading::validates()
{
    QFETCH(MeterReading, reading);
    QFETCH(QString, reason);
    validateReading(reading);
    QCOMPARE(reading.trusted, reason.isEmpty());
    QCOMPARE(reading.untrustedReason, reason);
}

QTEST_GUILESS_MAIN(TestReading)
#include "tst_reading.moc"
