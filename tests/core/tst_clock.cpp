#include "core/clock.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

using namespace linkray;

class TestClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void manualClockFiresTimersInDueOrder_data();
    void manualClockFiresTimersInDueOrder();
    void timeInsideTimeoutIsTheDueTime();
    void repeatingTimerFiresEveryInterval();
    void singleShotTimerFiresOnce();
    void stoppedTimerDoesNotFire();
    void timerStoppedByAnotherTimerDoesNotFire();
    void restartPostponesTheTimeout();
    void destroyedTimerIsForgotten();
    void timerStartedInTimeoutFiresInTheSameAdvance();
    void nestedAdvanceNeverMovesTimeBack();
    void setNowUtcKeepsMonotonicTime();
    void systemClockTimerFires();
    void systemClockSingleShotStops();
    void scaledSystemClockRunsAhead();
};

void TestClock::manualClockFiresTimersInDueOrder_data()
{
    QTest::addColumn<QList<qint64>>("intervals");
    QTest::addColumn<QList<int>>("expectedOrder"); // indexes into intervals

    QTest::newRow("ascending") << QList<qint64> {10, 20, 30} << QList<int> {0, 1, 2};
    QTest::newRow("descending") << QList<qint64> {30, 20, 10} << QList<int> {2, 1, 0};
    QTest::newRow("mixed") << QList<qint64> {50, 5, 25, 0} << QList<int> {3, 1, 2, 0};
    QTest::newRow("equal intervals keep start order") << QList<qint64> {10, 10, 10} << QList<int> {0, 1, 2};
}

void TestClock::manualClockFiresTimersInDueOrder()
{
    QFETCH(QList<qint64>, intervals);
    QFETCH(QList<int>, expectedOrder);

    ManualClock clock;
    std::vector<std::unique_ptr<Timer>> timers;
    QList<int> fired;
    for (int i = 0; i < intervals.size(); ++i) {
        timers.push_back(clock.createTimer());
        timers.back()->setSingleShot(true);
        connect(timers.back().get(), &Timer::timeout, this, [&fired, i] { fired << i; });
        timers.back()->start(intervals.at(i));
    }
    clock.advance(*std::max_element(intervals.begin(), intervals.end()));
    QCOMPARE(fired, expectedOrder);
    QCOMPARE(clock.activeTimerCount(), 0);
}

void TestClock::timeInsideTimeoutIsTheDueTime()
{
    ManualClock clock;
    const QDateTime start = clock.nowUtc();
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    qint64 seenMonotonic = -1;
    QDateTime seenUtc;
    connect(timer.get(), &Timer::timeout, this, [&] {
        seenMonotonic = clock.monotonicMs();
        seenUtc = clock.nowUtc();
    });
    timer->start(300);
    clock.advance(1000);
    QCOMPARE(seenMonotonic, 300);
    QCOMPARE(seenUtc, start.addMSecs(300));
    QCOMPARE(clock.monotonicMs(), 1000);
    QCOMPARE(clock.nowUtc(), start.addMSecs(1000));
}

void TestClock::repeatingTimerFiresEveryInterval()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    QList<qint64> firedAt;
    connect(timer.get(), &Timer::timeout, this, [&] { firedAt << clock.monotonicMs(); });
    timer->start(100);
    clock.advance(350);
    QCOMPARE(firedAt, (QList<qint64> {100, 200, 300}));
    clock.advance(50);
    QCOMPARE(firedAt.size(), 4);
    QVERIFY(timer->isActive());
}

void TestClock::singleShotTimerFiresOnce()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    QSignalSpy spy(timer.get(), &Timer::timeout);
    timer->start(100);
    clock.advance(1000);
    QCOMPARE(spy.count(), 1);
    QVERIFY(!timer->isActive());
}

void TestClock::stoppedTimerDoesNotFire()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    QSignalSpy spy(timer.get(), &Timer::timeout);
    timer->start(100);
    clock.advance(150);
    timer->stop();
    clock.advance(1000);
    QCOMPARE(spy.count(), 1);
    QVERIFY(!timer->isActive());
    QCOMPARE(clock.activeTimerCount(), 0);
}

void TestClock::timerStoppedByAnotherTimerDoesNotFire()
{
    ManualClock clock;
    auto first = clock.createTimer();
    auto second = clock.createTimer();
    QSignalSpy secondSpy(second.get(), &Timer::timeout);
    connect(first.get(), &Timer::timeout, second.get(), &Timer::stop);
    first->start(10);
    second->start(20);
    clock.advance(100);
    QCOMPARE(secondSpy.count(), 0);
}

void TestClock::restartPostponesTheTimeout()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    QSignalSpy spy(timer.get(), &Timer::timeout);
    timer->start(100);
    clock.advance(80);
    timer->start(100);
    clock.advance(80);
    QCOMPARE(spy.count(), 0);
    clock.advance(20);
    QCOMPARE(spy.count(), 1);
}

void TestClock::destroyedTimerIsForgotten()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    timer->start(100);
    QCOMPARE(clock.activeTimerCount(), 1);
    timer.reset();
    QCOMPARE(clock.activeTimerCount(), 0);
    clock.advance(1000); // must not touch the destroyed timer
}

void TestClock::timerStartedInTimeoutFiresInTheSameAdvance()
{
    ManualClock clock;
    auto first = clock.createTimer();
    auto second = clock.createTimer();
    first->setSingleShot(true);
    second->setSingleShot(true);
    qint64 secondFiredAt = -1;
    connect(first.get(), &Timer::timeout, this, [&] { second->start(50); });
    connect(second.get(), &Timer::timeout, this, [&] { secondFiredAt = clock.monotonicMs(); });
    first->start(100);
    clock.advance(200);
    QCOMPARE(secondFiredAt, 150);
}

void TestClock::nestedAdvanceNeverMovesTimeBack()
{
    ManualClock clock;
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    connect(timer.get(), &Timer::timeout, this, [&] { clock.advance(500); });
    timer->start(10);
    clock.advance(100);
    QCOMPARE(clock.monotonicMs(), 510);
}

void TestClock::setNowUtcKeepsMonotonicTime()
{
    ManualClock clock;
    clock.advance(1000);
    const QDateTime later(QDate(2030, 6, 1), QTime(12, 0), Qt::UTC);
    clock.setNowUtc(later);
    QCOMPARE(clock.nowUtc(), later);
    QCOMPARE(clock.monotonicMs(), 1000);
    clock.advance(250);
    QCOMPARE(clock.nowUtc(), later.addMSecs(250));
}

void TestClock::systemClockTimerFires()
{
    SystemClock clock;
    auto timer = clock.createTimer();
    QSignalSpy spy(timer.get(), &Timer::timeout);
    const qint64 started = clock.monotonicMs();
    timer->start(20);
    QTRY_VERIFY(spy.count() >= 2);
    QVERIFY(clock.monotonicMs() - started >= 40);
    timer->stop();
    QVERIFY(!timer->isActive());
}

void TestClock::systemClockSingleShotStops()
{
    SystemClock clock;
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    QSignalSpy spy(timer.get(), &Timer::timeout);
    timer->start(10);
    QTRY_COMPARE(spy.count(), 1);
    QVERIFY(!timer->isActive());
}

void TestClock::scaledSystemClockRunsAhead()
{
    SystemClock clock(1000.0);
    const QDateTime startUtc = clock.nowUtc();
    auto timer = clock.createTimer();
    timer->setSingleShot(true);
    QSignalSpy spy(timer.get(), &Timer::timeout);
    timer->start(60 * 60 * 1000); // a simulated hour passes in 3.6 real seconds
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 20000);
    QVERIFY(startUtc.msecsTo(clock.nowUtc()) >= 60 * 60 * 1000);
    QVERIFY(clock.nowUtc() > QDateTime::currentDateTimeUtc().addSecs(30 * 60));
}

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
