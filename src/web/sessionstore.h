#pragma once

#include "core/clock.h"
#include "storage/database.h"
#include "web/apimessage.h"

#include <QString>

#include <optional>

// Login sessions of web users, kept in the database so that they survive a restart.
namespace linkray::web {

struct SessionLimits {
    qint64 idleTimeoutMs = 30 * 60 * 1000; // ends after this long without a request
    qint64 lifetimeMs = 12 * 60 * 60 * 1000; // ends this long after the login, used or not
};

// A session as made by create(): the token goes into the cookie and is never stored or logged.
struct NewSession {
    QString token;
    Session session;
};

// Tokens are 32 random bytes; only their SHA-256 is stored. Expiry follows the injected clock's wall time.
class SessionStore {
public:
    SessionStore(Clock& clock, storage::Database& db, SessionLimits limits);

    std::optional<NewSession> create(const QString& userName);
    // The live session of `token` (with the user's current role), and marks it used. An expired one is removed.
    std::optional<Session> find(const QString& token);
    // As find(), without marking the session used: an open live-update stream does not keep its session alive.
    std::optional<Session> findUnused(const QString& token);
    void remove(const QString& token);
    // Ends every session of `userName` but the one of `keepToken` (a password or role change).
    void removeAllOf(const QString& userName, const QString& keepToken = {});
    const SessionLimits& limits() const { return m_limits; }

private:
    std::optional<Session> lookUp(const QString& token, bool markUsed);

    Clock& m_clock;
    storage::Database& m_db;
    SessionLimits m_limits;
};

QString tokenHash(const QString& token);

} // namespace linkray::web
