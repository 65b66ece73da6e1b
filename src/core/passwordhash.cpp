#include "core/passwordhash.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>

#include <array>
#include <optional>

namespace linkray {

namespace {

constexpr auto kScheme = QLatin1String("pbkdf2-sha256");
constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;
// Refuses stored hashes that would make a single verification take minutes (a tampered configuration).
constexpr int kMaxIterations = 10'000'000;

struct EncodedHash {
    int iterations = 0;
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

QByteArray derive(const QString& password, const QByteArray& salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), salt, iterations, kHashBytes);
}

std::optional<QByteArray> strictBase64(const QString& text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

std::optional<EncodedHash> parse(const QString& encoded)
{
    const QStringList parts = encoded.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts[0] != kScheme)
        return std::nullopt;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1 || iterations > kMaxIterations)
        return std::nullopt;
    const auto salt = strictBase64(parts[2]);
    const auto hash = strictBase64(parts[3]);
    if (!salt || !hash || hash->size() != kHashBytes)
        return std::nullopt;
    return EncodedHash {iterations, *salt, *hash};
}

// Takes the same time wherever the first difference is, so timing does not reveal how much of a hash matched.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace

QString hashPassword(const QString& password)
{
    const QByteArray salt = randomBytes<kSaltBytes>();
    const QByteArray hash = derive(password, salt, kPasswordHashIterations);
    return QStringLiteral("%1$%2$%3$%4")
        .arg(kScheme)
        .arg(kPasswordHashIterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

bool verifyPassword(const QString& password, const QString& encoded)
{
    const auto parsed = parse(encoded);
    if (!parsed)
        return false;
    return constantTimeEquals(derive(password, parsed->salt, parsed->iterations), parsed->hash);
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
