#include "web/chargepointapi.h"

#include "localcsms/remotecommands.h"
#include "ocpp/validation.h"
#include "storage/chargepointrepository.h"
#include "web/logging.h"
#include "web/resourcejson.h"

#include <QJsonArray>

#include <algorithm>

namespace linkray::web {

namespace {

// The commands of the API, by the name in the path, and the OCPP action each one sends. The body is the action's
// request payload, checked against the OCPP 1.6 schema before it goes out.
struct CommandAction {
    const char* name;
    const char* ocppAction;
};

constexpr std::array kCommandActions {
    CommandAction {"remote-start", "RemoteStartTransaction"},
    CommandAction {"remote-stop", "RemoteStopTransaction"},
    CommandAction {"reset", "Reset"},
    CommandAction {"unlock", "UnlockConnector"},
    CommandAction {"change-availability", "ChangeAvailability"},
    CommandAction {"trigger-message", "TriggerMessage"},
    CommandAction {"get-configuration", "GetConfiguration"},
    CommandAction {"change-configuration", "ChangeConfiguration"},
    CommandAction {"clear-cache", "ClearCache"},
    CommandAction {"get-composite-schedule", "GetCompositeSchedule"},
};

ApiResponse commandOutcome(
    const QString& chargePointId, const QString& action, const localcsms::RemoteCommands::Outcome& outcome)
{
    using localcsms::CommandFailure;
    switch (outcome.failure) {
    case CommandFailure::None:
        return jsonResponse({{QStringLiteral("chargePointId"), chargePointId}, {QStringLiteral("action"), action},
            {QStringLiteral("response"), outcome.payload}});
    case CommandFailure::NotConnected:
        return errorResponse(404, QStringLiteral("the charge point is not connected"), QStringLiteral("id"));
    case CommandFailure::Timeout:
        return errorResponse(504, QStringLiteral("the charge point did not answer in time"));
    case CommandFailure::UnknownTransaction:
    case CommandFailure::CallError:
    case CommandFailure::Cancelled:
        break;
    }
    QJsonObject error {{QStringLiteral("error"), QStringLiteral("the charge point refused the command")},
        {QStringLiteral("errorCode"), outcome.errorCode}, {QStringLiteral("description"), outcome.description}};
    return jsonResponse(error, 502);
}

} // namespace

ChargePointApi::ChargePointApi(storage::Database& db, const WebServices& services)
    : m_db(db)
    , m_services(services)
{
}

void ChargePointApi::addRoutes(Router& router)
{
    router.add("GET", QStringLiteral("/api/v1/charge-points"), Access::needs(Permission::Read),
        [this](const ApiRequest& request) { return list(request); });
    router.add("GET", QStringLiteral("/api/v1/charge-points/{id}"), Access::needs(Permission::Read),
        [this](const ApiRequest& request) { return one(request); });
    router.addDeferred("POST", QStringLiteral("/api/v1/charge-points/{id}/commands/{action}"),
        Access::needs(Permission::Operate),
        [this](const ApiRequest& request, const Reply& reply) { command(request, reply); });
}

ApiResponse ChargePointApi::list(const ApiRequest&)
{
    const QStringList connectedIds = connected();
    QJsonArray chargePoints;
    for (const QJsonObject& chargePoint : allChargePointsJson(m_db, connectedIds))
        chargePoints.append(chargePoint);
    return jsonResponse({{QStringLiteral("chargePoints"), chargePoints}});
}

ApiResponse ChargePointApi::one(const ApiRequest& request)
{
    const QString id = request.param(QStringLiteral("id"));
    const QStringList connectedIds = connected();
    if (!connectedIds.contains(id) && !storage::ChargePointRepository(m_db).find(id))
        return errorResponse(404, QStringLiteral("no such charge point"), QStringLiteral("id"));
    return jsonResponse(chargePointJson(m_db, id, connectedIds));
}

void ChargePointApi::command(const ApiRequest& request, const Reply& reply)
{
    const QString name = request.param(QStringLiteral("action"));
    const auto action = std::find_if(kCommandActions.begin(), kCommandActions.end(),
        [&name](const CommandAction& known) { return name == QLatin1String(known.name); });
    if (action == kCommandActions.end()) {
        reply(errorResponse(400, QStringLiteral("unknown command"), QStringLiteral("action")));
        return;
    }
    const auto body
        = request.body.isEmpty() ? std::variant<QJsonObject, ApiResponse>(QJsonObject()) : jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body)) {
        reply(*error);
        return;
    }
    const QString ocppAction = QLatin1String(action->ocppAction);
    const QJsonObject& payload = std::get<QJsonObject>(body);
    const ocpp::ValidationResult validated = ocpp::validatePayload(ocppAction, ocpp::PayloadKind::Request, payload);
    if (const ocpp::Violation* violation = validated.blocking(ocpp::Strictness::Strict)) {
        reply(errorResponse(400, violation->description, violation->path));
        return;
    }
    if (!m_services.commands) {
        reply(errorResponse(503, QStringLiteral("LinkRay cannot send commands to charge points now")));
        return;
    }
    const QString chargePointId = request.param(QStringLiteral("id"));
    qCInfo(lcWeb) << request.session->userName << "sends" << ocppAction << "to" << chargePointId;
    m_services.commands->sendRaw(chargePointId, ocppAction, payload,
        [reply, chargePointId, ocppAction](const localcsms::RemoteCommands::Outcome& outcome) {
            reply(commandOutcome(chargePointId, ocppAction, outcome));
        });
}

QStringList ChargePointApi::connected() const
{
    return m_services.connectedChargePoints ? m_services.connectedChargePoints() : QStringList();
}

} // namespace linkray::web
