#include "hmi/siteviewmodel.h"

#include <QVariantMap>

#include <algorithm>

namespace linkray::hmi {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
// From this share of its limit a phase's bar turns amber: the balancer is about to hold chargers back.
constexpr double kNearLimitRatio = 0.9;

} // namespace

SiteViewModel::SiteViewModel(Clock& clock, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_minuteTimer(clock.createTimer())
{
    m_minuteTimer->setSingleShot(true);
    connect(m_minuteTimer.get(), &Timer::timeout, this, &SiteViewModel::updateTime);
    updateTime();
}

SiteViewModel::~SiteViewModel() = default;

void SiteViewModel::setPhases(const QList<PhaseLoad>& phases)
{
    const bool same = std::equal(m_phases.cbegin(), m_phases.cend(), phases.cbegin(), phases.cend(),
        [](const PhaseLoad& a, const PhaseLoad& b) { return a.currentA == b.currentA && a.limitA == b.limitA; });
    if (same)
        return;
    m_phases = phases;
    Q_EMIT phasesChanged();
}

void SiteViewModel::setMeterState(MeterState::Value state)
{
    if (state == m_meterState)
        return;
    m_meterState = state;
    Q_EMIT meterStateChanged();
}

void SiteViewModel::setCsmsLink(LinkState::Value state)
{
    if (state == m_csmsLink)
        return;
    const bool backlogVisibleBefore = backlogVisible();
    m_csmsLink = state;
    Q_EMIT csmsLinkChanged();
    notifyBacklogVisibility(backlogVisibleBefore);
}

void SiteViewModel::setBacklog(int messages)
{
    if (messages == m_backlog)
        return;
    const bool backlogVisibleBefore = backlogVisible();
    m_backlog = messages;
    Q_EMIT backlogChanged();
    notifyBacklogVisibility(backlogVisibleBefore);
}

void SiteViewModel::setNetwork(NetworkState::Value state)
{
    if (state == m_network)
        return;
    m_network = state;
    Q_EMIT networkChanged();
}

void SiteViewModel::setAlerts(const QList<SiteAlert>& alerts)
{
    if (alerts == m_alerts)
        return;
    m_alerts = alerts;
    Q_EMIT alertsChanged();
}

QVariantList SiteViewModel::phases() const
{
    QVariantList phases;
    for (qsizetype i = 0; i < m_phases.size(); ++i) {
        const PhaseLoad& phase = m_phases[i];
        // A plain flag and value rather than an optional: GCC 12 at -O2 reports the optional as maybe uninitialised.
        const bool ratioKnown = phase.currentA && phase.limitA > 0.0;
        const double ratio = ratioKnown ? phase.currentA.value_or(0.0) / phase.limitA : 0.0;
        phases.append(QVariantMap {
            {QStringLiteral("name"), QStringLiteral("L%1").arg(i + 1)},
            {QStringLiteral("currentA"), phase.currentA ? QVariant(*phase.currentA) : QVariant()},
            {QStringLiteral("limitA"), phase.limitA},
            {QStringLiteral("ratio"), ratioKnown ? QVariant(ratio) : QVariant()},
            {QStringLiteral("nearLimit"), ratioKnown && ratio >= kNearLimitRatio},
            {QStringLiteral("overLimit"), ratioKnown && ratio > 1.0},
        });
    }
    return phases;
}

bool SiteViewModel::backlogVisible() const
{
    return m_csmsLink == LinkState::Down || (m_csmsLink != LinkState::NotConfigured && m_backlog > 0);
}

QVariantList SiteViewModel::alerts() const
{
    QVariantList alerts;
    for (const SiteAlert& alert : m_alerts) {
        alerts.append(QVariantMap {
            {QStringLiteral("kind"), static_cast<int>(alert.kind)},
            {QStringLiteral("subject"), alert.subject},
        });
    }
    return alerts;
}

void SiteViewModel::notifyBacklogVisibility(bool visibleBefore)
{
    if (backlogVisible() != visibleBefore)
        Q_EMIT backlogVisibleChanged();
}

void SiteViewModel::updateTime()
{
    const QDateTime now = m_clock.nowUtc().toLocalTime();
    const QString text = now.toString(QStringLiteral("HH:mm"));
    if (text != m_timeText) {
        m_timeText = text;
        Q_EMIT timeTextChanged();
    }
    // Wakes at the next full minute rather than every second: fewer frames on a small board.
    const qint64 intoMinuteMs = now.time().second() * 1000LL + now.time().msec();
    m_minuteTimer->start(kMinuteMs - intoMinuteMs);
}

} // namespace linkray::hmi
