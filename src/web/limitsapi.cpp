#include "web/limitsapi.h"

#include "web/logging.h"

#include <QJsonArray>

#include <cmath>

namespace linkray::web {

namespace {

// A limit is meant for hours or days; a week bounds what a forgotten one can hold back.
constexpr qint64 kMaxExpirySeconds = 7 * 24 * 3600;
// Far above any grid connection or charger LinkRay serves; only keeps nonsense out.
constexpr double kMaxCurrentA = 10000.0;
constexpr double kMaxPowerKw = 10000.0;

QString key(const char* name)
{
    return QLatin1String(name);
}

// body[name] as a number in [0, max]; absent leaves `out` empty.
std::optional<ApiResponse> readLimit(
    const QJsonObject& body, const QString& name, double max, std::optional<double>& out)
{
    const QJsonValue value = body.value(name);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < 0.0 || value.toDouble() > max)
        return errorResponse(400, QStringLiteral("must be a number from 0 to %1").arg(max), name);
    out = value.toDouble();
    return std::nullopt;
}

// body[name] as three numbers in [0, max] (L1, L2, L3); absent leaves `out` empty.
std::optional<ApiResponse> readPhaseCurrents(
    const QJsonObject& body, const QString& name, double max, std::optional<std::array<double, 3>>& out)
{
    if (!body.contains(name))
        return std::nullopt;
    const QJsonArray phases = body.value(name).toArray();
    std::array<double, 3> currents {};
    for (qsizetype phase = 0; phase < 3; ++phase) {
        const QJsonValue value = phases.size() == 3 ? phases[phase] : QJsonValue();
        if (!value.isDouble() || value.toDouble() < 0.0 || value.toDouble() > max)
            return errorResponse(400, QStringLiteral("must be three numbers from 0 to %1").arg(max), name);
        currents[static_cast<size_t>(phase)] = value.toDouble();
    }
    out = currents;
    return std::nullopt;
}

QJsonObject limitJson(const storage::OperatorLimitRecord& limit, bool charger, bool inWatts)
{
    QJsonObject object {{key("expiresAt"), timeText(limit.expiresAt)}, {key("setBy"), limit.setBy},
        {key("setAt"), timeText(limit.setAt)}};
    if (charger) {
        object.insert(key("chargePointId"), limit.chargePointId);
        if (inWatts)
            object.insert(key("limitW"), limit.powerW.value_or(0.0));
        else
            object.insert(key("limitA"), limit.currentA ? (*limit.currentA)[0] : 0.0);
        return object;
    }
    if (!limit.groupId.isEmpty())
        object.insert(key("groupId"), limit.groupId);
    if (limit.currentA)
        object.insert(
            key("phaseCurrentsA"), QJsonArray {(*limit.currentA)[0], (*limit.currentA)[1], (*limit.currentA)[2]});
    if (limit.powerW)
        object.insert(key("powerKw"), *limit.powerW / 1000.0);
    return object;
}

ApiResponse unknownChargePoint()
{
    return errorResponse(404, QStringLiteral("no balanced charge point has this id"), key("id"));
}

ApiResponse unknownGroup()
{
    return errorResponse(404, QStringLiteral("no group has this id"), key("id"));
}

// The handlers, sharing the clock and the services.
class LimitsApi {
public:
    LimitsApi(Clock& clock, const WebServices& services)
        : m_clock(clock)
        , m_services(services)
    {
    }

    ApiResponse get(const QString& chargePointId) const;
    ApiResponse putDynamic(const ApiRequest& request) const;
    ApiResponse putManual(const ApiRequest& request) const;
    ApiResponse remove(const QString& chargePointId) const;
    ApiResponse getGroup(const QString& groupId) const;
    ApiResponse putGroup(const ApiRequest& request) const;
    ApiResponse removeGroup(const QString& groupId) const;

private:
    // Stores `limit` through the balancer and answers with it.
    ApiResponse apply(storage::OperatorLimitRecord limit, const ApiRequest& request) const;
    // Reads expiresAt: in the future, at most kMaxExpirySeconds ahead.
    std::optional<ApiResponse> readExpiry(const QJsonObject& body, QDateTime& out) const;
    // phaseCurrentsA, or currentA on all three phases, into limit.currentA.
    static std::optional<ApiResponse> readCurrents(const QJsonObject& body, storage::OperatorLimitRecord& limit);
    static ApiResponse removed(LimitChange change);
    bool groupsAvailable() const
    {
        return m_services.groupLimit && m_services.setOperatorLimit && m_services.clearGroupLimit && m_services.isGroup;
    }
    bool available() const
    {
        return m_services.operatorLimit && m_services.setOperatorLimit && m_services.clearOperatorLimit
            && m_services.isBalanced;
    }

    Clock& m_clock;
    const WebServices& m_services;
};

} // namespace

void addLimitRoutes(Router& router, Clock& clock, const WebServices& services)
{
    const LimitsApi api(clock, services);
    const QString site = QStringLiteral("/api/v1/site/dynamic-limit");
    const QString manual = QStringLiteral("/api/v1/charge-points/{id}/manual-limit");
    router.add("GET", site, Access::needs(Permission::Read), [api](const ApiRequest&) { return api.get({}); });
    router.add("PUT", site, Access::needs(Permission::Operate),
        [api](const ApiRequest& request) { return api.putDynamic(request); });
    router.add("DELETE", site, Access::needs(Permission::Operate), [api](const ApiRequest&) { return api.remove({}); });
    router.add("GET", manual, Access::needs(Permission::Read),
        [api](const ApiRequest& request) { return api.get(request.param(key("id"))); });
    router.add("PUT", manual, Access::needs(Permission::Operate),
        [api](const ApiRequest& request) { return api.putManual(request); });
    router.add("DELETE", manual, Access::needs(Permission::Operate),
        [api](const ApiRequest& request) { return api.remove(request.param(key("id"))); });
    const QString group = QStringLiteral("/api/v1/groups/{id}/manual-limit");
    router.add("GET", group, Access::needs(Permission::Read),
        [api](const ApiRequest& request) { return api.getGroup(request.param(key("id"))); });
    router.add("PUT", group, Access::needs(Permission::Operate),
        [api](const ApiRequest& request) { return api.putGroup(request); });
    router.add("DELETE", group, Access::needs(Permission::Operate),
        [api](const ApiRequest& request) { return api.removeGroup(request.param(key("id"))); });
}

namespace {

ApiResponse LimitsApi::get(const QString& chargePointId) const
{
    if (!available())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    const std::optional<storage::OperatorLimitRecord> limit = m_services.operatorLimit(chargePointId);
    if (chargePointId.isEmpty()) {
        if (!limit)
            return errorResponse(404, QStringLiteral("no limit is set"));
        return jsonResponse(limitJson(*limit, false, limit->powerW.has_value()));
    }
    // A balanced charger without a limit is no error: its page asks every time it opens.
    if (!m_services.isBalanced(chargePointId))
        return unknownChargePoint();
    return jsonResponse(QJsonObject {{key("manualLimit"),
        limit ? QJsonValue(limitJson(*limit, true, limit->powerW.has_value())) : QJsonValue(QJsonValue::Null)}});
}

std::optional<ApiResponse> LimitsApi::readExpiry(const QJsonObject& body, QDateTime& out) const
{
    const QString name = key("expiresAt");
    const QJsonValue value = body.value(name);
    if (value.isUndefined())
        return errorResponse(400, QStringLiteral("is required"), name);
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!value.isString() || !time.isValid() || time.timeSpec() == Qt::LocalTime)
        return errorResponse(400, QStringLiteral("must be an RFC 3339 date-time with a time zone"), name);
    const qint64 aheadS = m_clock.nowUtc().secsTo(time);
    if (aheadS <= 0 || aheadS > kMaxExpirySeconds)
        return errorResponse(400, QStringLiteral("must be in the future and at most 7 days ahead"), name);
    out = time.toUTC();
    return std::nullopt;
}

ApiResponse LimitsApi::putDynamic(const ApiRequest& request) const
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    if (auto error
        = rejectUnknownFields(fields, {key("phaseCurrentsA"), key("currentA"), key("powerKw"), key("expiresAt")}))
        return *error;
    storage::OperatorLimitRecord limit;
    if (auto error = readCurrents(fields, limit))
        return *error;
    std::optional<double> powerKw;
    if (auto error = readLimit(fields, key("powerKw"), kMaxPowerKw, powerKw))
        return *error;
    if (powerKw)
        limit.powerW = *powerKw * 1000.0;
    if (!limit.currentA && !limit.powerW)
        return errorResponse(400, QStringLiteral("give phaseCurrentsA, currentA or powerKw"), key("phaseCurrentsA"));
    if (auto error = readExpiry(fields, limit.expiresAt))
        return *error;
    return apply(limit, request);
}

std::optional<ApiResponse> LimitsApi::readCurrents(const QJsonObject& body, storage::OperatorLimitRecord& limit)
{
    if (body.contains(key("phaseCurrentsA")) && body.contains(key("currentA")))
        return errorResponse(400, QStringLiteral("give phaseCurrentsA or currentA, not both"), key("currentA"));
    if (auto error = readPhaseCurrents(body, key("phaseCurrentsA"), kMaxCurrentA, limit.currentA))
        return error;
    std::optional<double> currentA;
    if (auto error = readLimit(body, key("currentA"), kMaxCurrentA, currentA))
        return error;
    if (currentA)
        limit.currentA = std::array<double, 3> {*currentA, *currentA, *currentA};
    return std::nullopt;
}

ApiResponse LimitsApi::putManual(const ApiRequest& request) const
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    if (auto error = rejectUnknownFields(fields, {key("limitA"), key("limitW"), key("expiresAt")}))
        return *error;
    std::optional<double> limitA;
    std::optional<double> limitW;
    if (auto error = readLimit(fields, key("limitA"), kMaxCurrentA, limitA))
        return *error;
    if (auto error = readLimit(fields, key("limitW"), kMaxPowerKw * 1000.0, limitW))
        return *error;
    if (limitA.has_value() == limitW.has_value())
        return errorResponse(400, QStringLiteral("give either limitA or limitW"), key("limitA"));
    storage::OperatorLimitRecord limit;
    limit.chargePointId = request.param(key("id"));
    if (limitA)
        limit.currentA = std::array<double, 3> {*limitA, *limitA, *limitA};
    limit.powerW = limitW;
    if (auto error = readExpiry(fields, limit.expiresAt))
        return *error;
    return apply(limit, request);
}

ApiResponse LimitsApi::apply(storage::OperatorLimitRecord limit, const ApiRequest& request) const
{
    if (!available())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    limit.setBy = request.session->userName;
    limit.setAt = m_clock.nowUtc();
    switch (m_services.setOperatorLimit(limit)) {
    case LimitChange::Applied:
        break;
    case LimitChange::UnknownChargePoint:
        return unknownChargePoint();
    case LimitChange::UnknownGroup:
        return unknownGroup();
    case LimitChange::NotStored:
        return errorResponse(500, QStringLiteral("the limit could not be stored"));
    }
    QString scope = QStringLiteral("site's dynamic limit");
    if (!limit.groupId.isEmpty())
        scope = QStringLiteral("manual limit of group ") + limit.groupId;
    else if (!limit.chargePointId.isEmpty())
        scope = QStringLiteral("manual limit of ") + limit.chargePointId;
    qCInfo(lcWeb).noquote() << limit.setBy << "set the" << scope << "until" << timeText(limit.expiresAt);
    return jsonResponse(limitJson(limit, !limit.chargePointId.isEmpty(), limit.powerW.has_value()));
}

ApiResponse LimitsApi::remove(const QString& chargePointId) const
{
    if (!available())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    return removed(m_services.clearOperatorLimit(chargePointId));
}

ApiResponse LimitsApi::removed(LimitChange change)
{
    switch (change) {
    case LimitChange::Applied:
        return noContent();
    case LimitChange::UnknownChargePoint:
        return unknownChargePoint();
    case LimitChange::UnknownGroup:
        return unknownGroup();
    case LimitChange::NotStored:
        break;
    }
    return errorResponse(500, QStringLiteral("the limit could not be removed"));
}

// Like a charger's: 200 with null when the group has none, 404 for an id that is no group.
ApiResponse LimitsApi::getGroup(const QString& groupId) const
{
    if (!groupsAvailable())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    if (!m_services.isGroup(groupId))
        return unknownGroup();
    const std::optional<storage::OperatorLimitRecord> limit = m_services.groupLimit(groupId);
    return jsonResponse(QJsonObject {
        {key("manualLimit"), limit ? QJsonValue(limitJson(*limit, false, false)) : QJsonValue(QJsonValue::Null)}});
}

ApiResponse LimitsApi::putGroup(const ApiRequest& request) const
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    if (auto error = rejectUnknownFields(fields, {key("phaseCurrentsA"), key("currentA"), key("expiresAt")}))
        return *error;
    storage::OperatorLimitRecord limit;
    limit.groupId = request.param(key("id"));
    if (auto error = readCurrents(fields, limit))
        return *error;
    if (!limit.currentA)
        return errorResponse(400, QStringLiteral("give phaseCurrentsA or currentA"), key("phaseCurrentsA"));
    if (auto error = readExpiry(fields, limit.expiresAt))
        return *error;
    if (!groupsAvailable())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    return apply(limit, request);
}

ApiResponse LimitsApi::removeGroup(const QString& groupId) const
{
    if (!groupsAvailable())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    return removed(m_services.clearGroupLimit(groupId));
}

} // namespace

} // namespace linkray::web
