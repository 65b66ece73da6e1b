#include "web/systemapi.h"

#include <QFileInfo>
#include <QStorageInfo>

namespace linkray::web {

SystemApi::SystemApi(Clock& clock, storage::Database& db, const WebServices& services)
    : m_clock(clock)
    , m_db(db)
    , m_services(services)
    , m_startedAt(clock.nowUtc())
    , m_startedMonotonicMs(clock.monotonicMs())
{
}

void SystemApi::addRoutes(Router& router)
{
    router.add("GET", QStringLiteral("/api/v1/system"), Access::needs(Permission::Read),
        [this](const ApiRequest& request) { return system(request); });
}

ApiResponse SystemApi::system(const ApiRequest&) const
{
    const QString databasePath = m_db.filePath();
    // The write-ahead log holds the newest commits until a checkpoint: part of the database's size on disk.
    const qint64 databaseBytes
        = QFileInfo(databasePath).size() + QFileInfo(databasePath + QStringLiteral("-wal")).size();
    const QJsonValue mode
        = m_services.siteStatus ? m_services.siteStatus().value(QStringLiteral("mode")) : QJsonValue(QJsonValue::Null);
    return jsonResponse({
        {QStringLiteral("version"), QStringLiteral(LINKRAY_VERSION)},
        {QStringLiteral("startedAt"), timeText(m_startedAt)},
        {QStringLiteral("uptimeSeconds"), (m_clock.monotonicMs() - m_startedMonotonicMs) / 1000},
        {QStringLiteral("mode"), mode.isUndefined() ? QJsonValue(QJsonValue::Null) : mode},
        {QStringLiteral("storage"),
            QJsonObject {{QStringLiteral("databaseBytes"), databaseBytes},
                {QStringLiteral("freeBytes"), QStorageInfo(databasePath).bytesAvailable()}}},
    });
}

} // namespace linkray::web
