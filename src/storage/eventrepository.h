#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace linkray::storage {

struct EventRecord {
    qint64 id = 0;
    QDateTime at;
    QString chargePointId;
    QString kind; // e.g. "FirmwareStatusNotification", "DataTransfer"
    QJsonObject details;
};

// Notifications worth keeping (firmware/diagnostics status, data transfers, security events, ...).
class EventRepository {
public:
    explicit EventRepository(Database& db)
        : m_db(db)
    {
    }
    bool append(const EventRecord& event);
    // Newest first; an empty charge point id or kind does not filter.
    QList<EventRecord> recent(const QString& chargePointId = {}, int limit = 200, const QString& kind = {}) const;

private:
    Database& m_db;
};

} // namespace linkray::storage
