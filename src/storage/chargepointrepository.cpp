#include "storage/chargepointrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

const QString chargePointColumns
    = QStringLiteral("id, vendor, model, serial_number, firmware_version, boot_status, last_boot_at, last_seen_at, "
                     "local_list_version, supports_local_list");

ChargePointRecord chargePointFrom(const QSqlQuery& query)
{
    ChargePointRecord record;
    record.id = query.value(0).toString();
    record.vendor = query.value(1).toString();
    record.model = query.value(2).toString();
    record.serialNumber = query.value(3).toString();
    record.firmwareVersion = query.value(4).toString();
    record.bootStatus = query.value(5).toString();
    record.lastBootAt = sql::toOptionalTime(query.value(6));
    record.lastSeenAt = sql::toOptionalTime(query.value(7));
    record.localListVersion = query.value(8).toInt();
    record.supportsLocalList = query.value(9).toBool();
    return record;
}

ConnectorRecord connectorFrom(const QSqlQuery& query)
{
    ConnectorRecord record;
    record.chargePointId = query.value(0).toString();
    record.connectorId = query.value(1).toInt();
    record.status = query.value(2).toString();
    record.errorCode = query.value(3).toString();
    record.info = query.value(4).toString();
    record.vendorErrorCode = query.value(5).toString();
    record.updatedAt = sql::toTime(query.value(6));
    return record;
}

QList<ConnectorRecord> selectConnectors(QSqlDatabase& db, const QString& where, const QVariantList& values)
{
    QList<ConnectorRecord> records;
    QSqlQuery query(db);
    if (sql::execute(query,
            QStringLiteral("SELECT charge_point_id, connector_id, status, error_code, info, vendor_error_code, "
                           "updated_at FROM connectors %1 ORDER BY charge_point_id, connector_id")
                .arg(where),
            values, "list connectors")) {
        while (query.next())
            records.append(connectorFrom(query));
    }
    return records;
}

// Runs `write` after making sure the charge point row exists, both in one transaction.
bool writeForChargePoint(QSqlDatabase& db, const QString& chargePointId, const QString& statement,
    const QVariantList& values, const char* purpose)
{
    sql::WriteTransaction transaction(db, purpose);
    QSqlQuery query(db);
    return transaction.isOpen() && sql::ensureChargePoint(db, chargePointId)
        && sql::execute(query, statement, values, purpose) && transaction.commit();
}

} // namespace

bool ChargePointRepository::recordBoot(const ChargePointRecord& record)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
        INSERT INTO charge_points (id, vendor, model, serial_number, firmware_version, boot_status, last_boot_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET vendor = excluded.vendor, model = excluded.model,
            serial_number = excluded.serial_number, firmware_version = excluded.firmware_version,
            boot_status = excluded.boot_status, last_boot_at = excluded.last_boot_at)"),
        {record.id, record.vendor, record.model, record.serialNumber, record.firmwareVersion, record.bootStatus,
            sql::fromTime(record.lastBootAt)},
        "record boot");
}

bool ChargePointRepository::touch(const QString& id, const QDateTime& seenAt)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
        INSERT INTO charge_points (id, last_seen_at) VALUES (?, ?)
        ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at)"),
        {id, sql::fromTime(seenAt)}, "touch charge point");
}

std::optional<ChargePointRecord> ChargePointRepository::find(const QString& id) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral("SELECT %1 FROM charge_points WHERE id = ?").arg(chargePointColumns), {id},
            "find charge point")
        || !query.next())
        return std::nullopt;
    return chargePointFrom(query);
}

QList<ChargePointRecord> ChargePointRepository::list() const
{
    QList<ChargePointRecord> records;
    QSqlQuery query(m_db.connection());
    if (sql::execute(query, QStringLiteral("SELECT %1 FROM charge_points ORDER BY id").arg(chargePointColumns), {},
            "list charge points")) {
        while (query.next())
            records.append(chargePointFrom(query));
    }
    return records;
}

bool ChargePointRepository::setLocalListState(const QString& id, int version, bool supported)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
        INSERT INTO charge_points (id, local_list_version, supports_local_list) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET local_list_version = excluded.local_list_version,
            supports_local_list = excluded.supports_local_list)"),
        {id, version, supported}, "set local list state");
}

bool ChargePointRepository::setAppliedLimit(const QString& id, const AppliedLimit& limit)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
        INSERT INTO charge_points (id, applied_limit, applied_limit_unit, applied_number_phases) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET applied_limit = excluded.applied_limit,
            applied_limit_unit = excluded.applied_limit_unit, applied_number_phases = excluded.applied_number_phases)"),
        {id, limit.limit, limit.unit, limit.numberPhases}, "set applied limit");
}

QHash<QString, AppliedLimit> ChargePointRepository::appliedLimits() const
{
    return appliedLimitsWhere(QString(), {});
}

std::optional<AppliedLimit> ChargePointRepository::appliedLimit(const QString& id) const
{
    const QHash<QString, AppliedLimit> limits = appliedLimitsWhere(QStringLiteral(" AND id = ?"), {id});
    if (limits.isEmpty())
        return std::nullopt;
    return limits.cbegin().value();
}

QHash<QString, AppliedLimit> ChargePointRepository::appliedLimitsWhere(
    const QString& condition, const QVariantList& values) const
{
    QHash<QString, AppliedLimit> limits;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT id, applied_limit, applied_limit_unit, applied_number_phases FROM charge_points "
                           "WHERE applied_limit IS NOT NULL")
                + condition,
            values, "list applied limits"))
        return limits;
    while (query.next())
        limits.insert(
            query.value(0).toString(), {query.value(1).toDouble(), query.value(2).toString(), query.value(3).toInt()});
    return limits;
}

bool ChargePointRepository::saveConnectorStatus(const ConnectorRecord& connector)
{
    return writeForChargePoint(m_db.connection(), connector.chargePointId, QStringLiteral(R"(
        INSERT INTO connectors (charge_point_id, connector_id, status, error_code, info, vendor_error_code, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (charge_point_id, connector_id) DO UPDATE SET status = excluded.status,
            error_code = excluded.error_code, info = excluded.info, vendor_error_code = excluded.vendor_error_code,
            updated_at = excluded.updated_at)"),
        {connector.chargePointId, connector.connectorId, connector.status, connector.errorCode, connector.info,
            connector.vendorErrorCode, sql::fromTime(connector.updatedAt)},
        "save connector status");
}

QList<ConnectorRecord> ChargePointRepository::connectors(const QString& chargePointId) const
{
    return selectConnectors(m_db.connection(), QStringLiteral("WHERE charge_point_id = ?"), {chargePointId});
}

QList<ConnectorRecord> ChargePointRepository::allConnectors() const
{
    return selectConnectors(m_db.connection(), {}, {});
}

bool ChargePointRepository::countDeviation(const QString& id, const QString& kind, const QDateTime& at)
{
    return writeForChargePoint(m_db.connection(), id, QStringLiteral(R"(
        INSERT INTO protocol_deviations (charge_point_id, kind, count, first_seen_at, last_seen_at)
        VALUES (?, ?, 1, ?, ?)
        ON CONFLICT (charge_point_id, kind) DO UPDATE SET count = count + 1,
            first_seen_at = min(first_seen_at, excluded.first_seen_at),
            last_seen_at = max(last_seen_at, excluded.last_seen_at))"),
        {id, kind, sql::fromTime(at), sql::fromTime(at)}, "count protocol deviation");
}

QList<QPair<QString, qint64>> ChargePointRepository::deviations(const QString& id) const
{
    QList<QPair<QString, qint64>> counts;
    for (const DeviationRecord& record : deviationRecords(id))
        counts.append({record.kind, record.count});
    return counts;
}

QList<DeviationRecord> ChargePointRepository::deviationRecords(const QString& id) const
{
    QList<DeviationRecord> records;
    QSqlQuery query(m_db.connection());
    if (sql::execute(query, QStringLiteral(R"(
            SELECT kind, count, first_seen_at, last_seen_at FROM protocol_deviations
            WHERE charge_point_id = ? ORDER BY kind)"),
            {id}, "list protocol deviations")) {
        while (query.next())
            records.append({query.value(0).toString(), query.value(1).toLongLong(), sql::toTime(query.value(2)),
                sql::toTime(query.value(3))});
    }
    return records;
}

} // namespace linkray::storage
