#pragma once

#include "web/router.h"
#include "web/webservices.h"

#include <QJsonArray>

#include <optional>

// The RFID whitelist of the configuration file (authorization.whitelist): /api/v1/whitelist. Every change goes
// through the app's configuration validation and is written to the file; the app re-imports it into storage.
namespace linkray::web {

class WhitelistApi {
public:
    explicit WhitelistApi(const WebServices& services);

    void addRoutes(Router& router);

private:
    ApiResponse list(const ApiRequest& request);
    ApiResponse put(const ApiRequest& request);
    ApiResponse remove(const ApiRequest& request);
    ApiResponse import(const ApiRequest& request);

    std::optional<QJsonArray> currentWhitelist() const;
    // Writes `whitelist` into the configuration; nullopt when applied, the error response otherwise.
    std::optional<ApiResponse> apply(const QJsonArray& whitelist, const QString& userName);

    const WebServices& m_services;
};

} // namespace linkray::web
