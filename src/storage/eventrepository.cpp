#include "storage/eventrepository.h"

#include "storage/sqlsupport.h"

#include <QJsonDocument>

namespace linkray::storage {

bool EventRepository::append(const EventRecord& event)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query,
        QStringLiteral("INSERT INTO events (at, charge_point_id, kind, details) VALUES (?, ?, ?, ?)"),
        {sql::fromTime(event.at), event.chargePointId, event.kind,
            QString::fromUtf8(QJsonDocument(event.details).toJson(QJsonDocument::Compact))},
        "append event");
}

QList<EventRecord> EventRepository::recent(const QString& chargePointId, int limit, const QString& kind) const
{
    QList<EventRecord> events;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT id, at, charge_point_id, kind, details FROM events "
                           "WHERE (coalesce(?, '') = '' OR charge_point_id = ?) AND (coalesce(?, '') = '' OR kind = ?) "
                           "ORDER BY id DESC LIMIT ?"),
            {chargePointId, chargePointId, kind, kind, limit}, "list events"))
        return events;
    while (query.next()) {
        events.append({query.value(0).toLongLong(), sql::toTime(query.value(1)), query.value(2).toString(),
            query.value(3).toString(), QJsonDocument::fromJson(query.value(4).toByteArray()).object()});
    }
    return events;
}

} // namespace linkray::storage
