#pragma once

#include <QByteArray>
#include <QCache>
#include <QString>

// Salted, slow password hashes for credentials LinkRay stores (charge point AuthorizationKeys, web users).
namespace linkray {

// Iterations of PBKDF2-SHA256 for new hashes: one verification takes about 15 ms on the reference
// 2-core machine (Qt's PBKDF2 runs at ~1.5 µs per iteration there).
inline constexpr int kPasswordHashIterations = 10000;

// scrypt cost for new web user password hashes: N = 2^14, r = 8, p = 1 uses 16 MiB and takes about 40 ms on the
// reference x86 machine, 80-100 ms on a 2-core ARM Cortex-A72 class board. Memory-hard, so a stolen database is
// expensive to attack with GPUs; too slow for the charge points' reconnect storms, which keep PBKDF2.
inline constexpr int kScryptLog2Cost = 14;
inline constexpr int kScryptBlockSize = 8;
inline constexpr int kScryptParallelism = 1;

// Returns "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" with a fresh 16-byte random salt.
QString hashPassword(const QString& password);

// Returns "scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>" with a fresh 16-byte random salt (OpenSSL's scrypt).
QString hashPasswordScrypt(const QString& password);

// Takes the same time wherever the first difference is, so timing does not reveal how much of a secret (a hash, a
// CSRF token) matched.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

// True when `password` matches `encoded` (as made by hashPassword or hashPasswordScrypt). Malformed `encoded`, or
// cost parameters beyond what this build accepts, give false.
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
