#pragma once

#include <QtGlobal>

#include <random>

namespace linkray::upstream {

// How long to wait before reconnecting: exponential growth with full jitter, so that a whole site that lost its
// CSMS at once does not come back in lockstep. See docs/upstream.md for the sequence.
struct Backoff {
    qint64 initialMs = 1000; // ceiling after the first failure
    double factor = 2.0; // ceiling growth per further failure
    qint64 maxMs = 60000; // the ceiling never exceeds this
    qint64 resetAfterOpenMs = 30000; // a connection that stayed open this long starts the sequence again
};

// The ceiling of the delay after `failures` consecutive failures (1 = the first): min(maxMs, initialMs ·
// factor^(failures − 1)); 0 for failures < 1.
qint64 backoffCeilingMs(const Backoff& backoff, int failures);

// The random source of the jitter. Every proxied charger's upstream holds one, and QRandomGenerator carries a
// 2.5 KB Mersenne Twister state: 5 % of the memory budget per charger (docs/performance.md), for a few draws an hour.
// Not std::minstd_rand (8 bytes): its first draw from a small seed is always near 0.
using JitterGenerator = std::ranlux24_base;

// Full jitter: a delay drawn uniformly from [0, backoffCeilingMs(backoff, failures)].
qint64 backoffDelayMs(const Backoff& backoff, int failures, JitterGenerator& random);

} // namespace linkray::upstream
