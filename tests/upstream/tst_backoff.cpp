#include "upstream/backoff.h"

#include <QTest>

using namespace linkray::upstream;

// The reconnect delay: exponential ceilings, capped, and a full-jitter draw below each ceiling.
class TestBackoff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ceiling_data();
    void ceiling();
    void delayStaysWithinTheCeiling();
    void sameSeedSameDelays();
};

void TestBackoff::ceiling_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<qint64>("ceilingMs");
    QTest::newRow("none yet") << 0 << qint64(0);
    QTest::newRow("first") << 1 << qint64(1000);
    QTest::newRow("second") << 2 << qint64(2000);
    QTest::newRow("third") << 3 << qint64(4000);
    QTest::newRow("sixth") << 6 << qint64(32000);
    QTest::newRow("seventh is capped") << 7 << qint64(60000);
    QTest::newRow("a day of failures stays capped") << 1440 << qint64(60000);
}

void TestBackoff::ceiling()
{
    QFETCH(int, failures);
    QFETCH(qint64, ceilingMs);
    QCOMPARE(backoffCeilingMs(Backoff {}, failures), ceilingMs);
}

void TestBackoff::delayStaysWithinTheCeiling()
{
    JitterGenerator random(1);
    bool sawLow = false;
    bool sawHigh = false;
    for (int draw = 0; draw < 2000; ++draw) {
        const qint64 delay = backoffDelayMs(Backoff {}, 3, random);
        QVERIFY(delay >= 0 && delay <= 4000);
        sawLow = sawLow || delay < 400;
        sawHigh = sawHigh || delay > 3600;
    }
    // Full jitter spreads over the whole range, not just near the ceiling.
    QVERIFY(sawLow && sawHigh);
}

void TestBackoff::sameSeedSameDelays()
{
    JitterGenerator first(42);
    JitterGenerator second(42);
    for (int failures = 1; failures <= 10; ++failures)
        QCOMPARE(backoffDelayMs(Backoff {}, failures, first), backoffDelayMs(Backoff {}, failures, second));
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
