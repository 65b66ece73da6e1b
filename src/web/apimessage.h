#pragma once

#include "web/roles.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>
#include <variant>

// A request as the resource handlers see it (already routed and authenticated) and the response they give.
namespace linkray::web {

// Requests larger than this are refused with 413 (a whitelist of 10,000 tags as CSV is about 600 KB).
inline constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

struct Session {
    QString userName;
    Role role = Role::Viewer;
    QString csrfToken;
    QDateTime createdAt;
    QDateTime lastUsedAt;
};

struct ApiRequest {
    QByteArray method; // "GET", "POST", ...
    QHash<QString, QString> params; // the route's {name} segments, percent-decoded
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType;
    QString clientAddress;
    QString sessionToken; // from the session cookie; empty when none was sent
    std::optional<Session> session; // set for every route that needs one

    QString param(const QString& name) const { return params.value(name); }
    QString queryItem(const QString& name) const { return query.queryItemValue(name, QUrl::FullyDecoded); }
};

struct ApiResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

ApiResponse jsonResponse(const QJsonObject& object, int status = 200);
ApiResponse noContent();
// {"error": message, "field": field}; the field is left out when empty.
ApiResponse errorResponse(int status, const QString& message, const QString& field = {});

QString timeText(const QDateTime& time); // ISO 8601 UTC with milliseconds
QJsonValue optionalTime(const std::optional<QDateTime>& time); // null when absent

// The body as a JSON object (Content-Type application/json): 415 or 400 otherwise.
std::variant<QJsonObject, ApiResponse> jsonBody(const ApiRequest& request);
// 400 naming the first key of `body` that is not in `allowed`.
std::optional<ApiResponse> rejectUnknownFields(const QJsonObject& body, const QStringList& allowed);
// Reads body[key] as text of minLength..maxLength characters. Absent: nullopt without error unless required.
std::optional<ApiResponse> readText(
    const QJsonObject& body, const QString& key, int minLength, int maxLength, bool required, QString& out);
// A query item as an integer in [min, max], `fallback` when absent; 400 naming it otherwise.
std::optional<ApiResponse> readQueryInt(
    const ApiRequest& request, const QString& name, int min, int max, int fallback, int& out);
// A query item as an RFC 3339 date-time; 400 naming it when present but not one.
std::optional<ApiResponse> readQueryTime(const ApiRequest& request, const QString& name, std::optional<QDateTime>& out);
// A query item bounded to maxLength characters; 400 naming it beyond that.
std::optional<ApiResponse> readQueryText(const ApiRequest& request, const QString& name, int maxLength, QString& out);
// ?format=csv asks for CSV, absent or json for JSON; 400 otherwise.
std::optional<ApiResponse> readFormat(const ApiRequest& request, bool& csv);

} // namespace linkray::web
