#pragma once

#include "ocpp/messages.h"
#include "storage/repositories.h"

#include <QList>
#include <QString>

#include <optional>

// From the charger's MeterValue lists to stored samples, with the spec's defaults for what the charger left out.
namespace linkray::localcsms {

QList<storage::MeterSample> toMeterSamples(const QString& chargePointId, int connectorId,
    std::optional<qint64> transactionId, const QList<ocpp::v16::MeterValue>& meterValues);

// The newest energy register reading among `samples`, in Wh, for closing a transaction the charger abandoned.
std::optional<qint64> lastEnergyRegisterWh(const QList<storage::MeterSample>& samples);

} // namespace linkray::localcsms
