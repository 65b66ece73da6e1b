#include "web/apimessage.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace linkray::web {

ApiResponse jsonResponse(const QJsonObject& object, int status)
{
    return ApiResponse {status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

ApiResponse noContent()
{
    return ApiResponse {204, {}, {}, {}};
}

ApiResponse errorResponse(int status, const QString& message, const QString& field)
{
    QJsonObject object {{QStringLiteral("error"), message}};
    if (!field.isEmpty())
        object.insert(QStringLiteral("field"), field);
    return jsonResponse(object, status);
}

QString timeText(const QDateTime& time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue optionalTime(const std::optional<QDateTime>& time)
{
    return time ? QJsonValue(timeText(*time)) : QJsonValue(QJsonValue::Null);
}

std::variant<QJsonObject, ApiResponse> jsonBody(const ApiRequest& request)
{
    // A cross-site form cannot send application/json without a CORS preflight, which LinkRay never grants.
    if (!request.contentType.startsWith("application/json"))
        return errorResponse(415, QStringLiteral("the body must be application/json"), QStringLiteral("Content-Type"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return errorResponse(400, QStringLiteral("the body is not a JSON object"), QStringLiteral("body"));
    return document.object();
}

std::optional<ApiResponse> rejectUnknownFields(const QJsonObject& body, const QStringList& allowed)
{
    for (auto field = body.begin(); field != body.end(); ++field) {
        if (!allowed.contains(field.key()))
            return errorResponse(400, QStringLiteral("unknown field"), field.key());
    }
    return std::nullopt;
}

std::optional<ApiResponse> readText(
    const QJsonObject& body, const QString& key, int minLength, int maxLength, bool required, QString& out)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined()) {
        if (required)
            return errorResponse(400, QStringLiteral("is required"), key);
        return std::nullopt;
    }
    if (!value.isString())
        return errorResponse(400, QStringLiteral("must be text"), key);
    const QString text = value.toString();
    if (text.size() < minLength || text.size() > maxLength) {
        return errorResponse(
            400, QStringLiteral("must be %1 to %2 characters long").arg(minLength).arg(maxLength), key);
    }
    out = text;
    return std::nullopt;
}

std::optional<ApiResponse> readQueryInt(
    const ApiRequest& request, const QString& name, int min, int max, int fallback, int& out)
{
    if (!request.query.hasQueryItem(name)) {
        out = fallback;
        return std::nullopt;
    }
    bool ok = false;
    const int value = request.queryItem(name).toInt(&ok);
    if (!ok || value < min || value > max)
        return errorResponse(400, QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max), name);
    out = value;
    return std::nullopt;
}

std::optional<ApiResponse> readQueryTime(const ApiRequest& request, const QString& name, std::optional<QDateTime>& out)
{
    if (!request.query.hasQueryItem(name))
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(request.queryItem(name), Qt::ISODateWithMs);
    if (!time.isValid() || time.timeSpec() == Qt::LocalTime)
        return errorResponse(400, QStringLiteral("must be an RFC 3339 date-time with a time zone"), name);
    out = time.toUTC();
    return std::nullopt;
}

std::optional<ApiResponse> readQueryText(const ApiRequest& request, const QString& name, int maxLength, QString& out)
{
    out = request.queryItem(name);
    if (out.size() > maxLength)
        return errorResponse(400, QStringLiteral("must be at most %1 characters long").arg(maxLength), name);
    return std::nullopt;
}

std::optional<ApiResponse> readFormat(const ApiRequest& request, bool& csv)
{
    const QString format = request.queryItem(QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("csv"))
        return errorResponse(400, QStringLiteral("must be json or csv"), QStringLiteral("format"));
    csv = format == QLatin1String("csv");
    return std::nullopt;
}

} // namespace linkray::web
