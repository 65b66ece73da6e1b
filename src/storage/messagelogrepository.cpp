#include "storage/messagelogrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

// Rows are only ever deleted from the old end, so ids stay contiguous and the newest maxEntries rows are exactly
// those with id > lastId - maxEntries: trimming is one primary-key range delete, usually of a single row.
bool MessageLogRepository::append(const MessageLogEntry& entry)
{
    return append(QList<MessageLogEntry> {entry});
}

bool MessageLogRepository::append(const QList<MessageLogEntry>& entries)
{
    if (entries.isEmpty())
        return true;
    QSqlDatabase& db = m_db.connection();
    // Diagnostics: a batch lost to a power cut is not worth an fsync on the event loop, dozens a second in a replay.
    const sql::UnsyncedCommits unsynced(db);
    sql::WriteTransaction transaction(db, "append message log");
    if (!transaction.isOpen())
        return false;
    sql::NativeStatement insert(db,
        "INSERT INTO message_log (at, charge_point_id, direction, message_type, unique_id, action, size_bytes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "append message log");
    for (const MessageLogEntry& entry : entries) {
        if (!insert.bind(1, entry.at.toMSecsSinceEpoch())
                 .bind(2, entry.chargePointId)
                 .bind(3, entry.direction)
                 .bind(4, entry.messageType)
                 .bind(5, entry.uniqueId)
                 .bind(6, entry.action)
                 .bind(7, entry.sizeBytes)
                 .run())
            return false;
    }
    const qint64 lastId = insert.lastInsertId();
    QSqlQuery trim(db);
    return sql::execute(trim, QStringLiteral("DELETE FROM message_log WHERE id <= ?"), {lastId - m_maxEntries},
               "trim message log")
        && transaction.commit();
}

QList<MessageLogEntry> MessageLogRepository::recent(
    const QString& chargePointId, int limit, const QString& action) const
{
    QList<MessageLogEntry> entries;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT id, at, charge_point_id, direction, message_type, unique_id, action, size_bytes "
                           "FROM message_log WHERE (coalesce(?, '') = '' OR charge_point_id = ?) AND (coalesce(?, '') "
                           "= '' OR action = ?) "
                           "ORDER BY id DESC LIMIT ?"),
            {chargePointId, chargePointId, action, action, limit}, "list message log"))
        return entries;
    while (query.next()) {
        entries.append({query.value(0).toLongLong(), sql::toTime(query.value(1)), query.value(2).toString(),
            query.value(3).toString(), query.value(4).toInt(), query.value(5).toString(), query.value(6).toString(),
            query.value(7).toInt()});
    }
    return entries;
}

} // namespace linkray::storage
