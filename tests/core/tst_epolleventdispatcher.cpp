// The epoll event loop of headless linkray: timers, sockets, posted events and wake-ups from other threads behave as
// in Qt's own loop. Runs with the dispatcher installed for the whole process, as linkray's main() does.
#include "core/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <array>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using linkray::EpollEventDispatcher;

namespace {

// Counts its own timer events and can stop another object's timer from its handler.
class TimerCounter : public QObject {
public:
    int fired = 0;
    QObject* stopTarget = nullptr;
    int stopTimerId = 0;

protected:
    void timerEvent(QTimerEvent*) override
    {
        ++fired;
        if (stopTarget)
            stopTarget->killTimer(stopTimerId);
    }
};

// A connected pair of sockets; the first end's read notifier fires once the second end wrote.
struct SocketPair {
    std::array<int, 2> fds {-1, -1};
    SocketPair() { QVERIFY(socketpair(AF_UNIX, SOCK_STREAM, 0, fds.data()) == 0); }
    ~SocketPair()
    {
        close(fds[0]);
        close(fds[1]);
    }
    void makeReadable() const { QCOMPARE(write(fds[1], "x", 1), static_cast<ssize_t>(1)); }
};

} // namespace

class TestEpollEventDispatcher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isTheLoopInUse();
    void timersFireInDeadlineOrder();
    void repeatingTimerKeepsFiring();
    void zeroTimerFiresOncePerTurn();
    void timerStoppedByAnEarlierHandlerDoesNotFire();
    void registeredTimersAndRemainingTime();
    void tcpRoundTripAndDisconnect();
    void notifierDeletedByAnEarlierHandlerIsNotActivated();
    void descriptorClosedBeforeItsNotifierCanBeWatchedAgain();
    void postedEventsAndDeferredDelete();
    void anotherThreadWakesTheBlockedLoop();
};

void TestEpollEventDispatcher::isTheLoopInUse()
{
    QVERIFY(qobject_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()));
}

void TestEpollEventDispatcher::timersFireInDeadlineOrder()
{
    QList<int> order;
    for (const int ms : {30, 10, 20, 0})
        QTimer::singleShot(ms, Qt::PreciseTimer, this, [&order, ms] { order.append(ms); });
    QTRY_COMPARE(order, (QList<int> {0, 10, 20, 30}));
}

void TestEpollEventDispatcher::repeatingTimerKeepsFiring()
{
    QTimer timer;
    QSignalSpy timeouts(&timer, &QTimer::timeout);
    QElapsedTimer elapsed;
    elapsed.start();
    timer.start(5);
    QTRY_VERIFY(timeouts.count() >= 5);
    // Never early: five 5 ms intervals take at least 25 ms.
    QVERIFY(elapsed.elapsed() >= 25);
}

void TestEpollEventDispatcher::zeroTimerFiresOncePerTurn()
{
    TimerCounter counter;
    counter.startTimer(0);
    QCoreApplication::processEvents();
    QCOMPARE(counter.fired, 1);
    QCoreApplication::processEvents();
    QCOMPARE(counter.fired, 2);
}

void TestEpollEventDispatcher::timerStoppedByAnEarlierHandlerDoesNotFire()
{
    // Both are due in the same turn; whichever fires first stops the other.
    TimerCounter first;
    TimerCounter second;
    first.stopTarget = &second;
    second.stopTarget = &first;
    first.stopTimerId = second.startTimer(0);
    second.stopTimerId = first.startTimer(0);
    QCoreApplication::processEvents();
    QCOMPARE(first.fired + second.fired, 1);
}

void TestEpollEventDispatcher::registeredTimersAndRemainingTime()
{
    QObject owner;
    const int coarse = owner.startTimer(60000);
    const int precise = owner.startTimer(100, Qt::PreciseTimer);
    auto* dispatcher = QAbstractEventDispatcher::instance();
    const QList<QAbstractEventDispatcher::TimerInfo> timers = dispatcher->registeredTimers(&owner);
    QCOMPARE(timers.size(), 2);
    for (const auto& timer : timers) {
        QVERIFY(timer.timerId == coarse || timer.timerId == precise);
        QCOMPARE(timer.interval, timer.timerId == coarse ? 60000 : 100);
    }
    const int left = dispatcher->remainingTime(coarse);
    QVERIFY(left > 59000 && left <= 60000);
    owner.killTimer(coarse);
    QCOMPARE(dispatcher->remainingTime(coarse), -1);
    QCOMPARE(dispatcher->registeredTimers(&owner).size(), 1);
}

void TestEpollEventDispatcher::tcpRoundTripAndDisconnect()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> accepted(server.nextPendingConnection());
    QObject::connect(accepted.get(), &QTcpSocket::readyRead, [&accepted] { accepted->write(accepted->readAll()); });
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    // Larger than a socket buffer, so the writes wait for the write notifier.
    const QByteArray payload(qsizetype {4} * 1024 * 1024, 'p');
    client.write(payload);
    QByteArray echoed;
    QObject::connect(&client, &QTcpSocket::readyRead, [&] { echoed += client.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 20000);
    QCOMPARE(echoed, payload);

    QSignalSpy disconnected(&client, &QTcpSocket::disconnected);
    accepted->close();
    QTRY_COMPARE(disconnected.count(), 1);
}

void TestEpollEventDispatcher::notifierDeletedByAnEarlierHandlerIsNotActivated()
{
    SocketPair first;
    SocketPair second;
    int activations = 0;
    auto* firstNotifier = new QSocketNotifier(first.fds[0], QSocketNotifier::Read);
    auto* secondNotifier = new QSocketNotifier(second.fds[0], QSocketNotifier::Read);
    std::array<QSocketNotifier*, 2> alive {firstNotifier, secondNotifier};
    // Both descriptors are ready in the same turn; whichever handler runs first deletes the other notifier.
    for (std::size_t self = 0; self < alive.size(); ++self) {
        QObject::connect(alive[self], &QSocketNotifier::activated, [&alive, &activations, self] {
            ++activations;
            const std::size_t other = 1 - self;
            delete std::exchange(alive[other], nullptr);
            alive[self]->setEnabled(false);
        });
    }
    first.makeReadable();
    second.makeReadable();
    QTRY_COMPARE(activations, 1);
    QCoreApplication::processEvents();
    QCOMPARE(activations, 1);
    for (QSocketNotifier* notifier : alive)
        delete notifier;
}

void TestEpollEventDispatcher::descriptorClosedBeforeItsNotifierCanBeWatchedAgain()
{
    auto stale = std::make_unique<SocketPair>();
    const int reusedFd = stale->fds[0];
    auto staleNotifier = std::make_unique<QSocketNotifier>(reusedFd, QSocketNotifier::Read);
    stale.reset(); // closed behind the notifier's back: the kernel dropped it from the epoll set
    SocketPair fresh;
    if (fresh.fds[0] != reusedFd && fresh.fds[1] != reusedFd)
        QSKIP("the kernel did not hand out the closed descriptor's number again");
    const int freshFd = fresh.fds[0] == reusedFd ? fresh.fds[0] : fresh.fds[1];
    const int peerFd = freshFd == fresh.fds[0] ? fresh.fds[1] : fresh.fds[0];
    QSocketNotifier notifier(freshFd, QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    QCOMPARE(write(peerFd, "x", 1), static_cast<ssize_t>(1));
    QTRY_VERIFY(!activated.isEmpty()); // level-triggered: it goes on firing until the byte is read
    staleNotifier.reset();
}

void TestEpollEventDispatcher::postedEventsAndDeferredDelete()
{
    bool invoked = false;
    QMetaObject::invokeMethod(
        this, [&invoked] { invoked = true; }, Qt::QueuedConnection);
    QPointer<QObject> doomed = new QObject;
    doomed->deleteLater();
    QTRY_VERIFY(invoked);
    QTRY_VERIFY(doomed.isNull());
}

void TestEpollEventDispatcher::anotherThreadWakesTheBlockedLoop()
{
    // No timer and no socket is due: only the other thread's queued call can end this loop.
    QEventLoop loop;
    bool timedOut = false;
    QTimer::singleShot(10000, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    std::thread poster([&loop] { QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection); });
    loop.exec();
    poster.join();
    QVERIFY(!timedOut);
}

int main(int argc, char** argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication application(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
