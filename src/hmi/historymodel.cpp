#include "hmi/historymodel.h"

#include "hmi/logging.h"

#include <QXYSeries>

#include <algorithm>
#include <cmath>

namespace linkray::hmi {

namespace {

qreal largestY(const QList<QPointF>& points)
{
    qreal largest = 0.0;
    for (const QPointF& point : points)
        largest = std::max(largest, point.y());
    return largest;
}

void fillSeries(QObject* series, const QList<QPointF>& points)
{
    auto* xySeries = qobject_cast<QXYSeries*>(series);
    if (!xySeries) {
        qCWarning(lcHmi) << "A power curve can only fill a line series, not" << series;
        return;
    }
    xySeries->replace(points);
}

} // namespace

qreal roundAxisMaximum(qreal value)
{
    if (!(value > 1.0))
        return 1.0;
    const qreal magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const qreal step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

HistoryModel::HistoryModel(const QLocale& locale, QObject* parent)
    : QObject(parent)
    , m_locale(locale)
{
}

void HistoryModel::setDailyEnergy(const QList<DailyEnergy>& days)
{
    if (days == m_days)
        return;
    m_days = days;
    Q_EMIT dailyEnergyChanged();
}

void HistoryModel::setSitePowerToday(const QList<QPointF>& hoursAndKW)
{
    m_sitePower = hoursAndKW;
    Q_EMIT sitePowerChanged();
}

void HistoryModel::setChargerPowerToday(const QString& chargePointId, int connectorId, const QList<QPointF>& hoursAndKW)
{
    m_chargerPower.insert(connectorKey(chargePointId, connectorId), hoursAndKW);
    Q_EMIT chargerPowerChanged(chargePointId, connectorId);
}

void HistoryModel::fillSitePower(QObject* series) const
{
    fillSeries(series, m_sitePower);
}

void HistoryModel::fillChargerPower(QObject* series, const QString& chargePointId, int connectorId) const
{
    fillSeries(series, m_chargerPower.value(connectorKey(chargePointId, connectorId)));
}

qreal HistoryModel::chargerPowerAxisMaxKW(const QString& chargePointId, int connectorId) const
{
    return roundAxisMaximum(largestY(m_chargerPower.value(connectorKey(chargePointId, connectorId))));
}

QStringList HistoryModel::dayLabels() const
{
    QStringList labels;
    for (const DailyEnergy& day : m_days)
        labels.append(m_locale.dayName(day.day.dayOfWeek(), QLocale::ShortFormat));
    return labels;
}

QVariantList HistoryModel::dailyEnergyKWh() const
{
    QVariantList energies;
    for (const DailyEnergy& day : m_days)
        energies.append(day.energyKWh);
    return energies;
}

qreal HistoryModel::energyAxisMaxKWh() const
{
    qreal largest = 0.0;
    for (const DailyEnergy& day : m_days)
        largest = std::max(largest, day.energyKWh);
    return roundAxisMaximum(largest);
}

qreal HistoryModel::sitePowerAxisMaxKW() const
{
    return roundAxisMaximum(largestY(m_sitePower));
}

QString HistoryModel::connectorKey(const QString& chargePointId, int connectorId)
{
    return chargePointId + QLatin1Char('\n') + QString::number(connectorId);
}

} // namespace linkray::hmi
