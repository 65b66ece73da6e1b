#include "hmi/viewstates.h"

#include <QHash>

namespace linkray::hmi::ConnectorState {

Value fromOcppStatus(const QString& status)
{
    static const QHash<QString, Value> states {
        {QStringLiteral("Available"), Available},
        {QStringLiteral("Preparing"), Occupied},
        {QStringLiteral("Finishing"), Occupied},
        {QStringLiteral("Reserved"), Occupied},
        {QStringLiteral("Charging"), Charging},
        {QStringLiteral("SuspendedEV"), Suspended},
        {QStringLiteral("SuspendedEVSE"), Suspended},
        {QStringLiteral("Faulted"), Faulted},
        {QStringLiteral("Unavailable"), Unavailable},
    };
    return states.value(status, Unavailable);
}

} // namespace linkray::hmi::ConnectorState
