#pragma once

#include "core/clock.h"
#include "storage/database.h"
#include "web/router.h"
#include "web/webservices.h"

// What the box is running and how full its storage is: /api/v1/system.
namespace linkray::web {

class SystemApi {
public:
    // The uptime counts from this construction, which the app does at start.
    SystemApi(Clock& clock, storage::Database& db, const WebServices& services);

    void addRoutes(Router& router);

private:
    ApiResponse system(const ApiRequest& request) const;

    Clock& m_clock;
    storage::Database& m_db;
    const WebServices& m_services;
    QDateTime m_startedAt;
    qint64 m_startedMonotonicMs;
};

} // namespace linkray::web
