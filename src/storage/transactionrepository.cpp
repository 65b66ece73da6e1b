#include "storage/transactionrepository.h"

#include "storage/logging.h"
#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

const QString selectTransactions = QStringLiteral(
    "SELECT id, charge_point_id, connector_id, id_tag, meter_start_wh, started_at, reservation_id, meter_stop_wh, "
    "stopped_at, stop_id_tag, stop_reason, "
    "coalesce(csms_transaction_id, (SELECT csms_id FROM transaction_id_map WHERE provisional_id = transactions.id)), "
    "csms_transaction_id IS NOT NULL FROM transactions");

TransactionRecord transactionFrom(const QSqlQuery& query)
{
    TransactionRecord record;
    record.id = query.value(0).toLongLong();
    record.chargePointId = query.value(1).toString();
    record.connectorId = query.value(2).toInt();
    record.idTag = query.value(3).toString();
    record.meterStartWh = query.value(4).toLongLong();
    record.startedAt = sql::toTime(query.value(5));
    record.reservationId = sql::toOptional<qint64>(query.value(6));
    record.meterStopWh = sql::toOptional<qint64>(query.value(7));
    record.stoppedAt = sql::toOptionalTime(query.value(8));
    record.stopIdTag = query.value(9).toString();
    record.stopReason = query.value(10).toString();
    record.csmsTransactionId = sql::toOptional<qint64>(query.value(11));
    record.startedThroughCsms = query.value(12).toBool();
    return record;
}

QList<TransactionRecord> selectTransactionsWhere(
    QSqlDatabase& db, const QString& clauses, const QVariantList& values, const char* purpose)
{
    QList<TransactionRecord> records;
    QSqlQuery query(db);
    if (sql::execute(query, selectTransactions + clauses, values, purpose)) {
        while (query.next())
            records.append(transactionFrom(query));
    }
    return records;
}

std::optional<TransactionRecord> first(const QList<TransactionRecord>& records)
{
    if (records.isEmpty())
        return std::nullopt;
    return records.first();
}

} // namespace

std::optional<qint64> TransactionRepository::start(const TransactionRecord& record)
{
    QSqlDatabase& db = m_db.connection();
    sql::WriteTransaction transaction(db, "start transaction");
    QSqlQuery insert(db);
    if (!transaction.isOpen() || !sql::ensureChargePoint(db, record.chargePointId)
        || !sql::execute(insert, QStringLiteral(R"(
               INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start_wh, started_at,
                                         reservation_id)
               VALUES (?, ?, ?, ?, ?, ?))"),
            {record.chargePointId, record.connectorId, record.idTag, record.meterStartWh,
                sql::fromTime(record.startedAt), sql::fromOptional(record.reservationId)},
            "start transaction"))
        return std::nullopt;
    const qint64 id = insert.lastInsertId().toLongLong();
    if (!transaction.commit())
        return std::nullopt;
    return id;
}

// SQLite hands out max(sqlite_sequence.seq, largest id) + 1 for an AUTOINCREMENT table; the row for `transactions`
// exists only once a transaction has been inserted.
bool TransactionRepository::reserveIdsFrom(qint64 firstId)
{
    if (firstId <= 1) // ids start at 1 anyway
        return true;
    QSqlDatabase& db = m_db.connection();
    sql::WriteTransaction transaction(db, "reserve transaction ids");
    QSqlQuery create(db);
    QSqlQuery raise(db);
    return transaction.isOpen()
        && sql::execute(create, QStringLiteral(R"(
               INSERT INTO sqlite_sequence (name, seq) SELECT 'transactions', 0
               WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'transactions'))"),
            {}, "reserve transaction ids")
        && sql::execute(raise,
            QStringLiteral("UPDATE sqlite_sequence SET seq = ? WHERE name = 'transactions' AND seq < ?"),
            {firstId - 1, firstId - 1}, "reserve transaction ids")
        && transaction.commit();
}

bool TransactionRepository::stop(
    qint64 id, qint64 meterStopWh, const QDateTime& stoppedAt, const QString& stopIdTag, const QString& stopReason)
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral(R"(
            UPDATE transactions SET meter_stop_wh = ?, stopped_at = ?, stop_id_tag = ?, stop_reason = ?
            WHERE id = ? AND stopped_at IS NULL)"),
            {meterStopWh, sql::fromTime(stoppedAt), stopIdTag, stopReason, id}, "stop transaction"))
        return false;
    if (query.numRowsAffected() != 1) {
        qCWarning(lcStorage, "stop transaction: no active transaction with id %lld", static_cast<long long>(id));
        return false;
    }
    return true;
}

bool TransactionRepository::setCsmsTransactionId(qint64 id, qint64 csmsTransactionId)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral("UPDATE transactions SET csms_transaction_id = ? WHERE id = ?"),
        {csmsTransactionId, id}, "set the CSMS transaction id");
}

qint64 TransactionRepository::storedId(const QString& chargePointId, qint64 chargerTransactionId) const
{
    QSqlQuery query(m_db.connection());
    if (sql::execute(query, QStringLiteral(R"(
            SELECT id FROM transactions WHERE charge_point_id = ? AND csms_transaction_id = ?
            ORDER BY id DESC LIMIT 1)"),
            {chargePointId, chargerTransactionId}, "find a transaction by its CSMS id")
        && query.next())
        return query.value(0).toLongLong();
    return chargerTransactionId;
}

std::optional<TransactionRecord> TransactionRepository::find(qint64 id) const
{
    return first(selectTransactionsWhere(m_db.connection(), QStringLiteral(" WHERE id = ?"), {id}, "find transaction"));
}

std::optional<TransactionRecord> TransactionRepository::activeOnConnector(
    const QString& chargePointId, int connectorId) const
{
    return first(selectTransactionsWhere(m_db.connection(),
        QStringLiteral(" WHERE charge_point_id = ? AND connector_id = ? AND stopped_at IS NULL ORDER BY id DESC"),
        {chargePointId, connectorId}, "find active transaction on connector"));
}

std::optional<qint64> TransactionRepository::idOfStart(const QString& chargePointId, int connectorId,
    const QString& idTag, qint64 meterStartWh, const QDateTime& startedAt) const
{
    const auto found = first(selectTransactionsWhere(m_db.connection(),
        QStringLiteral(" WHERE charge_point_id = ? AND connector_id = ? AND id_tag = ? AND meter_start_wh = ? "
                       "AND started_at = ? ORDER BY id DESC"),
        {chargePointId, connectorId, idTag, meterStartWh, sql::fromTime(startedAt)}, "find transaction of a start"));
    if (!found)
        return std::nullopt;
    return found->id;
}

QList<TransactionRecord> TransactionRepository::activeForIdTag(const QString& idTag) const
{
    return selectTransactionsWhere(m_db.connection(),
        QStringLiteral(" WHERE id_tag = ? AND stopped_at IS NULL ORDER BY id"), {idTag},
        "list active transactions for id tag");
}

QList<TransactionRecord> TransactionRepository::active() const
{
    return selectTransactionsWhere(
        m_db.connection(), QStringLiteral(" WHERE stopped_at IS NULL ORDER BY id"), {}, "list active transactions");
}

QList<TransactionRecord> TransactionRepository::search(const TransactionFilter& filter) const
{
    QStringList conditions;
    QVariantList values;
    if (!filter.chargePointId.isEmpty()) {
        conditions.append(QStringLiteral("charge_point_id = ?"));
        values.append(filter.chargePointId);
    }
    if (!filter.idTag.isEmpty()) {
        conditions.append(QStringLiteral("id_tag = ?"));
        values.append(filter.idTag);
    }
    if (filter.startedFrom) {
        conditions.append(QStringLiteral("started_at >= ?"));
        values.append(sql::fromTime(filter.startedFrom));
    }
    if (filter.startedBefore) {
        conditions.append(QStringLiteral("started_at < ?"));
        values.append(sql::fromTime(filter.startedBefore));
    }
    values.append(filter.limit);
    values.append(filter.offset);
    const QString where
        = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    return selectTransactionsWhere(
        m_db.connection(), where + QStringLiteral(" ORDER BY id DESC LIMIT ? OFFSET ?"), values, "search transactions");
}

QList<TransactionRecord> TransactionRepository::list(int limit) const
{
    return selectTransactionsWhere(
        m_db.connection(), QStringLiteral(" ORDER BY id DESC LIMIT ?"), {limit}, "list transactions");
}

} // namespace linkray::storage
