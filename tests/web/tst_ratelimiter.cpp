#include "core/clock.h"
#include "web/ratelimiter.h"

#include <QTest>

using namespace linkray;
using namespace linkray::web;

// Login failures per key in a sliding window, on simulated time.
class TestRateLimiter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void blocksAfterMaxFailuresUntilTheOldestLeaves()
    {
        ManualClock clock;
        RateLimiter limiter(clock, 3, 60000);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(!limiter.blockedForMs(QStringLiteral("a")));
            limiter.recordFailure(QStringLiteral("a"));
            clock.advance(10000);
        }
        // Failures at 0, 10 and 20 s; now 30 s: blocked until the first leaves the window at 60 s.
        QCOMPARE(limiter.blockedForMs(QStringLiteral("a")), std::optional<qint64>(30000));
        QVERIFY(!limiter.blockedForMs(QStringLiteral("b")));
        clock.advance(29999);
        QVERIFY(limiter.blockedForMs(QStringLiteral("a")));
        clock.advance(1);
        QVERIFY(!limiter.blockedForMs(QStringLiteral("a")));
        limiter.recordFailure(QStringLiteral("a"));
        QCOMPARE(limiter.blockedForMs(QStringLiteral("a")), std::optional<qint64>(10000));
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
