#include "web/authapi.h"

#include "core/passwordhash.h"
#include "web/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace linkray::web {

namespace {

// Login failures allowed per client address and per user name in one window, then 429 until one leaves it.
constexpr int kMaxLoginFailures = 5;
constexpr qint64 kLoginFailureWindowMs = 60 * 1000;
constexpr int kMaxNameLength = 64;
constexpr int kMinPasswordLength = 10;
constexpr int kMaxPasswordLength = 256;

std::optional<ApiResponse> readUserName(const QJsonObject& body, QString& name)
{
    if (auto error = readText(body, QStringLiteral("name"), 1, kMaxNameLength, true, name))
        return error;
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._@-]+$"));
    if (!allowed.match(name).hasMatch())
        return errorResponse(400, QStringLiteral("may hold only letters, digits and . _ @ -"), QStringLiteral("name"));
    return std::nullopt;
}

std::optional<ApiResponse> readPassword(const QJsonObject& body, bool required, QString& password)
{
    return readText(body, QStringLiteral("password"), kMinPasswordLength, kMaxPasswordLength, required, password);
}

std::optional<ApiResponse> readRole(const QJsonObject& body, bool required, std::optional<Role>& role)
{
    QString name;
    if (auto error = readText(body, QStringLiteral("role"), 1, 16, required, name))
        return error;
    if (name.isEmpty())
        return std::nullopt;
    role = roleFromName(name);
    if (!role)
        return errorResponse(400, QStringLiteral("must be admin, operator or viewer"), QStringLiteral("role"));
    return std::nullopt;
}

QJsonObject userJson(const UserRecord& user)
{
    return QJsonObject {{QStringLiteral("name"), user.name}, {QStringLiteral("role"), roleName(user.role)},
        {QStringLiteral("createdAt"), timeText(user.createdAt)},
        {QStringLiteral("updatedAt"), timeText(user.updatedAt)}};
}

ApiResponse storageFailure()
{
    return errorResponse(500, QStringLiteral("the database could not be read or written"));
}

QByteArray retryAfterSeconds(qint64 blockedMs)
{
    return QByteArray::number(static_cast<qint64>(std::ceil(static_cast<double>(blockedMs) / 1000.0)));
}

} // namespace

AuthApi::AuthApi(Clock& clock, storage::Database& db, SessionStore& sessions, bool secureCookies)
    : m_clock(clock)
    , m_users(db)
    , m_sessions(sessions)
    , m_loginFailures(clock, kMaxLoginFailures, kLoginFailureWindowMs)
    , m_secureCookies(secureCookies)
{
}

void AuthApi::addRoutes(Router& router)
{
    const auto bind = [this](ApiResponse (AuthApi::*method)(const ApiRequest&)) {
        return [this, method](const ApiRequest& request) { return (this->*method)(request); };
    };
    router.add("GET", QStringLiteral("/api/v1/setup"), Access::open(), bind(&AuthApi::setupState));
    router.add("POST", QStringLiteral("/api/v1/setup"), Access::open(), bind(&AuthApi::setup));
    router.add("POST", QStringLiteral("/api/v1/session"), Access::open(), bind(&AuthApi::login));
    // Open, so that the web app learns whether it must show the login page without a failed request.
    router.add("GET", QStringLiteral("/api/v1/session"), Access::open(), bind(&AuthApi::currentSession));
    router.add("DELETE", QStringLiteral("/api/v1/session"), Access::needs(Permission::Read), bind(&AuthApi::logout));
    router.add(
        "GET", QStringLiteral("/api/v1/users"), Access::needs(Permission::Administer), bind(&AuthApi::listUsers));
    router.add(
        "POST", QStringLiteral("/api/v1/users"), Access::needs(Permission::Administer), bind(&AuthApi::createUser));
    router.add("PATCH", QStringLiteral("/api/v1/users/{name}"), Access::needs(Permission::Administer),
        bind(&AuthApi::updateUser));
    router.add("DELETE", QStringLiteral("/api/v1/users/{name}"), Access::needs(Permission::Administer),
        bind(&AuthApi::deleteUser));
}

ApiResponse AuthApi::setupState(const ApiRequest&)
{
    const auto count = m_users.count();
    if (!count)
        return storageFailure();
    return jsonResponse({{QStringLiteral("required"), *count == 0}});
}

std::optional<QString> createAdminAccount(
    storage::Database& db, Clock& clock, const QString& name, const QString& password)
{
    const QJsonObject fields {{QStringLiteral("name"), name}, {QStringLiteral("password"), password}};
    UserRecord user;
    QString checkedPassword;
    std::optional<ApiResponse> refusal = readUserName(fields, user.name);
    if (!refusal)
        refusal = readPassword(fields, true, checkedPassword);
    if (refusal) {
        const QJsonObject error = QJsonDocument::fromJson(refusal->body).object();
        return QStringLiteral("%1 %2").arg(
            error.value(QLatin1String("field")).toString(), error.value(QLatin1String("error")).toString());
    }
    user.role = Role::Admin;
    user.passwordHash = hashPasswordScrypt(checkedPassword);
    user.createdAt = clock.nowUtc();
    user.updatedAt = user.createdAt;
    switch (UserRepository(db).create(user)) {
    case UserRepository::Creation::Created:
        qCInfo(lcWeb) << "admin" << user.name << "created from the command line";
        return std::nullopt;
    case UserRepository::Creation::Exists:
        return QStringLiteral("a user named %1 exists already").arg(user.name);
    case UserRepository::Creation::Failed:
        break;
    }
    return QStringLiteral("the database could not store the account");
}

ApiResponse AuthApi::setup(const ApiRequest& request)
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    UserRecord user;
    QString password;
    if (auto error = rejectUnknownFields(fields, {QStringLiteral("name"), QStringLiteral("password")}))
        return *error;
    if (auto error = readUserName(fields, user.name))
        return *error;
    if (auto error = readPassword(fields, true, password))
        return *error;
    // Checked before the slow hash as well, so that probing a set-up site costs it nothing.
    if (m_users.count().value_or(1) > 0)
        return errorResponse(409, QStringLiteral("LinkRay is already set up"));
    user.role = Role::Admin;
    user.passwordHash = hashPasswordScrypt(password);
    user.createdAt = m_clock.nowUtc();
    user.updatedAt = user.createdAt;
    switch (m_users.create(user, true)) {
    case UserRepository::Creation::Created:
        break;
    case UserRepository::Creation::Exists:
        return errorResponse(409, QStringLiteral("LinkRay is already set up"));
    case UserRepository::Creation::Failed:
        return storageFailure();
    }
    qCInfo(lcWeb) << "first admin" << user.name << "created from" << request.clientAddress;
    return startSession(user, 201);
}

ApiResponse AuthApi::login(const ApiRequest& request)
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    QString name;
    QString password;
    if (auto error = rejectUnknownFields(fields, {QStringLiteral("name"), QStringLiteral("password")}))
        return *error;
    if (auto error = readText(fields, QStringLiteral("name"), 1, kMaxNameLength, true, name))
        return *error;
    if (auto error = readText(fields, QStringLiteral("password"), 1, kMaxPasswordLength, true, password))
        return *error;

    const QString addressKey = QStringLiteral("address ") + request.clientAddress;
    const QString nameKey = QStringLiteral("name ") + name.toCaseFolded();
    const qint64 blockedMs = std::max(
        m_loginFailures.blockedForMs(addressKey).value_or(0), m_loginFailures.blockedForMs(nameKey).value_or(0));
    if (blockedMs > 0) {
        ApiResponse refused = errorResponse(429, QStringLiteral("too many failed logins, try again later"));
        refused.headers.append({"Retry-After", retryAfterSeconds(blockedMs)});
        return refused;
    }
    const auto user = m_users.find(name);
    if (!passwordMatches(user, password)) {
        m_loginFailures.recordFailure(addressKey);
        m_loginFailures.recordFailure(nameKey);
        qCWarning(lcWeb) << "failed login as" << name << "from" << request.clientAddress;
        return errorResponse(401, QStringLiteral("wrong name or password"));
    }
    qCInfo(lcWeb) << user->name << "logged in from" << request.clientAddress;
    return startSession(*user, 200);
}

ApiResponse AuthApi::currentSession(const ApiRequest& request)
{
    const std::optional<Session> session = m_sessions.find(request.sessionToken);
    if (!session)
        return jsonResponse({{QStringLiteral("session"), QJsonValue::Null}});
    return jsonResponse(sessionJson(*session));
}

ApiResponse AuthApi::logout(const ApiRequest& request)
{
    m_sessions.remove(request.sessionToken);
    ApiResponse response = noContent();
    response.headers.append({"Set-Cookie",
        QByteArray(kSessionCookieName) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            + (m_secureCookies ? "; Secure" : "")});
    return response;
}

ApiResponse AuthApi::listUsers(const ApiRequest&)
{
    QJsonArray users;
    for (const UserRecord& user : m_users.list())
        users.append(userJson(user));
    return jsonResponse({{QStringLiteral("users"), users}});
}

ApiResponse AuthApi::createUser(const ApiRequest& request)
{
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    UserRecord user;
    QString password;
    std::optional<Role> role;
    if (auto error
        = rejectUnknownFields(fields, {QStringLiteral("name"), QStringLiteral("password"), QStringLiteral("role")}))
        return *error;
    if (auto error = readUserName(fields, user.name))
        return *error;
    if (auto error = readPassword(fields, true, password))
        return *error;
    if (auto error = readRole(fields, true, role))
        return *error;
    if (m_users.find(user.name))
        return errorResponse(409, QStringLiteral("a user of that name exists"), QStringLiteral("name"));
    user.role = *role;
    user.passwordHash = hashPasswordScrypt(password);
    user.createdAt = m_clock.nowUtc();
    user.updatedAt = user.createdAt;
    switch (m_users.create(user)) {
    case UserRepository::Creation::Created:
        break;
    case UserRepository::Creation::Exists:
        return errorResponse(409, QStringLiteral("a user of that name exists"), QStringLiteral("name"));
    case UserRepository::Creation::Failed:
        return storageFailure();
    }
    qCInfo(lcWeb) << request.session->userName << "created user" << user.name << "as" << roleName(user.role);
    return jsonResponse(userJson(user), 201);
}

ApiResponse AuthApi::updateUser(const ApiRequest& request)
{
    auto user = m_users.find(request.param(QStringLiteral("name")));
    if (!user)
        return errorResponse(404, QStringLiteral("no such user"), QStringLiteral("name"));
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    QString password;
    std::optional<Role> role;
    if (auto error = rejectUnknownFields(fields, {QStringLiteral("password"), QStringLiteral("role")}))
        return *error;
    if (auto error = readPassword(fields, false, password))
        return *error;
    if (auto error = readRole(fields, false, role))
        return *error;
    if (role && *role != Role::Admin) {
        if (auto refused = lastAdminGuard(*user))
            return *refused;
    }
    if (role)
        user->role = *role;
    if (!password.isEmpty())
        user->passwordHash = hashPasswordScrypt(password);
    user->updatedAt = m_clock.nowUtc();
    if (!m_users.update(*user))
        return storageFailure();
    // Whoever held this account's other sessions must log in again with the new password or role.
    m_sessions.removeAllOf(user->name, request.sessionToken);
    qCInfo(lcWeb) << request.session->userName << "changed user" << user->name << (role ? "role" : "")
                  << (password.isEmpty() ? "" : "password");
    return jsonResponse(userJson(*user));
}

ApiResponse AuthApi::deleteUser(const ApiRequest& request)
{
    const auto user = m_users.find(request.param(QStringLiteral("name")));
    if (!user)
        return errorResponse(404, QStringLiteral("no such user"), QStringLiteral("name"));
    if (auto refused = lastAdminGuard(*user))
        return *refused;
    if (!m_users.remove(user->name))
        return storageFailure();
    qCInfo(lcWeb) << request.session->userName << "deleted user" << user->name;
    return noContent();
}

ApiResponse AuthApi::startSession(const UserRecord& user, int status)
{
    const auto created = m_sessions.create(user.name);
    if (!created)
        return storageFailure();
    Session session = created->session;
    session.role = user.role;
    ApiResponse response = jsonResponse(sessionJson(session), status);
    response.headers.append({"Set-Cookie",
        QByteArray(kSessionCookieName) + '=' + created->token.toLatin1() + "; Path=/; HttpOnly; SameSite=Strict"
            + (m_secureCookies ? "; Secure" : "")});
    return response;
}

QJsonObject AuthApi::sessionJson(const Session& session) const
{
    const QDateTime expiresAt = std::min(session.lastUsedAt.addMSecs(m_sessions.limits().idleTimeoutMs),
        session.createdAt.addMSecs(m_sessions.limits().lifetimeMs));
    return QJsonObject {
        {QStringLiteral("user"),
            QJsonObject {{QStringLiteral("name"), session.userName}, {QStringLiteral("role"), roleName(session.role)}}},
        {QStringLiteral("csrfToken"), session.csrfToken},
        {QStringLiteral("createdAt"), timeText(session.createdAt)},
        {QStringLiteral("expiresAt"), timeText(expiresAt)},
    };
}

bool AuthApi::passwordMatches(const std::optional<UserRecord>& user, const QString& password)
{
    if (!user) {
        if (m_decoyHash.isEmpty())
            m_decoyHash = hashPasswordScrypt(QStringLiteral("decoy password"));
        verifyPassword(password, m_decoyHash);
        return false;
    }
    return verifyPassword(password, user->passwordHash);
}

std::optional<ApiResponse> AuthApi::lastAdminGuard(const UserRecord& user)
{
    if (user.role != Role::Admin)
        return std::nullopt;
    const auto admins = m_users.adminCount();
    if (!admins)
        return storageFailure();
    if (*admins <= 1)
        return errorResponse(
            409, QStringLiteral("the last admin cannot be removed or demoted"), QStringLiteral("role"));
    return std::nullopt;
}

} // namespace linkray::web
