#include "core/clock.h"
#include "ocpp/calltracker.h"
#include "ocpp/frame.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace linkray;
using namespace linkray::ocpp;

namespace {
constexpr qint64 TimeoutMs = 1000;

const QByteArray RelayedText(R"([2, "csms-7" ,"VendorThing", { "a" : 1 }])");
const QString RelayedId = QStringLiteral("csms-7");

QString actionOf(const QSignalSpy& spy, int index)
{
    return spy.at(index).at(0).value<TrackedCall>().action;
}
QString idOf(const QSignalSpy& spy, int index)
{
    return spy.at(index).at(0).value<TrackedCall>().uniqueId;
}
QByteArray relayedTextOf(const QSignalSpy& spy, int index)
{
    return spy.at(index).at(0).value<TrackedCall>().relayedText;
}
} // namespace

class TestCallTracker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void firstCallIsSentAtOnce();
    void nextCallWaitsForTheAnswer();
    void queueKeepsOrder();
    void fullQueueRefusesCall();
    void timeoutReleasesTheNextCall();
    void answerBeforeTimeoutStopsTheTimer();
    void lateAnswerIsReportedAsTimedOut();
    void unknownIdIsReportedAsUnknown();
    void cancelAllReturnsEveryCallInOrder();
    void idsAreUniqueAcrossTrackersAndCarryThePrefix();
    void relayedCallKeepsItsIdAndText();
    void relayedAndOwnCallsShareOneQueue();
    void relayedCallWithOurIdWaitsForOurs();
    void relayedCallsCountTowardsAFullQueue();
    void relayedCallTimesOutLikeOurs();

private:
    std::unique_ptr<CallTracker> makeTracker(int maxQueued = 10, const QString& prefix = {});

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<CallTracker> m_tracker;
    std::unique_ptr<QSignalSpy> m_ready;
    std::unique_ptr<QSignalSpy> m_timedOut;
};

std::unique_ptr<CallTracker> TestCallTracker::makeTracker(int maxQueued, const QString& prefix)
{
    return std::make_unique<CallTracker>(*m_clock, CallTracker::Options {TimeoutMs, maxQueued, prefix});
}

void TestCallTracker::init()
{
    qRegisterMetaType<TrackedCall>();
    m_clock = std::make_unique<ManualClock>();
    m_tracker = makeTracker();
    m_ready = std::make_unique<QSignalSpy>(m_tracker.get(), &CallTracker::callReady);
    m_timedOut = std::make_unique<QSignalSpy>(m_tracker.get(), &CallTracker::callTimedOut);
}

void TestCallTracker::cleanup()
{
    m_ready.reset();
    m_timedOut.reset();
    m_tracker.reset();
    m_clock.reset();
}

void TestCallTracker::firstCallIsSentAtOnce()
{
    const auto id = m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    QVERIFY(id);
    QCOMPARE(m_ready->count(), 1);
    QCOMPARE(idOf(*m_ready, 0), *id);
    QVERIFY(m_tracker->hasOutstanding());
    QCOMPARE(m_tracker->queuedCount(), 0);
}

void TestCallTracker::nextCallWaitsForTheAnswer()
{
    const auto first = m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    m_tracker->enqueue(QStringLiteral("StatusNotification"), {});
    QCOMPARE(m_ready->count(), 1);
    QCOMPARE(m_tracker->queuedCount(), 1);

    const AnswerMatch match = m_tracker->matchAnswer(*first);
    QCOMPARE(match.kind, AnswerMatch::Kind::Outstanding);
    QCOMPARE(match.call.action, QStringLiteral("Heartbeat"));
    QCOMPARE(m_ready->count(), 2);
    QCOMPARE(actionOf(*m_ready, 1), QStringLiteral("StatusNotification"));
    QCOMPARE(m_tracker->queuedCount(), 0);
}

void TestCallTracker::queueKeepsOrder()
{
    const QStringList actions {QStringLiteral("BootNotification"), QStringLiteral("StatusNotification"),
        QStringLiteral("MeterValues"), QStringLiteral("Heartbeat")};
    for (const QString& action : actions)
        m_tracker->enqueue(action, {});
    for (int i = 0; i < actions.size(); ++i) {
        QCOMPARE(m_ready->count(), i + 1);
        QCOMPARE(actionOf(*m_ready, i), actions.at(i));
        m_tracker->matchAnswer(idOf(*m_ready, i));
    }
    QVERIFY(!m_tracker->hasOutstanding());
}

void TestCallTracker::fullQueueRefusesCall()
{
    auto tracker = makeTracker(2);
    QVERIFY(tracker->enqueue(QStringLiteral("Heartbeat"), {})); // outstanding
    QVERIFY(tracker->enqueue(QStringLiteral("Heartbeat"), {}));
    QVERIFY(tracker->enqueue(QStringLiteral("Heartbeat"), {}));
    QVERIFY(!tracker->enqueue(QStringLiteral("Heartbeat"), {}));
    QCOMPARE(tracker->queuedCount(), 2);
}

void TestCallTracker::timeoutReleasesTheNextCall()
{
    m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    m_tracker->enqueue(QStringLiteral("StatusNotification"), {});

    m_clock->advance(TimeoutMs - 1);
    QCOMPARE(m_timedOut->count(), 0);
    m_clock->advance(1);
    QCOMPARE(m_timedOut->count(), 1);
    QCOMPARE(actionOf(*m_timedOut, 0), QStringLiteral("Heartbeat"));
    QCOMPARE(m_ready->count(), 2);
    QCOMPARE(actionOf(*m_ready, 1), QStringLiteral("StatusNotification"));

    m_clock->advance(TimeoutMs);
    QCOMPARE(m_timedOut->count(), 2);
    QVERIFY(!m_tracker->hasOutstanding());
}

void TestCallTracker::answerBeforeTimeoutStopsTheTimer()
{
    const auto id = m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    m_clock->advance(TimeoutMs / 2);
    m_tracker->matchAnswer(*id);
    m_clock->advance(TimeoutMs * 2);
    QCOMPARE(m_timedOut->count(), 0);
    QCOMPARE(m_clock->activeTimerCount(), 0);
}

void TestCallTracker::lateAnswerIsReportedAsTimedOut()
{
    const auto id = m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    m_clock->advance(TimeoutMs);

    const AnswerMatch late = m_tracker->matchAnswer(*id);
    QCOMPARE(late.kind, AnswerMatch::Kind::TimedOut);
    QCOMPARE(late.call.action, QStringLiteral("Heartbeat"));
    QCOMPARE(m_tracker->matchAnswer(*id).kind, AnswerMatch::Kind::Unknown); // a second late answer is unexpected
}

void TestCallTracker::unknownIdIsReportedAsUnknown()
{
    m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    const AnswerMatch match = m_tracker->matchAnswer(QStringLiteral("never-sent"));
    QCOMPARE(match.kind, AnswerMatch::Kind::Unknown);
    QVERIFY(m_tracker->hasOutstanding());
}

void TestCallTracker::cancelAllReturnsEveryCallInOrder()
{
    m_tracker->enqueue(QStringLiteral("BootNotification"), {});
    m_tracker->enqueue(QStringLiteral("StatusNotification"), {});
    m_tracker->enqueue(QStringLiteral("Heartbeat"), {});

    const QList<TrackedCall> cancelled = m_tracker->cancelAll();
    QCOMPARE(cancelled.size(), 3);
    QCOMPARE(cancelled.at(0).action, QStringLiteral("BootNotification"));
    QCOMPARE(cancelled.at(2).action, QStringLiteral("Heartbeat"));
    QVERIFY(!m_tracker->hasOutstanding());
    QCOMPARE(m_tracker->queuedCount(), 0);

    m_clock->advance(TimeoutMs * 2);
    QCOMPARE(m_timedOut->count(), 0);
    m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
    QCOMPARE(m_ready->count(), 2);
}

void TestCallTracker::idsAreUniqueAcrossTrackersAndCarryThePrefix()
{
    auto other = makeTracker(10, QStringLiteral("proxy-with-a-very-long-prefix-"));
    QSet<QString> ids;
    for (int i = 0; i < 50; ++i) {
        const auto mine = m_tracker->enqueue(QStringLiteral("Heartbeat"), {});
        const auto theirs = other->enqueue(QStringLiteral("Heartbeat"), {});
        QVERIFY(mine && theirs);
        QVERIFY(theirs->startsWith(QStringLiteral("proxy-with-a-ver")));
        QVERIFY(theirs->size() <= MaxUniqueIdLength);
        ids << *mine << *theirs;
        m_tracker->matchAnswer(*mine);
        other->matchAnswer(*theirs);
    }
    QCOMPARE(ids.size(), 100);
}

void TestCallTracker::relayedCallKeepsItsIdAndText()
{
    auto tracker = makeTracker(10, QStringLiteral("lr-"));
    QSignalSpy ready(tracker.get(), &CallTracker::callReady);
    QCOMPARE(tracker->enqueueRelayed(RelayedId, QStringLiteral("VendorThing"), RelayedText), RelayedId);

    QCOMPARE(ready.count(), 1);
    const auto call = ready.at(0).at(0).value<TrackedCall>();
    QCOMPARE(call.uniqueId, RelayedId);
    QCOMPARE(call.action, QStringLiteral("VendorThing"));
    QCOMPARE(call.relayedText, RelayedText);
    QVERIFY(call.isRelayed());

    const auto ours = tracker->enqueue(QStringLiteral("ClearCache"), {});
    QVERIFY(ours && ours->startsWith(QStringLiteral("lr-")));
    tracker->matchAnswer(RelayedId);
    QCOMPARE(ready.count(), 2);
    QVERIFY(!ready.at(1).at(0).value<TrackedCall>().isRelayed());
}

void TestCallTracker::relayedAndOwnCallsShareOneQueue()
{
    const auto first = m_tracker->enqueue(QStringLiteral("ClearCache"), {});
    m_tracker->enqueueRelayed(RelayedId, QStringLiteral("VendorThing"), RelayedText);
    const auto last = m_tracker->enqueue(QStringLiteral("ClearCache"), {});
    QCOMPARE(m_ready->count(), 1);
    QCOMPARE(m_tracker->queuedCount(), 2);

    QCOMPARE(m_tracker->matchAnswer(*first).kind, AnswerMatch::Kind::Outstanding);
    QCOMPARE(m_ready->count(), 2);
    QCOMPARE(relayedTextOf(*m_ready, 1), RelayedText);

    const AnswerMatch relayed = m_tracker->matchAnswer(RelayedId);
    QCOMPARE(relayed.kind, AnswerMatch::Kind::Outstanding);
    QVERIFY(relayed.call.isRelayed());
    QCOMPARE(m_ready->count(), 3);
    QCOMPARE(idOf(*m_ready, 2), *last);
}

void TestCallTracker::relayedCallWithOurIdWaitsForOurs()
{
    const auto ours = m_tracker->enqueue(QStringLiteral("ClearCache"), {});
    m_tracker->enqueueRelayed(*ours, QStringLiteral("VendorThing"), RelayedText);

    const AnswerMatch first = m_tracker->matchAnswer(*ours);
    QCOMPARE(first.kind, AnswerMatch::Kind::Outstanding);
    QVERIFY(!first.call.isRelayed());
    QCOMPARE(m_ready->count(), 2);

    const AnswerMatch second = m_tracker->matchAnswer(*ours);
    QCOMPARE(second.kind, AnswerMatch::Kind::Outstanding);
    QVERIFY(second.call.isRelayed());
    QVERIFY(!m_tracker->hasOutstanding());
}

void TestCallTracker::relayedCallsCountTowardsAFullQueue()
{
    auto tracker = makeTracker(1);
    QVERIFY(tracker->enqueue(QStringLiteral("ClearCache"), {})); // outstanding
    QVERIFY(tracker->enqueueRelayed(RelayedId, QStringLiteral("VendorThing"), RelayedText));
    QVERIFY(!tracker->enqueueRelayed(QStringLiteral("csms-8"), QStringLiteral("VendorThing"), RelayedText));
    QVERIFY(!tracker->enqueue(QStringLiteral("ClearCache"), {}));
    QCOMPARE(tracker->queuedCount(), 1);
}

void TestCallTracker::relayedCallTimesOutLikeOurs()
{
    m_tracker->enqueueRelayed(RelayedId, QStringLiteral("VendorThing"), RelayedText);
    m_tracker->enqueue(QStringLiteral("ClearCache"), {});

    m_clock->advance(TimeoutMs);
    QCOMPARE(m_timedOut->count(), 1);
    QCOMPARE(idOf(*m_timedOut, 0), RelayedId);
    QCOMPARE(m_ready->count(), 2);
    QCOMPARE(actionOf(*m_ready, 1), QStringLiteral("ClearCache"));

    const AnswerMatch late = m_tracker->matchAnswer(RelayedId);
    QCOMPARE(late.kind, AnswerMatch::Kind::TimedOut);
    QVERIFY(late.call.isRelayed());
    QVERIFY(m_tracker->hasOutstanding());
}

QTEST_GUILESS_MAIN(TestCallTracker)
#include "tst_calltracker.moc"
