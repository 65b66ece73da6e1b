#pragma once

#include "storage/database.h"
#include "web/router.h"
#include "web/webservices.h"

// What LinkRay recorded and sees now, read only: /api/v1/transactions, /events, /message-log and /site.
namespace linkray::web {

class RecordsApi {
public:
    RecordsApi(storage::Database& db, const WebServices& services);

    void addRoutes(Router& router);

private:
    ApiResponse transactions(const ApiRequest& request);
    ApiResponse transaction(const ApiRequest& request);
    ApiResponse events(const ApiRequest& request);
    ApiResponse messageLog(const ApiRequest& request);
    ApiResponse site(const ApiRequest& request);

    storage::Database& m_db;
    const WebServices& m_services;
};

} // namespace linkray::web
