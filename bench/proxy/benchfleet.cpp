#include "benchfleet.h"

#include "linkrayprocess.h"

#include <algorithm>

namespace linkray::bench {

const QElapsedTimer& benchClock()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return clock;
}

double secondsSince(qint64 startNs)
{
    return static_cast<double>(benchClock().nsecsElapsed() - startNs) / 1e9;
}

double percentileMs(std::vector<qint64> samplesNs, double fraction)
{
    if (samplesNs.empty())
        return -1;
    const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(samplesNs.size() - 1));
    std::nth_element(samplesNs.begin(), samplesNs.begin() + static_cast<long>(rank), samplesNs.end());
    return static_cast<double>(samplesNs[rank]) / 1e6;
}

qint64 totalAnswered(const Fleet& fleet)
{
    qint64 total = 0;
    for (const auto& charger : fleet)
        total += charger->answered();
    return total;
}

qint64 totalErrors(const Fleet& fleet)
{
    qint64 total = 0;
    for (const auto& charger : fleet)
        total += charger->errors();
    return total;
}

qint64 totalRefused(const Fleet& fleet)
{
    qint64 total = 0;
    for (const auto& charger : fleet)
        total += charger->refused();
    return total;
}

bool allIdle(const Fleet& fleet)
{
    return std::all_of(fleet.begin(), fleet.end(), [](const auto& charger) { return charger->isIdle(); });
}

bool sendAndWait(Fleet& fleet, ChargerMessage message, qint64 perCharger)
{
    for (auto& charger : fleet)
        charger->send(message, perCharger);
    return runUntil([&] { return allIdle(fleet); }, kStallMs, [&] { return totalAnswered(fleet); });
}

} // namespace linkray::bench
