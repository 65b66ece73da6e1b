#include "meter/reading.h"

#include <QStringList>

#include <cmath>
#include <limits>

namespace linkray::meter {

namespace {
// Checks one value; returns the reason it is not plausible, or an empty string.
QString checkValue(const char* name, const std::optional<double>& value, double min, double max)
{
    if (!value)
        return {};
    const double v = *value;
    if (std::isnan(v))
        return QStringLiteral("%1 is NaN").arg(QLatin1String(name));
    if (std::isinf(v))
        return QStringLiteral("%1 is infinite").arg(QLatin1String(name));
    if (v < min && max == std::numeric_limits<double>::max())
        return QStringLiteral("%1 = %2 is negative").arg(QLatin1String(name)).arg(v);
    if (v < min || v > max)
        return QStringLiteral("%1 = %2 is outside the plausible range %3..%4")
            .arg(QLatin1String(name))
            .arg(v)
            .arg(min)
            .arg(max);
    return {};
}
} // namespace

void validateReading(MeterReading& reading, const ValidationLimits& limits)
{
    static const char* const voltageNames[] = {"voltage L1", "voltage L2", "voltage L3"};
    static const char* const currentNames[] = {"current L1", "current L2", "current L3"};
    static const char* const powerNames[] = {"power L1", "power L2", "power L3"};
    constexpr double unbounded = std::numeric_limits<double>::max();

    QStringList reasons;
    for (int phase = 0; phase < 3; ++phase) {
        reasons << checkValue(voltageNames[phase], reading.voltageV[phase], 0.0, limits.maxVoltageV);
        // Some makes report current signed with the power direction, others unsigned: both are plausible.
        reasons << checkValue(currentNames[phase], reading.currentA[phase], -limits.maxCurrentA, limits.maxCurrentA);
        reasons << checkValue(powerNames[phase], reading.powerW[phase], -limits.maxPowerW, limits.maxPowerW);
    }
    reasons << checkValue("total power", reading.totalPowerW, -3 * limits.maxPowerW, 3 * limits.maxPowerW);
    reasons << checkValue("imported energy", reading.importedWh, 0.0, unbounded);
    reasons << checkValue("exported energy", reading.exportedWh, 0.0, unbounded);
    reasons.removeAll(QString());
    if (!reasons.isEmpty())
        reading.distrust(reasons.first());
}

} // namespace linkray::meter
