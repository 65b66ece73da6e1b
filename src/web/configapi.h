#pragma once

#include "web/router.h"
#include "web/webservices.h"

#include <optional>

// The whole configuration file for administrators: /api/v1/config (docs/api.md). Secrets never leave LinkRay: they
// are shown as a placeholder, and a placeholder sent back keeps them.
namespace linkray::web {

class ConfigApi {
public:
    explicit ConfigApi(const WebServices& services);

    void addRoutes(Router& router);

private:
    ApiResponse get(const ApiRequest& request);
    ApiResponse put(const ApiRequest& request);

    const WebServices& m_services;
};

// 400 {"error", "field": <first path>, "fields": [{"field", "reason"}]}: the configuration refused a change.
ApiResponse configRefused(const QList<ConfigFieldError>& fieldErrors);

// Hands `config` to the app's validation and atomic write. Nullopt when applied (with `outcome` filled in when
// given); otherwise the answer: 400 naming every refused key, 500 when the file could not be written.
std::optional<ApiResponse> applyConfigChange(const WebServices& services, const QJsonObject& config,
    const QString& userName, const QString& what, ConfigChange* outcome = nullptr);

} // namespace linkray::web
