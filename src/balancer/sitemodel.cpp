#include "balancer/sitemodel.h"

namespace linkray::balancer {

QString ConnectorId::toString() const
{
    return chargePointId + QLatin1Char('/') + QString::number(connectorId);
}

} // namespace linkray::balancer
