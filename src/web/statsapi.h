#pragma once

#include "storage/database.h"
#include "web/router.h"

#include <QTimeZone>

// Charging statistics in the box's local days: /api/v1/stats/daily and /api/v1/stats/power.
namespace linkray::web {

class StatsApi {
public:
    StatsApi(storage::Database& db, QTimeZone zone);

    void addRoutes(Router& router);

private:
    ApiResponse daily(const ApiRequest& request);
    ApiResponse power(const ApiRequest& request);

    storage::Database& m_db;
    QTimeZone m_zone;
};

inline constexpr int kMaxStatsDays = 366;
inline constexpr int kPowerBucketSeconds = 300;

} // namespace linkray::web
