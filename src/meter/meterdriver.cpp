#include "meter/meterdriver.h"

#include "core/clock.h"
#include "meter/logging.h"

namespace linkray::meter {

QString meterStateName(MeterState state)
{
    switch (state) {
    case MeterState::Ok:
        return QStringLiteral("ok");
    case MeterState::Stale:
        return QStringLiteral("stale");
    case MeterState::Failed:
        break;
    }
    return QStringLiteral("failed");
}

void MeterDriver::setState(MeterState state, const QString& reason)
{
    if (state == m_state)
        return;
    m_state = state;
    m_failureReason = state == MeterState::Ok ? QString() : reason;
    if (state == MeterState::Ok)
        qCInfo(lcMeter) << "meter is ok again";
    else
        qCWarning(lcMeter).noquote() << "meter is" << meterStateName(state) << "-" << reason;
    Q_EMIT stateChanged(state);
    if (state != MeterState::Ok)
        Q_EMIT meterFailed(reason);
}

void MeterDriver::reportStaleSinceStart(const QString& reason)
{
    m_failureReason = reason;
    qCWarning(lcMeter).noquote() << "meter is" << meterStateName(m_state) << "-" << reason;
    Q_EMIT meterFailed(reason);
}

PolledMeter::PolledMeter(Clock& clock, const PollSettings& settings, const QString& address, QObject* parent)
    : MeterDriver(MeterState::Stale, QStringLiteral("no reading yet"), parent) // nothing is trusted before a reading
    , m_clock(clock)
    , m_settings(settings)
    , m_address(address)
    , m_timer(clock.createTimer())
{
    connect(m_timer.get(), &Timer::timeout, this, &PolledMeter::tick);
}

PolledMeter::~PolledMeter() = default;

void PolledMeter::start()
{
    m_missedPolls = 0;
    m_awaitingFirstReading = true;
    m_timer->start(m_settings.intervalMs);
    m_inFlight = true;
    beginPoll();
}

void PolledMeter::stop()
{
    m_timer->stop();
    if (m_inFlight)
        abandonPoll();
    m_inFlight = false;
}

void PolledMeter::tick()
{
    if (m_inFlight) {
        abandonPoll();
        m_inFlight = false;
        registerMiss(QStringLiteral("no answer within the poll interval of %1 ms").arg(m_settings.intervalMs));
    }
    m_inFlight = true;
    beginPoll();
}

void PolledMeter::finishPoll(MeterReading reading)
{
    if (!m_inFlight)
        return;
    m_inFlight = false;
    reading.timestamp = m_clock.nowUtc();
    validateReading(reading, m_settings.limits);
    if (!reading.trusted) {
        registerMiss(reading.untrustedReason);
        setState(MeterState::Failed, QStringLiteral("untrusted reading: %1").arg(reading.untrustedReason));
        return;
    }
    m_missedPolls = 0;
    m_awaitingFirstReading = false;
    setState(MeterState::Ok);
    Q_EMIT readingAvailable(reading);
}

void PolledMeter::failPoll(const QString& reason)
{
    if (!m_inFlight)
        return;
    m_inFlight = false;
    registerMiss(reason);
}

void PolledMeter::registerMiss(const QString& reason)
{
    if (reason != m_lastError)
        qCDebug(lcMeter).noquote() << "poll missed:" << reason;
    m_lastError = reason;
    Q_EMIT pollMissed(reason);
    ++m_missedPolls;
    if (m_missedPolls < m_settings.staleAfterPolls)
        return;
    if (state() == MeterState::Ok) {
        setState(MeterState::Stale, QStringLiteral("no reading for %1 polls: %2").arg(m_missedPolls).arg(reason));
    } else if (m_awaitingFirstReading) {
        // Stale since the start and silent about it until now: the same timeout as for a meter that stops answering.
        m_awaitingFirstReading = false;
        if (state() == MeterState::Stale)
            reportStaleSinceStart(QStringLiteral("no reading from %1 since start-up (%2 polls): %3")
                                      .arg(m_address)
                                      .arg(m_missedPolls)
                                      .arg(reason));
    }
}

} // namespace linkray::meter
