#include "storage/statisticsrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

// Readings of the whole charger at its outlet (OCPP's defaults when the charger leaves them out), in Wh or W.
const QString kWholeChargerReading = QStringLiteral(
    "coalesce(m.phase, '') = '' AND coalesce(m.location, 'Outlet') = 'Outlet' AND m.value IS NOT NULL");
const QString kValueInBaseUnit
    = QStringLiteral("CASE WHEN m.unit IN ('kWh', 'kW') THEN m.value * 1000.0 ELSE m.value END");
const QString kEnergyRegister = QStringLiteral("'Energy.Active.Import.Register'");

const QString kOverlapping = QStringLiteral(
    "started_at < ? AND (stopped_at IS NULL OR stopped_at >= ?) AND (coalesce(?, '') = '' OR charge_point_id = ?)");

QVariantList overlapValues(const QDateTime& from, const QDateTime& to, const QString& chargePointId)
{
    return {sql::fromTime(to), sql::fromTime(from), chargePointId, chargePointId};
}

} // namespace

QList<TransactionSpan> StatisticsRepository::transactionsOverlapping(
    const QDateTime& from, const QDateTime& to, const QString& chargePointId) const
{
    QList<TransactionSpan> spans;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT id, charge_point_id, started_at, meter_start_wh, stopped_at, meter_stop_wh "
                           "FROM transactions WHERE ")
                + kOverlapping + QStringLiteral(" ORDER BY started_at, id"),
            overlapValues(from, to, chargePointId), "list transactions for statistics"))
        return spans;
    while (query.next()) {
        spans.append({query.value(0).toLongLong(), query.value(1).toString(), sql::toTime(query.value(2)),
            query.value(3).toLongLong(), sql::toOptionalTime(query.value(4)), sql::toOptional<qint64>(query.value(5))});
    }
    return spans;
}

QList<EnergyReading> StatisticsRepository::energyReadingsOverlapping(
    const QDateTime& from, const QDateTime& to, const QString& chargePointId) const
{
    QList<EnergyReading> readings;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT m.transaction_id, m.timestamp, ") + kValueInBaseUnit
                + QStringLiteral(" FROM meter_values m WHERE m.transaction_id IN (SELECT id FROM transactions WHERE ")
                + kOverlapping + QStringLiteral(") AND m.measurand = ") + kEnergyRegister + QStringLiteral(" AND ")
                + kWholeChargerReading + QStringLiteral(" ORDER BY m.transaction_id, m.timestamp, m.id"),
            overlapValues(from, to, chargePointId), "list energy readings for statistics"))
        return readings;
    while (query.next())
        readings.append({query.value(0).toLongLong(), sql::toTime(query.value(1)), query.value(2).toDouble()});
    return readings;
}

QList<ConnectorReading> StatisticsRepository::connectorReadings(
    const QDateTime& from, const QDateTime& to, const QString& chargePointId) const
{
    QList<ConnectorReading> readings;
    QSqlQuery query(m_db.connection());
    // Through the known charge points, so that SQLite walks the (charge point, time) index instead of the table.
    if (!sql::execute(query,
            QStringLiteral("SELECT m.charge_point_id, m.connector_id, m.timestamp, m.measurand = ") + kEnergyRegister
                + QStringLiteral(", ") + kValueInBaseUnit
                + QStringLiteral(" FROM meter_values m WHERE m.charge_point_id IN (SELECT id FROM charge_points "
                                 "WHERE coalesce(?, '') = '' OR id = ?) AND m.timestamp >= ? AND m.timestamp < ? "
                                 "AND m.measurand IN ('Power.Active.Import', ")
                + kEnergyRegister + QStringLiteral(") AND ") + kWholeChargerReading
                + QStringLiteral(" ORDER BY m.charge_point_id, m.connector_id, m.timestamp, m.id"),
            {chargePointId, chargePointId, sql::fromTime(from), sql::fromTime(to)},
            "list connector readings for statistics"))
        return readings;
    while (query.next()) {
        readings.append({query.value(0).toString(), query.value(1).toInt(), sql::toTime(query.value(2)),
            query.value(3).toBool() ? ConnectorReading::Kind::EnergyWh : ConnectorReading::Kind::PowerW,
            query.value(4).toDouble()});
    }
    return readings;
}

QHash<qint64, double> StatisticsRepository::latestEnergyOfActiveTransactions() const
{
    QHash<qint64, double> latest;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT t.id, (SELECT ") + kValueInBaseUnit
                + QStringLiteral(" FROM meter_values m WHERE m.transaction_id = t.id AND m.measurand = ")
                + kEnergyRegister + QStringLiteral(" AND ") + kWholeChargerReading
                + QStringLiteral(" ORDER BY m.timestamp DESC, m.id DESC LIMIT 1) "
                                 "FROM transactions t WHERE t.stopped_at IS NULL"),
            {}, "latest energy of active transactions"))
        return latest;
    while (query.next()) {
        if (!query.value(1).isNull())
            latest.insert(query.value(0).toLongLong(), query.value(1).toDouble());
    }
    return latest;
}

} // namespace linkray::storage
