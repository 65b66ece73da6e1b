#include "web/ratelimiter.h"

namespace linkray::web {

namespace {

// Beyond this many keys, expired ones are swept on each failure: a scan of many addresses cannot grow memory forever.
constexpr qsizetype kSweepAboveKeys = 1000;

} // namespace

RateLimiter::RateLimiter(Clock& clock, int maxFailures, qint64 windowMs)
    : m_clock(clock)
    , m_maxFailures(maxFailures)
    , m_windowMs(windowMs)
{
}

std::optional<qint64> RateLimiter::blockedForMs(const QString& key) const
{
    const auto failures = m_failures.constFind(key);
    if (failures == m_failures.cend())
        return std::nullopt;
    const qint64 now = m_clock.monotonicMs();
    qsizetype inWindow = 0;
    for (const qint64 at : *failures) {
        if (now - at < m_windowMs)
            ++inWindow;
    }
    if (inWindow < m_maxFailures)
        return std::nullopt;
    // Unblocked when enough failures have left the window for one more try.
    const qint64 releasingFailure = failures->at(failures->size() - m_maxFailures);
    return releasingFailure + m_windowMs - now;
}

void RateLimiter::recordFailure(const QString& key)
{
    if (m_failures.size() > kSweepAboveKeys)
        forgetExpired();
    QList<qint64>& failures = m_failures[key];
    const qint64 now = m_clock.monotonicMs();
    failures.removeIf([this, now](qint64 at) { return now - at >= m_windowMs; });
    failures.append(now);
}

void RateLimiter::forgetExpired()
{
    const qint64 now = m_clock.monotonicMs();
    m_failures.removeIf([this, now](const auto& entry) { return now - entry.value().last() >= m_windowMs; });
}

} // namespace linkray::web
