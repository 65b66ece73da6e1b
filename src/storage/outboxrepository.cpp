#include "storage/outboxrepository.h"

#include "storage/logging.h"
#include "storage/sqlsupport.h"

namespace linkray::storage {

namespace {

const QString selectMessages = QStringLiteral(
    "SELECT seq, charge_point_id, unique_id, action, frame, received_at, attempts, state, last_error FROM outbox");

OutboxMessage messageFrom(const QSqlQuery& query)
{
    OutboxMessage message;
    message.seq = query.value(0).toLongLong();
    message.chargePointId = query.value(1).toString();
    message.uniqueId = query.value(2).toString();
    message.action = query.value(3).toString();
    message.frame = query.value(4).toByteArray();
    message.receivedAt = sql::toTime(query.value(5));
    message.attempts = query.value(6).toInt();
    message.state = query.value(7).toString();
    message.lastError = query.value(8).toString();
    return message;
}

// The connector of a StatusNotification CALL [2, "id", "StatusNotification", {"connectorId": n, ...}]; NULL for a
// frame that is not JSON, so that such a row is never coalesced away. CASE keeps json_extract from ever seeing it.
const QString statusConnectorId = QStringLiteral(
    "CASE WHEN json_valid(CAST(frame AS TEXT)) THEN json_extract(CAST(frame AS TEXT), '$[3].connectorId') END");

const QString deleteBySeq = QStringLiteral("DELETE FROM outbox WHERE seq = ?");

} // namespace

std::optional<qint64> OutboxRepository::append(const OutboxMessage& message)
{
    const auto seqs = appendAndRemove({message}, {});
    if (!seqs)
        return std::nullopt;
    return seqs->first();
}

std::optional<QList<qint64>> OutboxRepository::appendAndRemove(
    const QList<OutboxMessage>& messages, const QList<qint64>& delivered)
{
    if (messages.isEmpty() && delivered.isEmpty())
        return QList<qint64>();
    QSqlDatabase& db = m_db.connection();
    sql::WriteTransaction transaction(db, "write outbox");
    if (!transaction.isOpen())
        return std::nullopt;
    QList<qint64> seqs;
    QSqlQuery insert(db);
    for (const OutboxMessage& message : messages) {
        if (!sql::execute(insert, QStringLiteral(R"(
               INSERT INTO outbox (charge_point_id, unique_id, action, frame, received_at) VALUES (?, ?, ?, ?, ?))"),
                {message.chargePointId, message.uniqueId, message.action, message.frame,
                    sql::fromTime(message.receivedAt)},
                "append to outbox"))
            return std::nullopt;
        seqs.append(insert.lastInsertId().toLongLong());
    }
    QSqlQuery remove(db);
    for (const qint64 seq : delivered) {
        if (!sql::execute(remove, deleteBySeq, {seq}, "remove from outbox"))
            return std::nullopt;
    }
    if (!transaction.commit())
        return std::nullopt;
    return seqs;
}

bool OutboxRepository::removeDelivered(const QList<qint64>& delivered)
{
    if (delivered.isEmpty())
        return true;
    QSqlDatabase& db = m_db.connection();
    const sql::UnsyncedCommits unsynced(db);
    sql::WriteTransaction transaction(db, "remove delivered outbox messages");
    if (!transaction.isOpen())
        return false;
    QSqlQuery remove(db);
    for (const qint64 seq : delivered) {
        if (!sql::execute(remove, deleteBySeq, {seq}, "remove delivered outbox message"))
            return false;
    }
    return transaction.commit();
}

QList<OutboxMessage> OutboxRepository::queued(const QString& chargePointId, int limit, qint64 afterSeq) const
{
    return select(QStringLiteral(" WHERE charge_point_id = ? AND state = 'queued' AND seq > ? ORDER BY seq LIMIT ?"),
        {chargePointId, afterSeq, limit}, "list queued outbox messages");
}

QList<OutboxMessage> OutboxRepository::held(const QString& chargePointId) const
{
    return select(QStringLiteral(" WHERE charge_point_id = ? AND state = 'held' ORDER BY seq"), {chargePointId},
        "list held outbox messages");
}

std::optional<OutboxMessage> OutboxRepository::latestQueuedBoot(const QString& chargePointId) const
{
    const QList<OutboxMessage> latest
        = select(QStringLiteral(" WHERE charge_point_id = ? AND state = 'queued' "
                                "AND action = 'BootNotification' ORDER BY seq DESC LIMIT 1"),
            {chargePointId}, "find the latest queued BootNotification");
    if (latest.isEmpty())
        return std::nullopt;
    return latest.first();
}

int OutboxRepository::removeQueuedBootsExcept(const QString& chargePointId, qint64 keepSeq)
{
    return removeWhere(QStringLiteral("DELETE FROM outbox WHERE charge_point_id = ? AND state = 'queued' "
                                      "AND action = 'BootNotification' AND seq <> ?"),
        {chargePointId, keepSeq}, "remove superseded BootNotifications");
}

int OutboxRepository::coalesceStatusNotifications(const QString& chargePointId)
{
    return removeWhere(QStringLiteral(R"(
            WITH status AS (
                SELECT seq, %1 AS connector_id FROM outbox
                WHERE charge_point_id = ? AND state = 'queued' AND action = 'StatusNotification')
            DELETE FROM outbox WHERE seq IN (
                SELECT older.seq FROM status AS older JOIN status AS newer
                ON newer.connector_id = older.connector_id AND newer.seq > older.seq))")
                           .arg(statusConnectorId),
        {chargePointId}, "coalesce status notifications");
}

bool OutboxRepository::remove(qint64 seq)
{
    return updateOne(seq, deleteBySeq, {seq}, "remove outbox message");
}

bool OutboxRepository::recordFailedAttempt(qint64 seq, const QString& error)
{
    return updateOne(seq, QStringLiteral("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?"),
        {error, seq}, "record failed outbox attempt");
}

bool OutboxRepository::hold(qint64 seq, const QString& reason)
{
    return updateOne(seq, QStringLiteral("UPDATE outbox SET state = 'held', last_error = ? WHERE seq = ?"),
        {reason, seq}, "hold outbox message");
}

OutboxStats OutboxRepository::stats(const QString& chargePointId) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral(R"(
            SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'held'),
                   min(received_at) FILTER (WHERE state = 'queued')
            FROM outbox WHERE charge_point_id = ?)"),
            {chargePointId}, "read outbox stats")
        || !query.next())
        return {-1, -1, std::nullopt};
    return {query.value(0).toInt(), query.value(1).toInt(), sql::toOptionalTime(query.value(2))};
}

bool OutboxRepository::hasQueued(const QString& chargePointId) const
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query,
               QStringLiteral("SELECT 1 FROM outbox WHERE charge_point_id = ? AND state = 'queued' LIMIT 1"),
               {chargePointId}, "look for queued outbox messages")
        && query.next();
}

qint64 OutboxRepository::totalQueued() const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral("SELECT count(*) FROM outbox WHERE state = 'queued'"), {},
            "count queued outbox messages")
        || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QStringList OutboxRepository::chargePointsWithBacklog() const
{
    QStringList chargePoints;
    QSqlQuery query(m_db.connection());
    if (sql::execute(query,
            QStringLiteral("SELECT DISTINCT charge_point_id FROM outbox WHERE state = 'queued' ORDER BY 1"), {},
            "list charge points with an outbox backlog")) {
        while (query.next())
            chargePoints.append(query.value(0).toString());
    }
    return chargePoints;
}

QList<OutboxMessage> OutboxRepository::select(
    const QString& clauses, const QVariantList& values, const char* purpose) const
{
    QList<OutboxMessage> messages;
    QSqlQuery query(m_db.connection());
    if (sql::execute(query, selectMessages + clauses, values, purpose)) {
        while (query.next())
            messages.append(messageFrom(query));
    }
    return messages;
}

bool OutboxRepository::updateOne(qint64 seq, const QString& statement, const QVariantList& values, const char* purpose)
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, statement, values, purpose))
        return false;
    if (query.numRowsAffected() != 1) {
        qCWarning(lcStorage, "%s: no outbox message with seq %lld", purpose, static_cast<long long>(seq));
        return false;
    }
    return true;
}

int OutboxRepository::removeWhere(const QString& statement, const QVariantList& values, const char* purpose)
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, statement, values, purpose))
        return -1;
    return query.numRowsAffected();
}

} // namespace linkray::storage
