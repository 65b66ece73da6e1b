#include "localcsms/metersamples.h"

#include <cmath>

namespace linkray::localcsms {

namespace {

const QString EnergyImportRegister = QStringLiteral("Energy.Active.Import.Register");

storage::MeterSample toSample(const ocpp::v16::SampledValue& sampled)
{
    storage::MeterSample sample;
    sample.measurand = sampled.measurand.value_or(EnergyImportRegister);
    sample.phase = sampled.phase.value_or(QString());
    sample.unit = sampled.unit.value_or(QStringLiteral("Wh"));
    sample.context = sampled.context.value_or(QStringLiteral("Sample.Periodic"));
    sample.location = sampled.location.value_or(QStringLiteral("Outlet"));
    sample.rawValue = sampled.value;
    if (sampled.format.value_or(QStringLiteral("Raw")) == QLatin1String("Raw")) {
        bool ok = false;
        const double value = sampled.value.toDouble(&ok);
        if (ok)
            sample.value = value;
    }
    return sample;
}

} // namespace

QList<storage::MeterSample> toMeterSamples(const QString& chargePointId, int connectorId,
    std::optional<qint64> transactionId, const QList<ocpp::v16::MeterValue>& meterValues)
{
    QList<storage::MeterSample> samples;
    for (const auto& meterValue : meterValues) {
        for (const auto& sampled : meterValue.sampledValue) {
            storage::MeterSample sample = toSample(sampled);
            sample.chargePointId = chargePointId;
            sample.connectorId = connectorId;
            sample.transactionId = transactionId;
            sample.timestamp = meterValue.timestamp;
            samples.append(sample);
        }
    }
    return samples;
}

std::optional<qint64> lastEnergyRegisterWh(const QList<storage::MeterSample>& samples)
{
    std::optional<qint64> last;
    QDateTime lastAt;
    for (const auto& sample : samples) {
        if (sample.measurand != EnergyImportRegister || !sample.phase.isEmpty() || !sample.value)
            continue;
        if (last && sample.timestamp < lastAt)
            continue;
        const double factor = sample.unit == QLatin1String("kWh") ? 1000.0 : 1.0;
        last = std::llround(*sample.value * factor);
        lastAt = sample.timestamp;
    }
    return last;
}

} // namespace linkray::localcsms
