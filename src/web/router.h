#pragma once

#include "web/apimessage.h"
#include "web/roles.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QHttpServerRequest;
class QHttpServerResponder;

namespace linkray::web {

class SessionStore;

// Hands the handler's response back; may be called later (a command waiting for the charger), exactly once.
using Reply = std::function<void(ApiResponse)>;
using Handler = std::function<void(const ApiRequest&, Reply)>;
using SyncHandler = std::function<ApiResponse(const ApiRequest&)>;
// Takes over the responder of an authenticated request, for answers that stay open (server-sent events).
using StreamHandler = std::function<void(const ApiRequest&, QHttpServerResponder&&)>;

// Who may call a route: anyone, or a session whose role grants `permission`.
struct Access {
    std::optional<Permission> permission; // nullopt: public

    static Access open() { return Access {std::nullopt}; }
    static Access needs(Permission permission) { return Access {permission}; }
};

struct Route {
    QByteArray method; // "GET", "POST", "PUT", "PATCH", "DELETE"
    QString pattern; // "/api/v1/users/{name}": a {name} segment matches one non-empty path segment
    Access access;
    Handler handler;
    StreamHandler stream; // set instead of handler for a stream route
};

// The one routing table of the API. Every request QHttpServer receives comes here: unknown paths get 404, a known
// path with another method 405 (QHttpServer 6.4 itself would say 404), a body over kMaxBodyBytes 413. Then the
// session cookie (401), the CSRF token of every state-changing request (403) and the role (403) are checked.
class Router {
public:
    explicit Router(SessionStore& sessions);

    void add(const QByteArray& method, const QString& pattern, Access access, SyncHandler handler);
    void addDeferred(const QByteArray& method, const QString& pattern, Access access, Handler handler);
    void addStream(const QByteArray& method, const QString& pattern, Access access, StreamHandler handler);
    const QList<Route>& routes() const { return m_routes; }

    void dispatch(const QHttpServerRequest& request, QHttpServerResponder&& responder);

private:
    std::optional<ApiResponse> authenticate(const Route& route, ApiRequest& request, const QByteArray& csrfHeader);

    SessionStore& m_sessions;
    QList<Route> m_routes;
};

// Writes `response` with the headers every answer of the API carries.
void writeResponse(QHttpServerResponder& responder, const ApiResponse& response);

inline constexpr auto kSessionCookieName = "linkray_session";

} // namespace linkray::web
