#include "upstream/backoff.h"

#include <algorithm>
#include <cmath>

namespace linkray::upstream {

qint64 backoffCeilingMs(const Backoff& backoff, int failures)
{
    if (failures < 1)
        return 0;
    // Computed in double and clamped before converting, so that a long outage cannot overflow qint64.
    const double ceiling = static_cast<double>(backoff.initialMs) * std::pow(backoff.factor, failures - 1);
    const double capped = std::min(ceiling, static_cast<double>(backoff.maxMs));
    return std::max<qint64>(0, std::llround(capped));
}

qint64 backoffDelayMs(const Backoff& backoff, int failures, JitterGenerator& random)
{
    const qint64 ceiling = backoffCeilingMs(backoff, failures);
    return ceiling > 0 ? std::uniform_int_distribution<qint64>(0, ceiling)(random) : 0;
}

} // namespace linkray::upstream
