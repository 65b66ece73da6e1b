#include "balancer/chargerobservation.h"

#include <algorithm>

namespace linkray::balancer {

namespace v16 = ocpp::v16;

namespace {

// OCPP names phases as L1, L2, L3 and, against the neutral, L1-N, L2-N, L3-N.
std::optional<int> phaseIndexOf(const QString& phase)
{
    for (int index = 0; index < 3; ++index) {
        const QString name = QStringLiteral("L%1").arg(index + 1);
        if (phase == name || phase == name + QStringLiteral("-N"))
            return index;
    }
    return std::nullopt;
}

std::optional<double> numberIn(const v16::SampledValue& sample)
{
    if (sample.format.value_or(QString()) == QLatin1String("SignedData"))
        return std::nullopt;
    bool ok = false;
    const double value = sample.value.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

bool isMeasurand(const v16::SampledValue& sample, QLatin1String measurand)
{
    return sample.measurand.value_or(QStringLiteral("Energy.Active.Import.Register")) == measurand;
}

} // namespace

std::optional<ConnectorObservation> observationFrom(const v16::StatusNotificationRequest& status)
{
    if (status.connectorId < 1)
        return std::nullopt;
    ConnectorObservation observation;
    observation.status = status.status;
    return observation;
}

std::optional<ConnectorObservation> observationFrom(const v16::MeterValuesRequest& meterValues)
{
    if (meterValues.connectorId < 1 || meterValues.meterValue.isEmpty())
        return std::nullopt;
    const auto newest = std::max_element(meterValues.meterValue.cbegin(), meterValues.meterValue.cend(),
        [](const v16::MeterValue& a, const v16::MeterValue& b) { return a.timestamp < b.timestamp; });
    ConnectorObservation observation;
    PhaseValues current {};
    bool phased = false;
    std::optional<double> unphased;
    for (const v16::SampledValue& sample : newest->sampledValue) {
        const std::optional<double> value = numberIn(sample);
        if (!value)
            continue;
        if (isMeasurand(sample, QLatin1String("Current.Import"))) {
            if (!sample.phase) {
                unphased = *value;
            } else if (const auto index = phaseIndexOf(*sample.phase)) {
                current[static_cast<size_t>(*index)] = *value;
                phased = true;
            }
        } else if (isMeasurand(sample, QLatin1String("Power.Active.Import")) && !sample.phase) {
            const bool kilowatts = sample.unit.value_or(QString()) == QLatin1String("kW");
            observation.powerActiveImportW = kilowatts ? *value * 1000.0 : *value;
        }
    }
    if (!phased && unphased)
        current[0] = *unphased;
    if (phased || unphased)
        observation.currentImportA = current;
    if (!observation.currentImportA && !observation.powerActiveImportW)
        return std::nullopt;
    return observation;
}

} // namespace linkray::balancer
