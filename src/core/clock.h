#pragma once

#include <QDateTime>
#include <QObject>

#include <memory>
#include <vector>

namespace linkray {

class Clock;

// A timer owned by a Clock, shaped like QTimer, so that tests can run timeouts in simulated time. A proxied charger
// holds several, so a system timer is a native timer of this object rather than a QTimer child (docs/performance.md).
class Timer : public QObject {
    Q_OBJECT
public:
    ~Timer() override;

    void start(qint64 intervalMs);
    void stop();
    bool isActive() const { return m_active; }
    void setSingleShot(bool singleShot) { m_singleShot = singleShot; }
    bool isSingleShot() const { return m_singleShot; }
    qint64 intervalMs() const { return m_intervalMs; }

Q_SIGNALS:
    void timeout();

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    friend class Clock; // its protected helpers let clocks drive timers
    friend class SystemClock;
    friend class ManualClock;
    explicit Timer(Clock& clock);
    void fire();

    Clock& m_clock;
    bool m_active = false;
    bool m_singleShot = false;
    qint64 m_intervalMs = 0;
    qint64 m_dueMs = 0;
    int m_systemTimerId = 0; // SystemClock: the QObject timer that drives this one; 0 while stopped
};

// The one source of time for every module: wall-clock time for timestamps, monotonic time and timers for timeouts.
class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    virtual qint64 monotonicMs() const = 0;
    virtual std::unique_ptr<Timer> createTimer() = 0;

protected:
    friend class Timer;
    Timer* makeTimer() { return new Timer(*this); }
    virtual void timerStarted(Timer& timer) = 0;
    virtual void timerStopped(Timer& timer) = 0;
    static void fireTimer(Timer& timer) { timer.fire(); }
    static qint64 dueMs(const Timer& timer) { return timer.m_dueMs; }
    static void setDueMs(Timer& timer, qint64 dueMs) { timer.m_dueMs = dueMs; }
};

// Real time, backed by QTimer. A time scale above 1 makes it run faster from the moment it is made (the bench
// simulator passes a day in minutes): timestamps start at the real time and run ahead, timers fire sooner.
class SystemClock final : public Clock {
public:
    explicit SystemClock(double timeScale = 1.0);

    QDateTime nowUtc() const override;
    qint64 monotonicMs() const override;
    std::unique_ptr<Timer> createTimer() override;
    double timeScale() const { return m_timeScale; }

protected:
    void timerStarted(Timer& timer) override;
    void timerStopped(Timer& timer) override;

private:
    double m_timeScale;
    QDateTime m_startUtc;
    qint64 m_startMonotonicMs;
};

// Simulated time for tests: nothing moves until advance() is called, which fires due timers in order.
// Timers it creates must not outlive it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));

    QDateTime nowUtc() const override;
    qint64 monotonicMs() const override { return m_elapsedMs; }
    std::unique_ptr<Timer> createTimer() override;

    void advance(qint64 ms);
    void setNowUtc(const QDateTime& now);
    int activeTimerCount() const { return static_cast<int>(m_active.size()); }

protected:
    void timerStarted(Timer& timer) override;
    void timerStopped(Timer& timer) override;

private:
    QDateTime m_start;
    qint64 m_elapsedMs = 0;
    std::vector<Timer*> m_active;
};

} // namespace linkray
