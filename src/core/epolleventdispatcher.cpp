#include "core/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEventLoop, "linkray.core.eventloop")

namespace linkray {

namespace {

// Ready descriptors taken per turn; more stay ready (level-triggered) for the next turn.
constexpr int kReadyPerTurn = 256;
constexpr qint64 kNsPerMs = 1000000;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The same readiness → notifier mapping as QEventDispatcherUNIX: a hang-up or an error wakes the reader.
constexpr quint32 kReadEvents = EPOLLIN | EPOLLHUP | EPOLLERR;
constexpr quint32 kWriteEvents = EPOLLOUT | EPOLLERR;
constexpr quint32 kExceptionEvents = EPOLLPRI;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject* parent)
    : QAbstractEventDispatcher(parent)
    , m_epollFd(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeUpFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_ready(kReadyPerTurn)
{
    if (m_epollFd < 0 || m_wakeUpFd < 0)
        qFatal("epoll or eventfd unavailable: %s", std::strerror(errno));
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeUpFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeUpFd, &event) != 0)
        qFatal("cannot watch the wake-up eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    close(m_wakeUpFd);
    close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeNotifiers = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted.load();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load())
        return false;

    const int timeoutMs = canWait ? waitTimeoutMs(flags) : 0;
    int handled = 0;
    if (includeNotifiers) {
        const int readyCount = epoll_wait(m_epollFd, m_ready.data(), static_cast<int>(m_ready.size()), timeoutMs);
        if (readyCount < 0 && errno != EINTR)
            qCWarning(lcEventLoop) << "epoll_wait failed:" << std::strerror(errno);
        if (readyCount > 0) {
            activateSocketNotifiers(readyCount);
            handled += readyCount;
        }
    } else {
        // Sockets are excluded from this turn: wait for a wake-up or the next timer only.
        pollfd wakeUpOnly {m_wakeUpFd, POLLIN, 0};
        if (poll(&wakeUpOnly, 1, timeoutMs) > 0) {
            drainWakeUps();
            ++handled;
        }
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers) && activateTimers())
        ++handled;
    return handled > 0;
}

int EpollEventDispatcher::waitTimeoutMs(QEventLoop::ProcessEventsFlags flags) const
{
    if (flags.testFlag(QEventLoop::X11ExcludeTimers) || m_deadlines.empty())
        return -1;
    const qint64 leftNs = m_deadlines.begin()->first - nowNs();
    if (leftNs <= 0)
        return 0;
    // Rounded up: waking before the deadline would only cost a turn that fires nothing.
    return static_cast<int>(std::min<qint64>((leftNs + kNsPerMs - 1) / kNsPerMs, std::numeric_limits<int>::max()));
}

void EpollEventDispatcher::drainWakeUps()
{
    // Read before clearing the flag: a wake-up in between is then still seen by the next turn's posted events.
    eventfd_t count = 0;
    eventfd_read(m_wakeUpFd, &count);
    m_wakeUpPending.store(false);
}

void EpollEventDispatcher::activateSocketNotifiers(int readyCount)
{
    m_pendingNotifiers.clear();
    for (int i = 0; i < readyCount; ++i) {
        const epoll_event& ready = m_ready[static_cast<std::size_t>(i)];
        if (ready.data.fd == m_wakeUpFd) {
            drainWakeUps();
            continue;
        }
        const auto found = m_watched.find(ready.data.fd);
        if (found == m_watched.end())
            continue;
        const Watched& watched = found->second;
        if (watched.read && (ready.events & kReadEvents))
            m_pendingNotifiers.push_back(watched.read);
        if (watched.write && (ready.events & kWriteEvents))
            m_pendingNotifiers.push_back(watched.write);
        if (watched.exception && (ready.events & kExceptionEvents))
            m_pendingNotifiers.push_back(watched.exception);
    }
    // Indexed: a handler may unregister a notifier still pending (it is nulled) but never adds one to this turn.
    for (std::size_t i = 0; i < m_pendingNotifiers.size(); ++i) {
        QSocketNotifier* notifier = std::exchange(m_pendingNotifiers[i], nullptr);
        if (!notifier)
            continue;
        QEvent activated(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &activated);
    }
    m_pendingNotifiers.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = static_cast<int>(notifier->socket());
    const auto found = m_watched.find(fd);
    const bool known = found != m_watched.end();
    Watched watched = known ? found->second : Watched {};
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watched.read = notifier;
        break;
    case QSocketNotifier::Write:
        watched.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watched.exception = notifier;
        break;
    }
    watch(fd, watched, known);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    for (QSocketNotifier*& pending : m_pendingNotifiers) {
        if (pending == notifier)
            pending = nullptr;
    }
    const int fd = static_cast<int>(notifier->socket());
    const auto found = m_watched.find(fd);
    if (found == m_watched.end())
        return;
    Watched watched = found->second;
    for (QSocketNotifier** slot : {&watched.read, &watched.write, &watched.exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    watch(fd, watched, true);
}

void EpollEventDispatcher::watch(int fd, const Watched& watched, bool known)
{
    epoll_event event {};
    event.data.fd = fd;
    event.events
        = (watched.read ? EPOLLIN : 0u) | (watched.write ? EPOLLOUT : 0u) | (watched.exception ? EPOLLPRI : 0u);
    if (event.events == 0) {
        m_watched.erase(fd);
        // The descriptor may already be closed, which removed it from the epoll set.
        if (epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != EBADF && errno != ENOENT)
            qCWarning(lcEventLoop) << "cannot stop watching descriptor" << fd << std::strerror(errno);
        return;
    }
    m_watched[fd] = watched;
    if (epoll_ctl(m_epollFd, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) == 0)
        return;
    // A descriptor closed before its notifiers were disabled left the epoll set, and its number may be in use again.
    if (errno == ENOENT || errno == EEXIST) {
        if (epoll_ctl(m_epollFd, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event) == 0)
            return;
    }
    qCWarning(lcEventLoop) << "cannot watch descriptor" << fd << std::strerror(errno);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object)
{
    Timer timer;
    timer.object = object;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.serial = ++m_nextSerial;
    unregisterTimer(timerId);
    Timer& registered = m_timers[timerId] = timer;
    schedule(timerId, registered, nowNs() + interval * kNsPerMs);
}

void EpollEventDispatcher::schedule(int timerId, Timer& timer, qint64 deadlineNs)
{
    m_deadlines.erase({timer.deadlineNs, timerId});
    timer.deadlineNs = deadlineNs;
    m_deadlines.insert({deadlineNs, timerId});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto found = m_timers.find(timerId);
    if (found == m_timers.end())
        return false;
    m_deadlines.erase({found->second.deadlineNs, timerId});
    m_timers.erase(found);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object != object) {
            ++it;
            continue;
        }
        m_deadlines.erase({it->second.deadlineNs, it->first});
        it = m_timers.erase(it);
        any = true;
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const
{
    QList<TimerInfo> timers;
    for (const auto& [timerId, timer] : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(timerId, static_cast<int>(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto found = m_timers.find(timerId);
    if (found == m_timers.end())
        return -1;
    const qint64 leftNs = found->second.deadlineNs - nowNs();
    return leftNs <= 0 ? 0 : static_cast<int>((leftNs + kNsPerMs - 1) / kNsPerMs);
}

bool EpollEventDispatcher::activateTimers()
{
    const qint64 now = nowNs();
    // Each timer expired at the start of the turn fires once in it, even a zero-interval one that is due again at once.
    std::vector<std::pair<int, quint64>> expired;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        expired.emplace_back(it->second, m_timers.at(it->second).serial);
    bool fired = false;
    for (const auto& [timerId, serial] : expired) {
        auto found = m_timers.find(timerId);
        if (found == m_timers.end() || found->second.serial != serial || found->second.delivering)
            continue; // stopped (or replaced) by an earlier timer's handler, or firing in an outer loop
        Timer& timer = found->second;
        // Like Qt: the next deadline follows the schedule, unless the loop fell a whole interval behind.
        const qint64 intervalNs = timer.intervalMs * kNsPerMs;
        const qint64 next = timer.deadlineNs + intervalNs;
        schedule(timerId, timer, next < now ? now + intervalNs : next);
        timer.delivering = true;
        QObject* object = timer.object;
        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        fired = true;
        // The handler may have stopped the timer, and m_timers may have rehashed: look it up again.
        found = m_timers.find(timerId);
        if (found != m_timers.end() && found->second.serial == serial)
            found->second.delivering = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakeUpPending.exchange(true))
        eventfd_write(m_wakeUpFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

} // namespace linkray
