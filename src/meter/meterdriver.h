#pragma once

#include "meter/reading.h"

#include <QObject>

#include <memory>

namespace linkray {
class Clock;
class Timer;
} // namespace linkray

namespace linkray::meter {

// Ok: trusted readings arrive. Stale: no trusted reading for the configured number of polls (no answer,
// timeouts, transport errors). Failed: the meter answers with nonsense (implausible values, wrong model).
enum class MeterState { Ok, Stale, Failed };

QString meterStateName(MeterState state);

// A site meter as the balancer sees it: started and stopped, it reports trusted readings or says why it has none.
class MeterDriver : public QObject {
    Q_OBJECT
public:
    explicit MeterDriver(MeterState initial = MeterState::Ok, const QString& reason = {}, QObject* parent = nullptr)
        : QObject(parent)
        , m_state(initial)
        , m_failureReason(reason)
    {
    }

    virtual void start() = 0;
    virtual void stop() = 0;
    MeterState state() const { return m_state; }
    // Why the meter is not Ok; empty while it is.
    QString failureReason() const { return m_failureReason; }

Q_SIGNALS:
    // Only trusted readings are reported.
    void readingAvailable(const linkray::meter::MeterReading& reading);
    // Emitted once each time the meter leaves Ok (or changes between Stale and Failed), with the reason; and once
    // for a meter that has given no trusted reading since it started when the stale timeout has passed (its state
    // stays Stale, its reason changes from "no reading yet" to why).
    void meterFailed(const QString& reason);
    void stateChanged(linkray::meter::MeterState state);
    // A poll brought no trusted reading (no answer, a transport error, an untrusted value), with why.
    void pollMissed(const QString& reason);

protected:
    void setState(MeterState state, const QString& reason = {});
    // Says why the meter has been Stale since it started, once its wait for a first reading is over.
    void reportStaleSinceStart(const QString& reason);

private:
    MeterState m_state;
    QString m_failureReason;
};

// No meter: reports nothing and is never stale; the balancer uses its static site limit.
class StaticMeter final : public MeterDriver {
    Q_OBJECT
public:
    explicit StaticMeter(QObject* parent = nullptr)
        : MeterDriver(MeterState::Ok, {}, parent)
    {
    }
    void start() override { }
    void stop() override { }
};

struct PollSettings {
    qint64 intervalMs = 1000;
    int staleAfterPolls = 3; // polls in a row without a trusted reading before the meter is stale
    ValidationLimits limits;
};

// The polling and staleness rules shared by the drivers: a poll every interval (from the Clock). A poll that fails,
// returns an untrusted reading or is still running at the next tick (then abandoned) is missed; the meter is stale
// once staleAfterPolls polls in a row are missed, and Ok again with the next trusted reading. A meter that has given
// no trusted reading since start() is stale from the start, and says why once staleAfterPolls polls are missed.
class PolledMeter : public MeterDriver {
    Q_OBJECT
public:
    // `address` names the meter in a reason, e.g. "192.168.1.50:502", "/dev/ttyUSB0", "http://192.168.1.61/status".
    PolledMeter(Clock& clock, const PollSettings& settings, const QString& address, QObject* parent = nullptr);
    ~PolledMeter() override;

    void start() override;
    void stop() override;
    const PollSettings& settings() const { return m_settings; }

protected:
    // Starts one poll; the driver answers with finishPoll() or failPoll(), at most once per poll.
    virtual void beginPoll() = 0;
    // Drops a poll that has not answered by the next tick; later answers to it must be ignored.
    virtual void abandonPoll() = 0;
    void finishPoll(MeterReading reading);
    void failPoll(const QString& reason);

private:
    void tick();
    void registerMiss(const QString& reason);

    Clock& m_clock;
    PollSettings m_settings;
    QString m_address;
    std::unique_ptr<Timer> m_timer;
    bool m_inFlight = false;
    int m_missedPolls = 0;
    bool m_awaitingFirstReading = true; // since start(): no trusted reading yet, and no reason given for it
    QString m_lastError;
};

} // namespace linkray::meter

Q_DECLARE_METATYPE(linkray::meter::MeterState)
