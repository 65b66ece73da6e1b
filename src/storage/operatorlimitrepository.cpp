#include "storage/operatorlimitrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

const QLatin1String kChargePointTable("operator_limits");
const QLatin1String kChargePointKey("charge_point_id");
const QLatin1String kGroupTable("group_limits");
const QLatin1String kGroupKey("group_id");

// The site's row has the empty id; QtSql would bind a null QString as NULL.
QString keyValue(const QString& id)
{
    return id.isNull() ? QStringLiteral("") : id;
}

} // namespace

OperatorLimitRepository::Table OperatorLimitRepository::tableOf(const OperatorLimitRecord& limit)
{
    return limit.groupId.isEmpty() ? Table {kChargePointTable, kChargePointKey} : Table {kGroupTable, kGroupKey};
}

bool OperatorLimitRepository::put(const OperatorLimitRecord& limit)
{
    QVariantList currents {QVariant(), QVariant(), QVariant()};
    if (limit.currentA) {
        for (int phase = 0; phase < 3; ++phase)
            currents[phase] = (*limit.currentA)[static_cast<size_t>(phase)];
    }
    const Table table = tableOf(limit);
    QSqlQuery query(m_db.connection());
    return sql::execute(query,
        QStringLiteral(R"(
        INSERT INTO %1 (%2, current_l1_a, current_l2_a, current_l3_a, power_w, expires_at,
            set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (%2) DO UPDATE SET current_l1_a = excluded.current_l1_a,
            current_l2_a = excluded.current_l2_a, current_l3_a = excluded.current_l3_a, power_w = excluded.power_w,
            expires_at = excluded.expires_at, set_by = excluded.set_by, set_at = excluded.set_at)")
            .arg(table.name, table.key),
        {keyValue(limit.groupId.isEmpty() ? limit.chargePointId : limit.groupId), currents[0], currents[1], currents[2],
            sql::fromOptional(limit.powerW), sql::fromTime(limit.expiresAt), limit.setBy, sql::fromTime(limit.setAt)},
        "put operator limit");
}

bool OperatorLimitRepository::remove(const QString& chargePointId)
{
    return removeFrom({kChargePointTable, kChargePointKey}, chargePointId);
}

bool OperatorLimitRepository::removeGroup(const QString& groupId)
{
    return removeFrom({kGroupTable, kGroupKey}, groupId);
}

bool OperatorLimitRepository::removeFrom(const Table& table, const QString& id)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(table.name, table.key), {keyValue(id)},
        "remove operator limit");
}

QList<OperatorLimitRecord> OperatorLimitRepository::all() const
{
    QList<OperatorLimitRecord> limits;
    appendAll({kChargePointTable, kChargePointKey}, limits);
    appendAll({kGroupTable, kGroupKey}, limits);
    return limits;
}

void OperatorLimitRepository::appendAll(const Table& table, QList<OperatorLimitRecord>& limits) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT %2, current_l1_a, current_l2_a, current_l3_a, power_w, expires_at, "
                           "set_by, set_at FROM %1 ORDER BY %2")
                .arg(table.name, table.key),
            {}, "list operator limits"))
        return;
    while (query.next()) {
        OperatorLimitRecord limit;
        (table.name == kGroupTable ? limit.groupId : limit.chargePointId) = query.value(0).toString();
        if (!query.value(1).isNull())
            limit.currentA = {query.value(1).toDouble(), query.value(2).toDouble(), query.value(3).toDouble()};
        limit.powerW = sql::toOptional<double>(query.value(4));
        limit.expiresAt = sql::toTime(query.value(5));
        limit.setBy = query.value(6).toString();
        limit.setAt = sql::toTime(query.value(7));
        limits.append(limit);
    }
}

} // namespace linkray::storage
