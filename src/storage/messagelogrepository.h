#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace linkray::storage {

struct MessageLogEntry {
    qint64 id = 0;
    QDateTime at;
    QString chargePointId;
    QString direction; // "in" (from the charger) or "out" (to the charger)
    int messageType = 0; // 2, 3, 4, or 0 for a frame that could not be read
    QString uniqueId;
    QString action;
    int sizeBytes = 0;
};

// The OCPP message log: one row per frame (without its payload), bounded to the newest maxEntries rows.
class MessageLogRepository {
public:
    MessageLogRepository(Database& db, int maxEntries)
        : m_db(db)
        , m_maxEntries(maxEntries)
    {
    }
    bool append(const MessageLogEntry& entry); // trims the oldest entries beyond maxEntries
    // One transaction (one fsync) for the whole batch: the log is written in batches, not frame by frame.
    bool append(const QList<MessageLogEntry>& entries);
    // Newest first; an empty charge point id or action does not filter.
    QList<MessageLogEntry> recent(const QString& chargePointId = {}, int limit = 200, const QString& action = {}) const;

private:
    Database& m_db;
    int m_maxEntries;
};

} // namespace linkray::storage
