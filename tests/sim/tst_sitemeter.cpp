#include "bench.h"
#include "meter/modbusmeter.h"
#include "sim/meterserver.h"
#include "sim/siteload.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace linkray;
namespace sim = linkray::sim;

Q_DECLARE_METATYPE(linkray::sim::ChargerType)
Q_DECLARE_METATYPE(linkray::sim::PhaseCurrents)

namespace {

constexpr double Volts = 230;

// QModbusTcpServer cannot listen on port 0: borrow a free port from a QTcpServer that lets it go again.
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

sim::PhaseCurrents currentsOf(const meter::MeterReading& reading)
{
    return {reading.currentA[0].value_or(-1), reading.currentA[1].value_or(-1), reading.currentA[2].value_or(-1)};
}

} // namespace

// The simulated site meter: base load plus the chargers' draws, the file that moves the base load, and the real
// Modbus TCP server read by LinkRay's own driver.
class TestSiteMeter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readingIsBaseLoadPlusDraws();
    void importRegisterIntegratesOverTime();
    void chargersLoadTheirSitePhases_data();
    void chargersLoadTheirSitePhases();
    void baseLoadText_data();
    void baseLoadText();
    void baseLoadFileChangesTheBaseLoad();
    void modbusMeterReadsBaseLoadPlusCharger();
};

void TestSiteMeter::initTestCase()
{
    qRegisterMetaType<meter::MeterReading>();
    qRegisterMetaType<meter::MeterState>();
}

void TestSiteMeter::readingIsBaseLoadPlusDraws()
{
    ManualClock clock;
    sim::SiteLoad load(clock, {20, 15, 10}, Volts);
    QSignalSpy changes(&load, &sim::SiteLoad::changed);
    load.setDraw(QStringLiteral("CP-1"), {16, 16, 16});
    load.setDraw(QStringLiteral("CP-2"), {0, 32, 0});
    load.setDraw(QStringLiteral("CP-2"), {0, 32, 0}); // no change, no signal
    QCOMPARE(changes.count(), 2);

    const meter::MeterReading reading = load.reading();
    QCOMPARE(currentsOf(reading), (sim::PhaseCurrents {36, 63, 26}));
    QCOMPARE(reading.voltageV[1], std::optional<double>(Volts));
    QCOMPARE(reading.powerW[1], std::optional<double>(63 * Volts));
    QCOMPARE(reading.totalPowerW, std::optional<double>(125 * Volts));
    QCOMPARE(reading.exportedWh, std::optional<double>(0));
    QVERIFY(reading.trusted);

    load.setBaseLoad({0, 0, 0});
    QCOMPARE(currentsOf(load.reading()), (sim::PhaseCurrents {16, 48, 16}));
}

void TestSiteMeter::importRegisterIntegratesOverTime()
{
    ManualClock clock;
    sim::SiteLoad load(clock, {10, 10, 10}, Volts);
    QCOMPARE(load.reading().importedWh, std::optional<double>(0));
    clock.advance(3'600'000); // an hour at 30 A × 230 V
    QCOMPARE(*load.reading().importedWh, 6900.0);
    load.setDraw(QStringLiteral("CP-1"), {32, 32, 32});
    clock.advance(1'800'000); // half an hour at 126 A
    QCOMPARE(*load.reading().importedWh, 6900.0 + 126 * Volts / 2);
}

void TestSiteMeter::chargersLoadTheirSitePhases_data()
{
    QTest::addColumn<sim::ChargerType>("type");
    QTest::addColumn<int>("sitePhase");
    QTest::addColumn<int>("carPhases");
    QTest::addColumn<sim::PhaseCurrents>("expected");
    QTest::newRow("ac1 on L1") << sim::ChargerType::Ac1 << 1 << 3 << sim::PhaseCurrents {52, 20, 20};
    QTest::newRow("ac1 wired to L2") << sim::ChargerType::Ac1 << 2 << 3 << sim::PhaseCurrents {20, 52, 20};
    QTest::newRow("ac3") << sim::ChargerType::Ac3 << 1 << 3 << sim::PhaseCurrents {52, 52, 52};
    QTest::newRow("ac3, one-phase car, wired from L3")
        << sim::ChargerType::Ac3 << 3 << 1 << sim::PhaseCurrents {20, 20, 52};
    QTest::newRow("ac3, two-phase car, wired from L2")
        << sim::ChargerType::Ac3 << 2 << 2 << sim::PhaseCurrents {20, 52, 52};
    // 50 kW over three phases at 230 V: 72.46 A each
    const double dc = 20 + 50'000 / (3 * Volts);
    QTest::newRow("dc balanced") << sim::ChargerType::Dc << 2 << 1 << sim::PhaseCurrents {dc, dc, dc};
}

void TestSiteMeter::chargersLoadTheirSitePhases()
{
    QFETCH(sim::ChargerType, type);
    QFETCH(int, sitePhase);
    QFETCH(int, carPhases);
    QFETCH(sim::PhaseCurrents, expected);
    auto settings = Bench::settings(type, 1);
    settings.hardware.sitePhase = sitePhase;
    settings.hardware.carPhases = carPhases;
    Bench bench(settings);
    sim::SiteLoad load(bench.clock, {20, 20, 20}, Volts);
    load.addCharger(bench.chargePoint);
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    const sim::PhaseCurrents actual = currentsOf(load.reading());
    for (size_t phase = 0; phase < 3; ++phase)
        QVERIFY2(qAbs(actual[phase] - expected[phase]) < 1e-9, qPrintable(QString::number(actual[phase])));

    bench.chargePoint.carDeparts(1);
    bench.settle();
    QCOMPARE(currentsOf(load.reading()), (sim::PhaseCurrents {20, 20, 20}));
}

void TestSiteMeter::baseLoadText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<sim::PhaseCurrents>>("expected");
    using Maybe = std::optional<sim::PhaseCurrents>;
    QTest::newRow("one for all") << QStringLiteral("20") << Maybe(sim::PhaseCurrents {20, 20, 20});
    QTest::newRow("per phase") << QStringLiteral(" 20, 15.5 ,0\n") << Maybe(sim::PhaseCurrents {20, 15.5, 0});
    QTest::newRow("two values") << QStringLiteral("20,15") << Maybe();
    QTest::newRow("negative") << QStringLiteral("-1") << Maybe();
    QTest::newRow("empty") << QString() << Maybe();
    QTest::newRow("words") << QStringLiteral("twenty") << Maybe();
}

void TestSiteMeter::baseLoadText()
{
    QFETCH(QString, text);
    QFETCH(std::optional<sim::PhaseCurrents>, expected);
    QCOMPARE(sim::baseLoadFromText(text), expected);
}

void TestSiteMeter::baseLoadFileChangesTheBaseLoad()
{
    ManualClock clock;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("base-load"));
    QVERIFY(writeFile(path, "30\n"));
    sim::SiteLoad load(clock, {20, 20, 20}, Volts);
    sim::BaseLoadFile file(path, load);
    QCOMPARE(load.baseLoad(), (sim::PhaseCurrents {30, 30, 30}));

    QVERIFY(writeFile(path, "25,20,15"));
    QTRY_COMPARE(load.baseLoad(), (sim::PhaseCurrents {25, 20, 15}));

    // Written elsewhere and renamed over it, as editors and `mv` do.
    const QString next = dir.filePath(QStringLiteral("next"));
    QVERIFY(writeFile(next, "5"));
    QVERIFY(std::rename(qPrintable(next), qPrintable(path)) == 0);
    QTRY_COMPARE(load.baseLoad(), (sim::PhaseCurrents {5, 5, 5}));

    QVERIFY(writeFile(path, "nonsense"));
    QVERIFY(writeFile(path, "7"));
    QTRY_COMPARE(load.baseLoad(), (sim::PhaseCurrents {7, 7, 7}));
}

void TestSiteMeter::modbusMeterReadsBaseLoadPlusCharger()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3, 1));
    sim::SiteLoad load(bench.clock, {20, 15, 10}, Volts);
    load.addCharger(bench.chargePoint);
    sim::MeterServer server(bench.clock, load);
    const quint16 port = freePort();
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, port, 1, error), qPrintable(error));

    auto meter
        = meter::ModbusMeter::createTcp({QStringLiteral("127.0.0.1"), port, 1}, server.registerMap(), bench.clock);
    QSignalSpy readings(meter.get(), &meter::MeterDriver::readingAvailable);
    meter->start();
    QTRY_COMPARE(readings.count(), 1);
    auto reading = readings.last().at(0).value<meter::MeterReading>();
    QCOMPARE(currentsOf(reading), (sim::PhaseCurrents {20, 15, 10}));
    QCOMPARE(reading.voltageV[2], std::optional<double>(Volts));
    QCOMPARE(reading.totalPowerW, std::optional<double>(45 * Volts));

    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    bench.advance(1000); // the next poll
    QTRY_COMPARE(readings.count(), 2);
    reading = readings.last().at(0).value<meter::MeterReading>();
    QCOMPARE(currentsOf(reading), (sim::PhaseCurrents {52, 47, 42}));
    QCOMPARE(reading.powerW[0], std::optional<double>(52 * Volts));
    QCOMPARE(reading.totalPowerW, std::optional<double>(141 * Volts));
    // The car started at the first poll: one second of 141 A since (the register holds kWh as float32).
    QVERIFY(qAbs(*reading.importedWh - 141 * Volts / 3600) < 0.01);
    meter->stop();
}

QTEST_GUILESS_MAIN(TestSiteMeter)
#include "tst_sitemeter.moc"
