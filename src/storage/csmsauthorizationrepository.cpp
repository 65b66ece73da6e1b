#include "storage/csmsauthorizationrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

std::optional<CsmsIdTagInfo> selectInfo(
    QSqlDatabase& db, const QString& statement, const QVariantList& values, const char* purpose)
{
    QSqlQuery query(db);
    if (!sql::execute(query, statement, values, purpose) || !query.next())
        return std::nullopt;
    return CsmsIdTagInfo {query.value(0).toString(), query.value(1).toString(), sql::toOptionalTime(query.value(2)),
        query.value(3).toString()};
}

bool applyEntry(QSqlDatabase& db, const QString& chargePointId, const CsmsIdTagInfo& entry)
{
    QSqlQuery query(db);
    if (entry.status.isEmpty()) {
        return sql::execute(query,
            QStringLiteral("DELETE FROM csms_local_list WHERE charge_point_id = ? AND id_tag = ?"),
            {chargePointId, entry.idTag}, "remove local list entry");
    }
    return sql::execute(query, QStringLiteral(R"(
            INSERT INTO csms_local_list (charge_point_id, id_tag, status, expiry_date, parent_id_tag)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (charge_point_id, id_tag) DO UPDATE SET status = excluded.status,
                expiry_date = excluded.expiry_date, parent_id_tag = excluded.parent_id_tag)"),
        {chargePointId, entry.idTag, entry.status, sql::fromTime(entry.expiryDate), entry.parentIdTag},
        "store local list entry");
}

} // namespace

bool CsmsAuthorizationRepository::remember(const QString& idTag, const QString& status,
    const std::optional<QDateTime>& expiry, const QString& parentIdTag, const QDateTime& at)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
            INSERT INTO authorization_cache (id_tag, status, expiry_date, parent_id_tag, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id_tag) DO UPDATE SET status = excluded.status, expiry_date = excluded.expiry_date,
                parent_id_tag = excluded.parent_id_tag, updated_at = excluded.updated_at)"),
        {idTag, status, sql::fromTime(expiry), parentIdTag, sql::fromTime(at)}, "cache CSMS authorization");
}

std::optional<CsmsIdTagInfo> CsmsAuthorizationRepository::cached(const QString& idTag) const
{
    return selectInfo(m_db.connection(),
        QStringLiteral("SELECT id_tag, status, expiry_date, parent_id_tag FROM authorization_cache WHERE id_tag = ?"),
        {idTag}, "find cached CSMS authorization");
}

bool CsmsAuthorizationRepository::applyLocalList(
    const QString& chargePointId, int version, bool full, const QList<CsmsIdTagInfo>& entries)
{
    QSqlDatabase& db = m_db.connection();
    sql::WriteTransaction transaction(db, "apply CSMS local list");
    if (!transaction.isOpen())
        return false;
    QSqlQuery clear(db);
    if (full
        && !sql::execute(clear, QStringLiteral("DELETE FROM csms_local_list WHERE charge_point_id = ?"),
            {chargePointId}, "replace local list"))
        return false;
    for (const CsmsIdTagInfo& entry : entries) {
        if (!applyEntry(db, chargePointId, entry))
            return false;
    }
    QSqlQuery setVersion(db);
    return sql::execute(setVersion, QStringLiteral(R"(
               INSERT INTO csms_local_list_version (charge_point_id, version) VALUES (?, ?)
               ON CONFLICT (charge_point_id) DO UPDATE SET version = excluded.version)"),
               {chargePointId, version}, "store local list version")
        && transaction.commit();
}

std::optional<CsmsIdTagInfo> CsmsAuthorizationRepository::localListEntry(
    const QString& chargePointId, const QString& idTag) const
{
    return selectInfo(m_db.connection(), QStringLiteral(R"(
            SELECT id_tag, status, expiry_date, parent_id_tag FROM csms_local_list
            WHERE charge_point_id = ? AND id_tag = ?)"),
        {chargePointId, idTag}, "find local list entry");
}

std::optional<int> CsmsAuthorizationRepository::localListVersion(const QString& chargePointId) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral("SELECT version FROM csms_local_list_version WHERE charge_point_id = ?"),
            {chargePointId}, "read local list version")
        || !query.next())
        return std::nullopt;
    return query.value(0).toInt();
}

} // namespace linkray::storage
