#include "core/clock.h"
#include "meter/meterdriver.h"

#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace linkray;
using namespace linkray::meter;

namespace {

// A meter whose every poll the test answers by hand (or not at all), in the simulated time of a ManualClock.
class ScriptedMeter final : public PolledMeter {
public:
    ScriptedMeter(Clock& clock, const PollSettings& settings)
        : PolledMeter(clock, settings, QStringLiteral("127.0.0.1:5020"))
    {
    }

    // How each poll is answered as it begins; none: it hangs until the next tick abandons it.
    std::function<void(ScriptedMeter&)> answer;

    void answerWith(MeterReading reading) { finishPoll(std::move(reading)); }
    void refuse(const QString& reason) { failPoll(reason); }

protected:
    void beginPoll() override
    {
        if (answer)
            answer(*this);
    }
    void abandonPoll() override { }
};

MeterReading plausibleReading()
{
    MeterReading reading;
    reading.voltageV = {230.0, 230.0, 230.0};
    reading.currentA = {10.0, 10.0, 10.0};
    return reading;
}

PollSettings everySecondStaleAfterThree()
{
    PollSettings settings;
    settings.intervalMs = 1000;
    settings.staleAfterPolls = 3;
    return settings;
}

} // namespace

// The staleness rules of every polled meter, for a meter that has never answered since it started.
class TestPolledMeter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void silentSinceStartIsReportedAfterTheStaleTimeout_data();
    void silentSinceStartIsReportedAfterTheStaleTimeout();
    void nonsenseSinceStartIsReportedOnceAsFailed();
};

void TestPolledMeter::initTestCase()
{
    qRegisterMetaType<MeterReading>();
    qRegisterMetaType<MeterState>();
}

void TestPolledMeter::silentSinceStartIsReportedAfterTheStaleTimeout_data()
{
    QTest::addColumn<bool>("refused");
    QTest::addColumn<qint64>("reportedAfterMs");
    QTest::addColumn<QString>("reason");
    // A refused connection fails each poll at once: the third is missed as the second tick begins it.
    QTest::newRow("connection refused") << true << qint64(2000)
                                        << QStringLiteral("no reading from 127.0.0.1:5020 since start-up (3 polls): "
                                                          "cannot connect: Connection refused");
    // A meter that never answers: each poll is missed at the next tick.
    QTest::newRow("no answer") << false << qint64(3000)
                               << QStringLiteral("no reading from 127.0.0.1:5020 since start-up (3 polls): "
                                                 "no answer within the poll interval of 1000 ms");
}

void TestPolledMeter::silentSinceStartIsReportedAfterTheStaleTimeout()
{
    QFETCH(bool, refused);
    QFETCH(qint64, reportedAfterMs);
    QFETCH(QString, reason);
    ManualClock clock;
    ScriptedMeter meter(clock, everySecondStaleAfterThree());
    if (refused)
        meter.answer
            = [](ScriptedMeter& polled) { polled.refuse(QStringLiteral("cannot connect: Connection refused")); };
    QSignalSpy failures(&meter, &MeterDriver::meterFailed);
    QSignalSpy states(&meter, &MeterDriver::stateChanged);

    meter.start();
    QCOMPARE(meter.state(), MeterState::Stale);
    QCOMPARE(meter.failureReason(), QStringLiteral("no reading yet"));
    clock.advance(reportedAfterMs - 1);
    QCOMPARE(failures.count(), 0);
    clock.advance(1);
    QCOMPARE(failures.count(), 1);
    QCOMPARE(failures.at(0).at(0).toString(), reason);
    QCOMPARE(meter.state(), MeterState::Stale);
    QCOMPARE(meter.failureReason(), reason);
    QCOMPARE(states.count(), 0); // stale from the start: the state did not change, only its reason

    clock.advance(10000);
    QCOMPARE(failures.count(), 1); // said once, not at every poll

    meter.answer = [](ScriptedMeter& polled) { polled.answerWith(plausibleReading()); };
    clock.advance(1000);
    QCOMPARE(meter.state(), MeterState::Ok);
    QCOMPARE(states.count(), 1);
    QVERIFY(meter.failureReason().isEmpty());
}

void TestPolledMeter::nonsenseSinceStartIsReportedOnceAsFailed()
{
    ManualClock clock;
    ScriptedMeter meter(clock, everySecondStaleAfterThree());
    meter.answer = [](ScriptedMeter& polled) {
        MeterReading reading = plausibleReading();
        reading.voltageV[1] = -230.0;
        polled.answerWith(reading);
    };
    QSignalSpy failures(&meter, &MeterDriver::meterFailed);

    meter.start();
    QCOMPARE(meter.state(), MeterState::Failed);
    QCOMPARE(failures.count(), 1);
    clock.advance(10000); // past the stale timeout: the meter has said why it has no reading already
    QCOMPARE(failures.count(), 1);
    QVERIFY2(meter.failureReason().contains(QLatin1String("voltage L2")), qPrintable(meter.failureReason()));
}

QTEST_GUILESS_MAIN(TestPolledMeter)
#include "tst_polledmeter.moc"
