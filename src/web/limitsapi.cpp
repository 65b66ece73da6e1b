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

private:
    // Stores `limit` through the balancer and answers with it.
    ApiResponse apply(storage::OperatorLimitRecord limit, const ApiRequest& request) const;
    // Reads expiresAt: in the future, at most kMaxExpirySeconds ahead.
    std::optional<ApiResponse> readExpiry(const QJsonObject& body, QDateTime& out) const;
    bool available() const
    {
        return m_services.operatorLimit && m_services.setOperatorLimit && m_services.clearOperatorLimit;
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
}

namespace {

ApiResponse LimitsApi::get(const QString& chargePointId) const
{
    if (!available())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    const std::optional<storage::OperatorLimitRecord> limit = m_services.operatorLimit(chargePointId);
    if (!limit)
        return errorResponse(404, QStringLiteral("no limit is set"));
    return jsonResponse(limitJson(*limit, !chargePointId.isEmpty(), limit->powerW.has_value()));
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
    if (fields.contains(key("phaseCurrentsA"))) {
        if (fields.contains(key("currentA")))
            return errorResponse(400, QStringLiteral("give phaseCurrentsA or currentA, not both"), key("currentA"));
        const QJsonArray phases = fields.value(key("phaseCurrentsA")).toArray();
        std::array<double, 3> currents {};
        for (qsizetype phase = 0; phase < 3; ++phase) {
            const QJsonValue value = phases.size() == 3 ? phases[phase] : QJsonValue();
            if (!value.isDouble() || value.toDouble() < 0.0 || value.toDouble() > kMaxCurrentA) {
                return errorResponse(
                    400, QStringLiteral("must be three numbers from 0 to %1").arg(kMaxCurrentA), key("phaseCurrentsA"));
            }
            currents[static_cast<size_t>(phase)] = value.toDouble();
        }
        limit.currentA = currents;
    }
    std::optional<double> currentA;
    std::optional<double> powerKw;
    if (auto error = readLimit(fields, key("currentA"), kMaxCurrentA, currentA))
        return *error;
    if (auto error = readLimit(fields, key("powerKw"), kMaxPowerKw, powerKw))
        return *error;
    if (currentA)
        limit.currentA = std::array<double, 3> {*currentA, *currentA, *currentA};
    if (powerKw)
        limit.powerW = *powerKw * 1000.0;
    if (!limit.currentA && !limit.powerW)
        return errorResponse(400, QStringLiteral("give phaseCurrentsA, currentA or powerKw"), key("phaseCurrentsA"));
    if (auto error = readExpiry(fields, limit.expiresAt))
        return *error;
    return apply(limit, request);
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
    case LimitChange::NotStored:
        return errorResponse(500, QStringLiteral("the limit could not be stored"));
    }
    qCInfo(lcWeb).noquote() << limit.setBy << "set the"
                            << (limit.chargePointId.isEmpty()
                                       ? QStringLiteral("site's dynamic limit")
                                       : QStringLiteral("manual limit of ") + limit.chargePointId)
                            << "until" << timeText(limit.expiresAt);
    return jsonResponse(limitJson(limit, !limit.chargePointId.isEmpty(), limit.powerW.has_value()));
}

ApiResponse LimitsApi::remove(const QString& chargePointId) const
{
    if (!available())
        return errorResponse(503, QStringLiteral("limits cannot be set now"));
    switch (m_services.clearOperatorLimit(chargePointId)) {
    case LimitChange::Applied:
        return noContent();
    case LimitChange::UnknownChargePoint:
        return unknownChargePoint();
    case LimitChange::NotStored:
        break;
    }
    return errorResponse(500, QStringLiteral("the limit could not be removed"));
}

} // namespace

} // namespace linkray::web
