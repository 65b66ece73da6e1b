#include "storage/operatorlimitrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

bool OperatorLimitRepository::put(const OperatorLimitRecord& limit)
{
    QVariantList currents {QVariant(), QVariant(), QVariant()};
    if (limit.currentA) {
        for (int phase = 0; phase < 3; ++phase)
            currents[phase] = (*limit.currentA)[static_cast<size_t>(phase)];
    }
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
        INSERT INTO operator_limits (charge_point_id, current_l1_a, current_l2_a, current_l3_a, power_w, expires_at,
            set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (charge_point_id) DO UPDATE SET current_l1_a = excluded.current_l1_a,
            current_l2_a = excluded.current_l2_a, current_l3_a = excluded.current_l3_a, power_w = excluded.power_w,
            expires_at = excluded.expires_at, set_by = excluded.set_by, set_at = excluded.set_at)"),
        {limit.chargePointId, currents[0], currents[1], currents[2], sql::fromOptional(limit.powerW),
            sql::fromTime(limit.expiresAt), limit.setBy, sql::fromTime(limit.setAt)},
        "put operator limit");
}

bool OperatorLimitRepository::remove(const QString& chargePointId)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral("DELETE FROM operator_limits WHERE charge_point_id = ?"), {chargePointId},
        "remove operator limit");
}

QList<OperatorLimitRecord> OperatorLimitRepository::all() const
{
    QList<OperatorLimitRecord> limits;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT charge_point_id, current_l1_a, current_l2_a, current_l3_a, power_w, expires_at, "
                           "set_by, set_at FROM operator_limits ORDER BY charge_point_id"),
            {}, "list operator limits"))
        return limits;
    while (query.next()) {
        OperatorLimitRecord limit;
        limit.chargePointId = query.value(0).toString();
        if (!query.value(1).isNull())
            limit.currentA = {query.value(1).toDouble(), query.value(2).toDouble(), query.value(3).toDouble()};
        limit.powerW = sql::toOptional<double>(query.value(4));
        limit.expiresAt = sql::toTime(query.value(5));
        limit.setBy = query.value(6).toString();
        limit.setAt = sql::toTime(query.value(7));
        limits.append(limit);
    }
    return limits;
}

} // namespace linkray::storage
