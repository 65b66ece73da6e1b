#pragma once

#include <QByteArray>
#include <QCache>
#include <QString>

// Salted, slow password hashes for credentials LinkRay stores (charge point AuthorizationKeys, web users).
namespace linkray {

// Iterations of PBKDF2-SHA256 for new hashes: one verification takes about 15 ms on the reference
// 2-core machine (Qt's PBKDF2 runs at ~1.5 µs per iteration there).
inline constexpr int kPasswordHashIterations = 10000;

// Returns "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" with a fresh 16-byte random salt.
QString hashPassword(const QString& password);

// True when `password` matches `encoded` (as made by hashPassword). Malformed `encoded` gives false.
bool verifyPassword(const QString& password, const QString& encoded);

// verifyPassword with a bounded memory of recent successes, so a reconnect storm of charge points with the
// right password does not pay the key derivation each time. Failures are never remembered: wrong guesses
// always cost the full derivation. Changing the stored hash (password rotation) misses the memory.
class PasswordVerifier {
public:
    explicit PasswordVerifier(int capacity = 1024);

    bool verify(const QString& chargePointId, const QString& password, const QString& encoded);
    qsizetype rememberedCount() const { return m_verified.count(); }

private:
    struct Verified { };
    QByteArray cacheKey(const QString& chargePointId, const QString& password, const QString& encoded) const;

    QByteArray m_pepper;
    QCache<QByteArray, Verified> m_verified;
};

} // namespace linkray
