#include "sim/siteload.h"

#include "sim/chargepoint.h"

#include <QJsonArray>

#include <algorithm>

namespace linkray::sim {

namespace {

std::optional<PhaseCurrents> fromList(const QList<double>& values)
{
    if (values.size() != 1 && values.size() != 3)
        return std::nullopt;
    if (std::any_of(values.begin(), values.end(), [](double value) { return !(value >= 0); }))
        return std::nullopt;
    return values.size() == 1 ? PhaseCurrents {values[0], values[0], values[0]}
                              : PhaseCurrents {values[0], values[1], values[2]};
}

} // namespace

std::optional<PhaseCurrents> baseLoadFromText(const QString& text)
{
    QList<double> values;
    for (const QString& part : text.split(QLatin1Char(','))) {
        bool ok = false;
        values.append(part.trimmed().toDouble(&ok));
        if (!ok)
            return std::nullopt;
    }
    return fromList(values);
}

std::optional<PhaseCurrents> baseLoadFromJson(const QJsonValue& value)
{
    QList<double> values;
    const QJsonArray array = value.isArray() ? value.toArray() : QJsonArray {value};
    for (const QJsonValue& each : array) {
        if (!each.isDouble())
            return std::nullopt;
        values.append(each.toDouble());
    }
    return fromList(values);
}

SiteLoad::SiteLoad(Clock& clock, PhaseCurrents baseLoadA, double voltageV, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_baseLoadA(baseLoadA)
    , m_voltageV(voltageV)
    , m_integratedUntilMs(clock.monotonicMs())
{
}

void SiteLoad::setBaseLoad(PhaseCurrents baseLoadA)
{
    if (baseLoadA == m_baseLoadA)
        return;
    integrate();
    m_baseLoadA = baseLoadA;
    Q_EMIT changed();
}

void SiteLoad::setDraw(const QString& source, PhaseCurrents drawA)
{
    const auto known = m_draws.constFind(source);
    if (known != m_draws.constEnd() && *known == drawA)
        return;
    integrate();
    m_draws.insert(source, drawA);
    Q_EMIT changed();
}

void SiteLoad::addCharger(const ChargePoint& chargePoint)
{
    const ChargePoint* source = &chargePoint;
    setDraw(source->id(), source->siteDrawA());
    connect(source, &ChargePoint::drawChanged, this, [this, source] { setDraw(source->id(), source->siteDrawA()); });
}

meter::MeterReading SiteLoad::reading()
{
    integrate();
    meter::MeterReading reading;
    const PhaseCurrents currents = totalCurrents();
    double total = 0;
    for (size_t phase = 0; phase < currents.size(); ++phase) {
        reading.voltageV[phase] = m_voltageV;
        reading.currentA[phase] = currents[phase];
        reading.powerW[phase] = currents[phase] * m_voltageV;
        total += currents[phase] * m_voltageV;
    }
    reading.totalPowerW = total;
    reading.importedWh = m_importedWh;
    reading.exportedWh = 0; // nothing on the simulated site feeds power back
    reading.timestamp = m_clock.nowUtc();
    return reading;
}

PhaseCurrents SiteLoad::totalCurrents() const
{
    PhaseCurrents total = m_baseLoadA;
    for (const PhaseCurrents& draw : m_draws) {
        for (size_t phase = 0; phase < total.size(); ++phase)
            total[phase] += draw[phase];
    }
    return total;
}

void SiteLoad::integrate()
{
    const qint64 now = m_clock.monotonicMs();
    const PhaseCurrents currents = totalCurrents();
    const double watts = (currents[0] + currents[1] + currents[2]) * m_voltageV;
    m_importedWh += watts * static_cast<double>(now - m_integratedUntilMs) / 3'600'000.0;
    m_integratedUntilMs = now;
}

} // namespace linkray::sim
