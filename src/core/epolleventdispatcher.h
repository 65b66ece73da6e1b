#pragma once

#include <QAbstractEventDispatcher>

#include <atomic>
#include <set>
#include <sys/epoll.h>
#include <unordered_map>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace linkray {

// The main thread's event loop on Linux epoll. Qt 6.4's own dispatchers (glib and UNIX) hand every socket notifier
// to poll() on every turn, so each relayed frame cost work in proportion to all the connected chargers (2,000 sockets
// for 1,000 proxied chargers); epoll reports only the ready sockets and timers sit in an ordered set. Behaves like
// QEventDispatcherUNIX otherwise: posted events first, then sockets, then expired timers, once each per turn.
class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // The notifiers of one file descriptor: epoll takes one registration per descriptor for all three kinds.
    struct Watched {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
    };
    struct Timer {
        QObject* object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadlineNs = 0;
        quint64 serial = 0; // tells a timer apart from a later one that got the same id
        bool delivering = false; // its QTimerEvent is being handled (a nested loop must not fire it again)
    };

    void watch(int fd, const Watched& watched, bool known);
    void activateSocketNotifiers(int readyCount);
    bool activateTimers();
    void schedule(int timerId, Timer& timer, qint64 deadlineNs);
    int waitTimeoutMs(QEventLoop::ProcessEventsFlags flags) const;
    void drainWakeUps();

    int m_epollFd = -1;
    int m_wakeUpFd = -1; // an eventfd: wakeUp() and interrupt() make it readable
    std::atomic<bool> m_wakeUpPending {false};
    std::atomic<bool> m_interrupted {false};
    std::unordered_map<int, Watched> m_watched;
    // The notifiers to activate in this turn; one unregistered meanwhile is set to null.
    std::vector<QSocketNotifier*> m_pendingNotifiers;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline in ns, timer id), soonest first
    quint64 m_nextSerial = 0;
    std::vector<epoll_event> m_ready;
};

} // namespace linkray
