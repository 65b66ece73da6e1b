#pragma once

#include <QDate>
#include <QHash>
#include <QList>
#include <QLocale>
#include <QObject>
#include <QPointF>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace linkray::hmi {

struct DailyEnergy {
    QDate day;
    double energyKWh = 0.0;

    bool operator==(const DailyEnergy& other) const { return day == other.day && energyKWh == other.energyKWh; }
};

// The history charts: energy per day (today and the days before) and power across today, for the site and per
// connector. Power curves are points of (hours since local midnight, kW), as the application samples them.
class HistoryModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The application feeds the history")
    Q_PROPERTY(QStringList dayLabels READ dayLabels NOTIFY dailyEnergyChanged FINAL)
    Q_PROPERTY(QVariantList dailyEnergyKWh READ dailyEnergyKWh NOTIFY dailyEnergyChanged FINAL)
    Q_PROPERTY(qreal energyAxisMaxKWh READ energyAxisMaxKWh NOTIFY dailyEnergyChanged FINAL)
    Q_PROPERTY(qreal sitePowerAxisMaxKW READ sitePowerAxisMaxKW NOTIFY sitePowerChanged FINAL)
public:
    // `locale` names the days on the axis ("Mon" or "Mo."): a week's bars fit at 800x480 with the weekday alone.
    explicit HistoryModel(const QLocale& locale, QObject* parent = nullptr);

    // Oldest first; the view shows them as given (LinkRay passes today and the 6 days before).
    void setDailyEnergy(const QList<DailyEnergy>& days);
    void setSitePowerToday(const QList<QPointF>& hoursAndKW);
    void setChargerPowerToday(const QString& chargePointId, int connectorId, const QList<QPointF>& hoursAndKW);

    // Fill a chart's LineSeries (any QXYSeries) with a curve; other objects are ignored with a warning.
    Q_INVOKABLE void fillSitePower(QObject* series) const;
    Q_INVOKABLE void fillChargerPower(QObject* series, const QString& chargePointId, int connectorId) const;
    Q_INVOKABLE qreal chargerPowerAxisMaxKW(const QString& chargePointId, int connectorId) const;

    QStringList dayLabels() const;
    QVariantList dailyEnergyKWh() const; // numbers, as a BarSet takes them
    qreal energyAxisMaxKWh() const;
    qreal sitePowerAxisMaxKW() const;

Q_SIGNALS:
    void dailyEnergyChanged();
    void sitePowerChanged();
    void chargerPowerChanged(const QString& chargePointId, int connectorId);

private:
    static QString connectorKey(const QString& chargePointId, int connectorId);

    QLocale m_locale;
    QList<DailyEnergy> m_days;
    QList<QPointF> m_sitePower;
    QHash<QString, QList<QPointF>> m_chargerPower; // connectorKey -> curve
};

// The smallest of 1, 2 or 5 times a power of ten at or above `value` (at least 1): a chart axis's round maximum.
qreal roundAxisMaximum(qreal value);

} // namespace linkray::hmi
