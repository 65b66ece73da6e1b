#pragma once

#include "benchcharger.h"

#include <QElapsedTimer>

#include <memory>
#include <vector>

// The benchmarks' chargers as a group, and the statistics of their round trips (bench_proxy, bench_hmi).
namespace linkray::bench {

inline constexpr int kStallMs = 30000; // no progress for this long fails a step

using Fleet = std::vector<std::unique_ptr<BenchCharger>>;

// Benchmark-wide clock: charger send times and CSMS receive times compare on it.
const QElapsedTimer& benchClock();
double secondsSince(qint64 startNs);

// The round trip at `fraction` (0.5: the median) in ms; -1 without samples.
double percentileMs(std::vector<qint64> samplesNs, double fraction);

qint64 totalAnswered(const Fleet& fleet);
qint64 totalErrors(const Fleet& fleet);
qint64 totalRefused(const Fleet& fleet);
bool allIdle(const Fleet& fleet);
// Sends `perCharger` calls from every charger and waits until all are answered; false when they stall.
bool sendAndWait(Fleet& fleet, ChargerMessage message, qint64 perCharger);

} // namespace linkray::bench
