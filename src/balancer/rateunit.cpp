#include "balancer/rateunit.h"

#include <QStringList>

namespace linkray::balancer {

RateUnit chooseRateUnit(std::optional<RateUnit> configured, bool hasDc, const std::optional<QString>& allowedByCharger)
{
    if (configured)
        return *configured;
    const RateUnit preferred = hasDc ? RateUnit::Watts : RateUnit::Amperes;
    if (!allowedByCharger)
        return preferred;
    bool current = false;
    bool power = false;
    for (const QString& item : allowedByCharger->split(QLatin1Char(','))) {
        const QString unit = item.trimmed();
        current = current || unit.compare(QLatin1String("Current"), Qt::CaseInsensitive) == 0;
        power = power || unit.compare(QLatin1String("Power"), Qt::CaseInsensitive) == 0;
    }
    // A value that names neither says nothing: the kind's unit, as without an answer.
    if (current == power)
        return preferred;
    return power ? RateUnit::Watts : RateUnit::Amperes;
}

} // namespace linkray::balancer
