#include "web/sessionstore.h"

#include "storage/sqlsupport.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace linkray::web {

namespace sql = storage::sql;

namespace {

// A session in use is written back at most this often, so that reading pages does not write the disk each time.
constexpr qint64 kLastUsedResolutionMs = 60 * 1000;

QString randomToken()
{
    std::array<quint32, 8> words {};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char*>(words.data()), sizeof(words));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QString tokenHash(const QString& token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

SessionStore::SessionStore(Clock& clock, storage::Database& db, SessionLimits limits)
    : m_clock(clock)
    , m_db(db)
    , m_limits(limits)
{
}

std::optional<NewSession> SessionStore::create(const QString& userName)
{
    NewSession created {randomToken(), Session {}};
    created.session.userName = userName;
    created.session.csrfToken = randomToken();
    created.session.createdAt = m_clock.nowUtc();
    created.session.lastUsedAt = created.session.createdAt;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, last_used_at) "
                           "VALUES (?, ?, ?, ?, ?)"),
            {tokenHash(created.token), userName, created.session.csrfToken, sql::fromTime(created.session.createdAt),
                sql::fromTime(created.session.lastUsedAt)},
            "create session"))
        return std::nullopt;
    return created;
}

std::optional<Session> SessionStore::find(const QString& token)
{
    return lookUp(token, true);
}

std::optional<Session> SessionStore::findUnused(const QString& token)
{
    return lookUp(token, false);
}

std::optional<Session> SessionStore::lookUp(const QString& token, bool markUsed)
{
    if (token.isEmpty())
        return std::nullopt;
    const QString hash = tokenHash(token);
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral("SELECT s.user_name, u.role, s.csrf_token, s.created_at, s.last_used_at "
                           "FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?"),
            {hash}, "find session")
        || !query.next())
        return std::nullopt;
    Session session {query.value(0).toString(), roleFromName(query.value(1).toString()).value_or(Role::Viewer),
        query.value(2).toString(), sql::toTime(query.value(3)), sql::toTime(query.value(4))};
    const QDateTime now = m_clock.nowUtc();
    if (session.lastUsedAt.msecsTo(now) >= m_limits.idleTimeoutMs
        || session.createdAt.msecsTo(now) >= m_limits.lifetimeMs) {
        remove(token);
        return std::nullopt;
    }
    if (markUsed && session.lastUsedAt.msecsTo(now) >= kLastUsedResolutionMs) {
        QSqlQuery touch(m_db.connection());
        sql::execute(touch, QStringLiteral("UPDATE sessions SET last_used_at = ? WHERE token_hash = ?"),
            {sql::fromTime(now), hash}, "mark session used");
        session.lastUsedAt = now;
    }
    return session;
}

void SessionStore::remove(const QString& token)
{
    QSqlQuery query(m_db.connection());
    sql::execute(
        query, QStringLiteral("DELETE FROM sessions WHERE token_hash = ?"), {tokenHash(token)}, "remove session");
}

void SessionStore::removeAllOf(const QString& userName, const QString& keepToken)
{
    QSqlQuery query(m_db.connection());
    sql::execute(query, QStringLiteral("DELETE FROM sessions WHERE user_name = ? AND token_hash <> ?"),
        {userName, tokenHash(keepToken)}, "remove sessions of a user");
}

} // namespace linkray::web
