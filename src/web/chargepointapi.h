#pragma once

#include "storage/database.h"
#include "web/router.h"
#include "web/webservices.h"

#include <QJsonObject>

// The charge points LinkRay knows, and commands to them: /api/v1/charge-points.
namespace linkray::web {

class ChargePointApi {
public:
    ChargePointApi(storage::Database& db, const WebServices& services);

    void addRoutes(Router& router);

private:
    ApiResponse list(const ApiRequest& request);
    ApiResponse one(const ApiRequest& request);
    void command(const ApiRequest& request, const Reply& reply);

    QStringList connected() const;

    storage::Database& m_db;
    const WebServices& m_services;
};

} // namespace linkray::web
