#include "core/clock.h"

#include <QElapsedTimer>
#include <QTimerEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace linkray {

Timer::Timer(Clock& clock)
    : m_clock(clock)
{
}

Timer::~Timer()
{
    stop();
}

void Timer::start(qint64 intervalMs)
{
    stop();
    m_intervalMs = std::max<qint64>(0, intervalMs);
    m_active = true;
    m_clock.timerStarted(*this);
}

void Timer::stop()
{
    if (!m_active)
        return;
    m_active = false;
    m_clock.timerStopped(*this);
}

void Timer::timerEvent(QTimerEvent* event)
{
    if (event->timerId() == m_systemTimerId)
        fire();
    else
        QObject::timerEvent(event);
}

void Timer::fire()
{
    if (m_singleShot)
        stop();
    Q_EMIT timeout();
}

namespace {
qint64 processMonotonicMs()
{
    static QElapsedTimer elapsed = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return elapsed.elapsed();
}
} // namespace

SystemClock::SystemClock(double timeScale)
    : m_timeScale(timeScale > 0 ? timeScale : 1.0)
    , m_startUtc(QDateTime::currentDateTimeUtc())
    , m_startMonotonicMs(processMonotonicMs())
{
}

QDateTime SystemClock::nowUtc() const
{
    // At scale 1 the wall clock is read directly, so that NTP corrections reach every timestamp.
    if (m_timeScale == 1.0)
        return QDateTime::currentDateTimeUtc();
    return m_startUtc.addMSecs(monotonicMs() - m_startMonotonicMs);
}

qint64 SystemClock::monotonicMs() const
{
    const qint64 realMs = processMonotonicMs();
    return m_startMonotonicMs + std::llround(static_cast<double>(realMs - m_startMonotonicMs) * m_timeScale);
}

std::unique_ptr<Timer> SystemClock::createTimer()
{
    return std::unique_ptr<Timer>(makeTimer());
}

void SystemClock::timerStarted(Timer& timer)
{
    const double realMs = std::round(static_cast<double>(timer.intervalMs()) / m_timeScale);
    timer.m_systemTimerId = timer.startTimer(
        static_cast<int>(std::min<double>(realMs, std::numeric_limits<int>::max())), Qt::PreciseTimer);
}

void SystemClock::timerStopped(Timer& timer)
{
    if (timer.m_systemTimerId != 0)
        timer.killTimer(timer.m_systemTimerId);
    timer.m_systemTimerId = 0;
}

ManualClock::ManualClock(QDateTime start)
    : m_start(std::move(start))
{
}

QDateTime ManualClock::nowUtc() const
{
    return m_start.addMSecs(m_elapsedMs);
}

std::unique_ptr<Timer> ManualClock::createTimer()
{
    return std::unique_ptr<Timer>(makeTimer());
}

void ManualClock::setNowUtc(const QDateTime& now)
{
    m_start = now.addMSecs(-m_elapsedMs);
}

void ManualClock::advance(qint64 ms)
{
    const qint64 target = m_elapsedMs + std::max<qint64>(0, ms);
    for (;;) {
        auto next = std::min_element(
            m_active.begin(), m_active.end(), [](Timer* a, Timer* b) { return dueMs(*a) < dueMs(*b); });
        if (next == m_active.end() || dueMs(**next) > target)
            break;
        Timer* timer = *next;
        m_elapsedMs = std::max(m_elapsedMs, dueMs(*timer));
        if (!timer->isSingleShot())
            setDueMs(*timer, m_elapsedMs + std::max<qint64>(1, timer->intervalMs()));
        fireTimer(*timer);
    }
    // A timeout handler may itself have advanced the clock further: time never moves back.
    m_elapsedMs = std::max(m_elapsedMs, target);
}

void ManualClock::timerStarted(Timer& timer)
{
    setDueMs(timer, m_elapsedMs + timer.intervalMs());
    m_active.push_back(&timer);
}

void ManualClock::timerStopped(Timer& timer)
{
    m_active.erase(std::remove(m_active.begin(), m_active.end(), &timer), m_active.end());
}

} // namespace linkray
