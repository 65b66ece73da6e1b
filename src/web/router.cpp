#include "web/router.h"

#include "core/passwordhash.h"
#include "web/logging.h"
#include "web/sessionstore.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QMetaEnum>
#include <QNetworkCookie>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>

namespace linkray::web {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    default:
        break;
    }
    return "OTHER";
}

QStringList pathSegments(const QUrl& url)
{
    // Split before decoding, so that an encoded "/" inside an idTag stays inside its segment.
    QStringList segments = url.path(QUrl::FullyEncoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (QString& segment : segments)
        segment = QUrl::fromPercentEncoding(segment.toUtf8());
    return segments;
}

std::optional<QHash<QString, QString>> match(const QString& pattern, const QStringList& segments)
{
    const QStringList parts = pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() != segments.size())
        return std::nullopt;
    QHash<QString, QString> params;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i].startsWith(QLatin1Char('{')))
            params.insert(parts[i].mid(1, parts[i].size() - 2), segments[i]);
        else if (parts[i] != segments[i])
            return std::nullopt;
    }
    return params;
}

QString sessionTokenOf(const QHttpServerRequest& request)
{
    for (const QByteArray& header : request.value("Cookie").split(';')) {
        for (const QNetworkCookie& cookie : QNetworkCookie::parseCookies(header.trimmed())) {
            if (cookie.name() == kSessionCookieName)
                return QString::fromLatin1(cookie.value());
        }
    }
    return {};
}

} // namespace

void writeResponse(QHttpServerResponder& responder, const ApiResponse& response)
{
    QHttpServerResponse out(
        response.contentType, response.body, static_cast<QHttpServerResponse::StatusCode>(response.status));
    for (const auto& [name, value] : response.headers)
        out.addHeader(name, value);
    out.addHeader("Cache-Control", "no-store");
    out.addHeader("X-Content-Type-Options", "nosniff");
    out.write(std::move(responder));
}

Router::Router(SessionStore& sessions)
    : m_sessions(sessions)
{
}

void Router::add(const QByteArray& method, const QString& pattern, Access access, SyncHandler handler)
{
    addDeferred(method, pattern, access,
        [handler = std::move(handler)](const ApiRequest& request, const Reply& reply) { reply(handler(request)); });
}

void Router::addDeferred(const QByteArray& method, const QString& pattern, Access access, Handler handler)
{
    m_routes.append(Route {method, pattern, access, std::move(handler), {}});
}

void Router::addStream(const QByteArray& method, const QString& pattern, Access access, StreamHandler handler)
{
    m_routes.append(Route {method, pattern, access, {}, std::move(handler)});
}

void Router::dispatch(const QHttpServerRequest& httpRequest, QHttpServerResponder&& responder)
{
    const QByteArray method = methodName(httpRequest.method());
    const QStringList segments = pathSegments(httpRequest.url());
    const Route* found = nullptr;
    QStringList allowed;
    ApiRequest request;
    for (const Route& route : m_routes) {
        const auto params = match(route.pattern, segments);
        if (!params)
            continue;
        allowed.append(QString::fromLatin1(route.method));
        if (route.method == method) {
            found = &route;
            request.params = *params;
        }
    }
    if (!found) {
        ApiResponse response = allowed.isEmpty() ? errorResponse(404, QStringLiteral("no such resource"))
                                                 : errorResponse(405, QStringLiteral("method not allowed"));
        if (!allowed.isEmpty())
            response.headers.append({"Allow", allowed.join(QStringLiteral(", ")).toLatin1()});
        writeResponse(responder, response);
        return;
    }
    if (httpRequest.body().size() > kMaxBodyBytes) {
        writeResponse(
            responder, errorResponse(413, QStringLiteral("the body is larger than %1 bytes").arg(kMaxBodyBytes)));
        return;
    }
    request.method = method;
    request.query = httpRequest.query();
    request.body = httpRequest.body();
    request.contentType = httpRequest.value("Content-Type").toLower();
    request.clientAddress = httpRequest.remoteAddress().toString();
    request.sessionToken = sessionTokenOf(httpRequest);
    if (const auto refused = authenticate(*found, request, httpRequest.value("X-CSRF-Token"))) {
        writeResponse(responder, *refused);
        return;
    }
    if (found->stream) {
        found->stream(request, std::move(responder));
        return;
    }

    // The handler may answer after this request returned: the responder moves into the reply, which writes only
    // while the client's socket is still there.
    auto kept = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = kept->socket();
    const QString routeName = QString::fromLatin1(method) + QLatin1Char(' ') + found->pattern;
    found->handler(request, [kept, socket, routeName](const ApiResponse& response) {
        if (!socket) {
            qCInfo(lcWeb) << routeName << "answered after the client left";
            return;
        }
        writeResponse(*kept, response);
    });
}

std::optional<ApiResponse> Router::authenticate(const Route& route, ApiRequest& request, const QByteArray& csrfHeader)
{
    if (!route.access.permission)
        return std::nullopt;
    request.session = m_sessions.find(request.sessionToken);
    if (!request.session)
        return errorResponse(401, QStringLiteral("log in first"));
    if (request.method != "GET" && !constantTimeEquals(csrfHeader, request.session->csrfToken.toLatin1()))
        return errorResponse(403, QStringLiteral("missing or wrong CSRF token"), QStringLiteral("X-CSRF-Token"));
    if (!grants(request.session->role, *route.access.permission))
        return errorResponse(403, QStringLiteral("your role does not allow this"));
    return std::nullopt;
}

} // namespace linkray::web
