#pragma once

#include "core/clock.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::web {

// Counts failures per key (a client address, a user name) in a sliding window; a key with maxFailures in the
// window is blocked until the oldest of them leaves it. Time comes from the injected clock's monotonic time.
class RateLimiter {
public:
    RateLimiter(Clock& clock, int maxFailures, qint64 windowMs);

    // How long `key` is still blocked, in ms; nullopt when it may try now.
    std::optional<qint64> blockedForMs(const QString& key) const;
    void recordFailure(const QString& key);

private:
    void forgetExpired();

    Clock& m_clock;
    int m_maxFailures;
    qint64 m_windowMs;
    QHash<QString, QList<qint64>> m_failures; // key -> monotonic times of its failures in the window, oldest first
};

} // namespace linkray::web
