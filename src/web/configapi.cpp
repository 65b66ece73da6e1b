#include "web/configapi.h"

#include "web/configsecrets.h"
#include "web/logging.h"

#include <QJsonArray>

namespace linkray::web {

namespace {

ApiResponse unavailable()
{
    return errorResponse(503, QStringLiteral("the configuration cannot be read or changed now"));
}

QJsonObject configAnswer(const QJsonObject& config, bool restartRequired)
{
    return {{QStringLiteral("config"), redactSecrets(config)}, {QStringLiteral("restartRequired"), restartRequired}};
}

} // namespace

ConfigApi::ConfigApi(const WebServices& services)
    : m_services(services)
{
}

void ConfigApi::addRoutes(Router& router)
{
    router.add("GET", QStringLiteral("/api/v1/config"), Access::needs(Permission::Administer),
        [this](const ApiRequest& request) { return get(request); });
    router.add("PUT", QStringLiteral("/api/v1/config"), Access::needs(Permission::Administer),
        [this](const ApiRequest& request) { return put(request); });
}

ApiResponse ConfigApi::get(const ApiRequest& /*request*/)
{
    if (!m_services.currentConfig)
        return unavailable();
    return jsonResponse(configAnswer(m_services.currentConfig(), false));
}

ApiResponse ConfigApi::put(const ApiRequest& request)
{
    if (!m_services.currentConfig || !m_services.applyConfig)
        return unavailable();
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const auto restored = restoreSecrets(std::get<QJsonObject>(body), m_services.currentConfig());
    if (const auto* error = std::get_if<SecretError>(&restored))
        return errorResponse(400, error->reason, error->path);
    ConfigChange outcome;
    if (auto refused = applyConfigChange(m_services, std::get<QJsonObject>(restored), request.session->userName,
            QStringLiteral("the configuration"), &outcome))
        return *refused;
    return jsonResponse(configAnswer(m_services.currentConfig(), outcome.restartRequired));
}

ApiResponse configRefused(const QList<ConfigFieldError>& fieldErrors)
{
    QJsonArray fields;
    for (const ConfigFieldError& error : fieldErrors)
        fields.append(QJsonObject {{QStringLiteral("field"), error.path}, {QStringLiteral("reason"), error.reason}});
    return jsonResponse({{QStringLiteral("error"), QStringLiteral("the configuration refused the change")},
                            {QStringLiteral("field"), fieldErrors.value(0).path}, {QStringLiteral("fields"), fields}},
        400);
}

std::optional<ApiResponse> applyConfigChange(const WebServices& services, const QJsonObject& config,
    const QString& userName, const QString& what, ConfigChange* outcome)
{
    const ConfigChange change = services.applyConfig(config);
    if (!change.failure.isEmpty()) {
        qCWarning(lcWeb) << "change of" << what << "by" << userName << "not written:" << change.failure;
        return errorResponse(500, QStringLiteral("the configuration could not be written: %1").arg(change.failure));
    }
    if (!change.fieldErrors.isEmpty())
        return configRefused(change.fieldErrors);
    qCInfo(lcWeb).noquote() << userName << "changed" << what
                            << (change.restartRequired ? "(in force at the next start)" : "");
    if (outcome)
        *outcome = change;
    return std::nullopt;
}

} // namespace linkray::web
