#include "storage/transactionidmaprepository.h"

#include "storage/logging.h"
#include "storage/sqlsupport.h"

namespace linkray::storage {

bool TransactionIdMapRepository::insert(
    qint64 provisionalId, qint64 csmsId, const QString& chargePointId, const QDateTime& at)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral(R"(
            INSERT INTO transaction_id_map (provisional_id, csms_id, charge_point_id, mapped_at)
            VALUES (?, ?, ?, ?))"),
        {provisionalId, csmsId, chargePointId, sql::fromTime(at)}, "map transaction id");
}

std::optional<qint64> TransactionIdMapRepository::csmsId(qint64 provisionalId) const
{
    return lookUp(QStringLiteral("SELECT csms_id FROM transaction_id_map WHERE provisional_id = ?"), {provisionalId},
        "find CSMS transaction id");
}

std::optional<qint64> TransactionIdMapRepository::provisionalId(const QString& chargePointId, qint64 csmsId) const
{
    return lookUp(QStringLiteral("SELECT provisional_id FROM transaction_id_map WHERE charge_point_id = ? AND "
                                 "csms_id = ? ORDER BY mapped_at DESC, provisional_id DESC LIMIT 1"),
        {chargePointId, csmsId}, "find provisional transaction id");
}

bool TransactionIdMapRepository::remove(qint64 provisionalId)
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral("DELETE FROM transaction_id_map WHERE provisional_id = ?"), {provisionalId},
            "remove transaction id mapping"))
        return false;
    if (query.numRowsAffected() != 1) {
        qCWarning(lcStorage, "remove transaction id mapping: provisional id %lld is not mapped",
            static_cast<long long>(provisionalId));
        return false;
    }
    return true;
}

std::optional<qint64> TransactionIdMapRepository::lookUp(
    const QString& statement, const QVariantList& values, const char* purpose) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, statement, values, purpose) || !query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}

} // namespace linkray::storage
