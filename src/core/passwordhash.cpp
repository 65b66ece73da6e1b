#include "core/passwordhash.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>

#include <array>
#include <openssl/evp.h>
#include <optional>

namespace linkray {

namespace {

constexpr auto kPbkdf2Scheme = QLatin1String("pbkdf2-sha256");
constexpr auto kScryptScheme = QLatin1String("scrypt");
constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;
// Refuse stored hashes that would make a single verification take minutes or gigabytes (a tampered configuration).
constexpr int kMaxIterations = 10'000'000;
constexpr int kMaxScryptLog2Cost = 20;
constexpr int kMaxScryptBlockSize = 32;
constexpr int kMaxScryptParallelism = 16;

struct ScryptCost {
    int log2Cost = kScryptLog2Cost;
    int blockSize = kScryptBlockSize;
    int parallelism = kScryptParallelism;
};

struct EncodedHash {
    std::optional<int> pbkdf2Iterations;
    std::optional<ScryptCost> scrypt;
    QByteArray salt;
    QByteArray hash;
};

template<int Bytes> QByteArray randomBytes()
{
    static_assert(Bytes % 4 == 0);
    std::array<quint32, Bytes / 4> words {};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char*>(words.data()), Bytes);
}

QByteArray derivePbkdf2(const QString& password, const QByteArray& salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), salt, iterations, kHashBytes);
}

// Empty when OpenSSL refuses (out of memory): never equal to a stored hash.
QByteArray deriveScrypt(const QString& password, const QByteArray& salt, const ScryptCost& cost)
{
    const QByteArray utf8 = password.toUtf8();
    const quint64 n = quint64(1) << cost.log2Cost;
    const quint64 r = static_cast<quint64>(cost.blockSize);
    const quint64 p = static_cast<quint64>(cost.parallelism);
    // scrypt needs 128 * r * (N + p) bytes; the margin covers OpenSSL's own bookkeeping.
    const quint64 maxMemory = 128 * r * (n + p) + 1024 * 1024;
    QByteArray key(kHashBytes, Qt::Uninitialized);
    const int ok = EVP_PBE_scrypt(utf8.constData(), static_cast<size_t>(utf8.size()),
        reinterpret_cast<const unsigned char*>(salt.constData()), static_cast<size_t>(salt.size()), n, r, p, maxMemory,
        reinterpret_cast<unsigned char*>(key.data()), static_cast<size_t>(key.size()));
    return ok == 1 ? key : QByteArray();
}

std::optional<QByteArray> strictBase64(const QString& text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

std::optional<int> boundedInt(const QString& text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

// The salt and hash are the last two fields of both formats.
std::optional<EncodedHash> withSaltAndHash(EncodedHash parsed, const QString& salt, const QString& hash)
{
    const auto decodedSalt = strictBase64(salt);
    const auto decodedHash = strictBase64(hash);
    if (!decodedSalt || !decodedHash || decodedHash->size() != kHashBytes)
        return std::nullopt;
    parsed.salt = *decodedSalt;
    parsed.hash = *decodedHash;
    return parsed;
}

std::optional<EncodedHash> parse(const QString& encoded)
{
    const QStringList parts = encoded.split(QLatin1Char('$'));
    if (parts.size() == 4 && parts[0] == kPbkdf2Scheme) {
        const auto iterations = boundedInt(parts[1], 1, kMaxIterations);
        if (!iterations)
            return std::nullopt;
        return withSaltAndHash(EncodedHash {iterations, std::nullopt, {}, {}}, parts[2], parts[3]);
    }
    if (parts.size() == 6 && parts[0] == kScryptScheme) {
        const auto log2Cost = boundedInt(parts[1], 1, kMaxScryptLog2Cost);
        const auto blockSize = boundedInt(parts[2], 1, kMaxScryptBlockSize);
        const auto parallelism = boundedInt(parts[3], 1, kMaxScryptParallelism);
        if (!log2Cost || !blockSize || !parallelism)
            return std::nullopt;
        return withSaltAndHash(
            EncodedHash {std::nullopt, ScryptCost {*log2Cost, *blockSize, *parallelism}, {}, {}}, parts[4], parts[5]);
    }
    return std::nullopt;
}

} // namespace

bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QString hashPassword(const QString& password)
{
    const QByteArray salt = randomBytes<kSaltBytes>();
    const QByteArray hash = derivePbkdf2(password, salt, kPasswordHashIterations);
    return QStringLiteral("%1$%2$%3$%4")
        .arg(kPbkdf2Scheme)
        .arg(kPasswordHashIterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

QString hashPasswordScrypt(const QString& password)
{
    const QByteArray salt = randomBytes<kSaltBytes>();
    const QByteArray hash = deriveScrypt(password, salt, ScryptCost {});
    return QStringLiteral("%1$%2$%3$%4$%5$%6")
        .arg(kScryptScheme)
        .arg(kScryptLog2Cost)
        .arg(kScryptBlockSize)
        .arg(kScryptParallelism)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

bool verifyPassword(const QString& password, const QString& encoded)
{
    const auto parsed = parse(encoded);
    if (!parsed)
        return false;
    const QByteArray derived = parsed->scrypt ? deriveScrypt(password, parsed->salt, *parsed->scrypt)
                                              : derivePbkdf2(password, parsed->salt, *parsed->pbkdf2Iterations);
    return constantTimeEquals(derived, parsed->hash);
}

PasswordVerifier::PasswordVerifier(int capacity)
    : m_pepper(randomBytes<32>())
    , m_verified(capacity)
{
}

bool PasswordVerifier::verify(const QString& chargePointId, const QString& password, const QString& encoded)
{
    const QByteArray key = cacheKey(chargePointId, password, encoded);
    if (m_verified.object(key))
        return true;
    if (!verifyPassword(password, encoded))
        return false;
    m_verified.insert(key, new Verified);
    return true;
}

// Keyed with a per-process random pepper and length-prefixed fields, so entries cannot be precomputed
// and no two different (id, password, hash) triples share a key.
QByteArray PasswordVerifier::cacheKey(
    const QString& chargePointId, const QString& password, const QString& encoded) const
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_pepper);
    for (const QString& field : {chargePointId, password, encoded}) {
        const QByteArray utf8 = field.toUtf8();
        mac.addData(QByteArray::number(utf8.size()) + ':');
        mac.addData(utf8);
    }
    return mac.result();
}

} // namespace linkray
