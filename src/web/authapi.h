#pragma once

#include "core/clock.h"
#include "storage/database.h"
#include "web/ratelimiter.h"
#include "web/router.h"
#include "web/sessionstore.h"
#include "web/userrepository.h"

// First-admin setup, login sessions and the users admins manage: /api/v1/setup, /session, /users.
namespace linkray::web {

// An admin account made from the command line (linkray --create-admin): the first one on a box nobody has set up in
// the browser yet, or a way back in for whoever has the box's root password. The same name and password rules as
// the API. Returns why it was not created.
std::optional<QString> createAdminAccount(
    storage::Database& db, Clock& clock, const QString& name, const QString& password);

class AuthApi {
public:
    // `secureCookies`: served over HTTPS, so the session cookie is marked Secure.
    AuthApi(Clock& clock, storage::Database& db, SessionStore& sessions, bool secureCookies);

    void addRoutes(Router& router);

private:
    ApiResponse setupState(const ApiRequest& request);
    ApiResponse setup(const ApiRequest& request);
    ApiResponse login(const ApiRequest& request);
    ApiResponse currentSession(const ApiRequest& request);
    ApiResponse logout(const ApiRequest& request);
    ApiResponse listUsers(const ApiRequest& request);
    ApiResponse createUser(const ApiRequest& request);
    ApiResponse updateUser(const ApiRequest& request);
    ApiResponse deleteUser(const ApiRequest& request);

    // A new session for `user`, answered with its cookie and CSRF token.
    ApiResponse startSession(const UserRecord& user, int status);
    QJsonObject sessionJson(const Session& session) const;
    bool passwordMatches(const std::optional<UserRecord>& user, const QString& password);
    std::optional<ApiResponse> lastAdminGuard(const UserRecord& user);

    Clock& m_clock;
    UserRepository m_users;
    SessionStore& m_sessions;
    RateLimiter m_loginFailures;
    bool m_secureCookies;
    QString m_decoyHash; // verified when the user does not exist, so that timing does not tell names apart
};

} // namespace linkray::web
