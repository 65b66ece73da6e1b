#include "core/clock.h"
#include "meter/modbusmeter.h"
#include "registerimage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linkray;
using namespace linkray::meter;

namespace {
const QString python = QStringLiteral("/usr/bin/python3"); // Debian's, which has pymodbus
const QString sdm630Map = QStringLiteral(LINKRAY_SOURCE_DIR "/resources/meters/eastron-sdm630.json");

// The pymodbus meter of tests/meter/modbus_meter_server.py, serving the SDM630 map over TCP or a serial device.
class MeterServer {
public:
    ~MeterServer() { stop(); }

    bool start(const QVariantMap& values, const QStringList& transport)
    {
        const QByteArray json = QJsonDocument(QJsonObject::fromVariantMap(values)).toJson(QJsonDocument::Compact);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(python,
            QStringList {QStringLiteral(METER_SERVER_SCRIPT), QStringLiteral("--map"), sdm630Map,
                QStringLiteral("--values"), QString::fromUtf8(json)}
                + transport);
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        if (!m_process.waitForStarted())
            return false;
        while (!m_process.canReadLine()) {
            if (!output.wait(10000))
                return false;
        }
        const QList<QByteArray> ready = m_process.readLine().trimmed().split(' ');
        if (ready.value(0) != "ready")
            return false;
        m_port = quint16(ready.value(1).toUInt());
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished();
    }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

const QVariantMap siteValues {
    {QStringLiteral("voltageL1"), 230.1},
    {QStringLiteral("voltageL2"), 231.2},
    {QStringLiteral("voltageL3"), 229.8},
    {QStringLiteral("currentL1"), 10.5},
    {QStringLiteral("currentL2"), 8.25},
    {QStringLiteral("currentL3"), 0.0},
    {QStringLiteral("powerL1"), 2416.0},
    {QStringLiteral("powerL2"), -1900.0},
    {QStringLiteral("totalPower"), 516.0},
    {QStringLiteral("importedEnergy"), 12345.6},
    {QStringLiteral("exportedEnergy"), 78.9},
};
} // namespace

class TestModbusMeter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readsMeter_data();
    void readsMeter();
    void nonsenseIsNotTrusted();
    void staleWhenTheMeterStopsAnsweringAndBackWhenItReturns();

private:
    std::optional<RegisterMap> m_map;
};

void TestModbusMeter::initTestCase()
{
    qRegisterMetaType<MeterReading>();
    qRegisterMetaType<MeterState>();
    m_map = builtInMap(QStringLiteral("eastron-sdm630"));
    QVERIFY(m_map);
}

void TestModbusMeter::readsMeter_data()
{
    QTest::addColumn<bool>("rtu");
    QTest::newRow("Modbus TCP") << false;
    QTest::newRow("Modbus RTU over a pty pair") << true;
}

void TestModbusMeter::readsMeter()
{
    QFETCH(bool, rtu);
    ManualClock clock;
    MeterServer server;
    QProcess socat;
    QTemporaryDir dir;
    std::unique_ptr<ModbusMeter> meter;
    if (rtu) {
        // An RS485 stand-in: two linked ptys, pymodbus on one end, the driver on the other.
        const QString meterEnd = dir.filePath(QStringLiteral("meter"));
        const QString linkrayEnd = dir.filePath(QStringLiteral("linkray"));
        socat.setProcessChannelMode(QProcess::MergedChannels);
        socat.start(QStringLiteral("socat"),
            {QStringLiteral("-d"), QStringLiteral("-d"), QStringLiteral("pty,raw,echo=0,link=") + meterEnd,
                QStringLiteral("pty,raw,echo=0,link=") + linkrayEnd});
        QByteArray socatLog;
        QTRY_VERIFY_WITH_TIMEOUT((socatLog += socat.readAll()).contains("starting data transfer loop"), 10000);
        QVERIFY(server.start(siteValues, {QStringLiteral("--serial"), meterEnd}));
        meter = ModbusMeter::createRtu(
            {linkrayEnd, 9600, QSerialPort::NoParity, QSerialPort::Data8, QSerialPort::OneStop, 1}, *m_map, clock);
    } else {
        QVERIFY(server.start(siteValues, {QStringLiteral("--tcp"), QStringLiteral("0")}));
        meter = ModbusMeter::createTcp({QStringLiteral("127.0.0.1"), server.port(), 1}, *m_map, clock);
    }
    QSignalSpy readings(meter.get(), &MeterDriver::readingAvailable);
    QCOMPARE(meter->state(), MeterState::Stale); // nothing known before the first reading

    meter->start();
    QTRY_COMPARE_WITH_TIMEOUT(readings.count(), 1, 10000);
    const auto reading = readings.at(0).at(0).value<MeterReading>();
    QCOMPARE(meter->state(), MeterState::Ok);
    QVERIFY(reading.trusted);
    QCOMPARE(reading.timestamp, clock.nowUtc());
    QVERIFY(test::closeTo(reading.voltageV[0], 230.1f));
    QVERIFY(test::closeTo(reading.currentA[1], 8.25));
    QVERIFY(test::closeTo(reading.powerW[1], -1900.0));
    QVERIFY(test::closeTo(reading.powerW[2], 0.0)); // served as 0, not absent
    QVERIFY(test::closeTo(reading.totalPowerW, 516.0));
    QVERIFY(test::closeTo(reading.importedWh, 12345.6f * 1000.0));
    QVERIFY(test::closeTo(reading.exportedWh, 78.9f * 1000.0));

    clock.advance(1000); // the next poll, one interval later
    QTRY_COMPARE_WITH_TIMEOUT(readings.count(), 2, 10000);
    meter->stop();
    socat.kill();
    socat.waitForFinished();
}

void TestModbusMeter::nonsenseIsNotTrusted()
{
    ManualClock clock;
    MeterServer server;
    QVariantMap values = siteValues;
    values[QStringLiteral("voltageL2")] = -231.2;
    QVERIFY(server.start(values, {QStringLiteral("--tcp"), QStringLiteral("0")}));
    auto meter = ModbusMeter::createTcp({QStringLiteral("127.0.0.1"), server.port(), 1}, *m_map, clock);
    QSignalSpy readings(meter.get(), &MeterDriver::readingAvailable);
    QSignalSpy failures(meter.get(), &MeterDriver::meterFailed);

    meter->start();
    QTRY_COMPARE(failures.count(), 1);
    QCOMPARE(meter->state(), MeterState::Failed);
    QVERIFY2(meter->failureReason().contains(QLatin1String("voltage L2")), qPrintable(meter->failureReason()));
    QCOMPARE(readings.count(), 0);
}

void TestModbusMeter::staleWhenTheMeterStopsAnsweringAndBackWhenItReturns()
{
    ManualClock clock;
    MeterServer server;
    QVERIFY(server.start(siteValues, {QStringLiteral("--tcp"), QStringLiteral("0")}));
    const quint16 port = server.port();
    PollSettings settings;
    settings.intervalMs = 1000;
    settings.staleAfterPolls = 3;
    auto meter = ModbusMeter::createTcp({QStringLiteral("127.0.0.1"), port, 1}, *m_map, clock, settings);
    QSignalSpy readings(meter.get(), &MeterDriver::readingAvailable);
    QSignalSpy failures(meter.get(), &MeterDriver::meterFailed);
    QSignalSpy states(meter.get(), &MeterDriver::stateChanged);
    meter->start();
    QTRY_COMPARE(readings.count(), 1);

    server.stop();
    for (int poll = 1; poll <= 2; ++poll) {
        clock.advance(1000);
        QCOMPARE(meter->state(), MeterState::Ok); // two missed polls are tolerated
    }
    clock.advance(1000);
    QTRY_COMPARE(failures.count(), 1);
    QCOMPARE(meter->state(), MeterState::Stale);
    QVERIFY2(
        meter->failureReason().startsWith(QLatin1String("no reading for 3 polls")), qPrintable(meter->failureReason()));
    clock.advance(1000);
    QCOMPARE(failures.count(), 1); // said once, not at every poll

    QVERIFY(server.start(siteValues, {QStringLiteral("--tcp"), QString::number(port)}));
    const int before = readings.count();
    clock.advance(1000);
    QTRY_COMPARE(readings.count(), before + 1);
    QCOMPARE(meter->state(), MeterState::Ok);
    QCOMPARE(states.last().at(0).value<MeterState>(), MeterState::Ok);
}

QTEST_GUILESS_MAIN(TestModbusMeter)
#include "tst_modbusmeter.moc"
