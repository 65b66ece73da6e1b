#include "chargepoints/handshake.h"

#include <QUrl>

#include <algorithm>

namespace linkray::chargepoints {

namespace {

constexpr int kMaxIdLength = 48; // chargeBoxIdentity is a CiString48

bool isPrintableAscii(QChar c)
{
    return c.unicode() >= 0x20 && c.unicode() <= 0x7e;
}

QByteArray normalisedPrefix(const QString& pathPrefix)
{
    QByteArray prefix = QUrl::toPercentEncoding(pathPrefix, "/");
    while (prefix.endsWith('/'))
        prefix.chop(1);
    if (!prefix.isEmpty() && !prefix.startsWith('/'))
        prefix.prepend('/');
    return prefix;
}

} // namespace

Checked<QString> chargePointIdFromPath(const QByteArray& encodedPath, const QString& pathPrefix)
{
    const QByteArray expectedStart = normalisedPrefix(pathPrefix) + '/';
    if (!encodedPath.startsWith(expectedStart))
        return {{}, QStringLiteral("path must be %1<chargePointId>").arg(QString::fromUtf8(expectedStart))};
    const QByteArray segment = encodedPath.mid(expectedStart.size());
    if (segment.isEmpty())
        return {{}, QStringLiteral("empty charge point id")};
    if (segment.contains('/'))
        return {{}, QStringLiteral("path must be %1<chargePointId>").arg(QString::fromUtf8(expectedStart))};

    const QString id = QUrl::fromPercentEncoding(segment);
    if (id.size() > kMaxIdLength)
        return {{}, QStringLiteral("charge point id longer than %1 characters").arg(kMaxIdLength)};
    if (!std::all_of(id.begin(), id.end(), isPrintableAscii) || id.contains(QLatin1Char('/')))
        return {{}, QStringLiteral("charge point id must be printable ASCII without '/'")};
    return {id, {}};
}

Checked<std::optional<QString>> basicAuthPassword(const QByteArray& authorization, const QString& chargePointId)
{
    if (authorization.isEmpty())
        return {};
    const QString refusal = QStringLiteral("Authorization must be Basic auth with the charge point id as user");
    const qsizetype space = authorization.indexOf(' ');
    if (space < 0 || authorization.left(space).compare("Basic", Qt::CaseInsensitive) != 0)
        return {{}, refusal};
    const auto decoded = QByteArray::fromBase64Encoding(
        authorization.mid(space + 1).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded.decoded.indexOf(':');
    if (!decoded || colon < 0 || QString::fromUtf8(decoded.decoded.left(colon)) != chargePointId)
        return {{}, refusal};
    return {QString::fromUtf8(decoded.decoded.mid(colon + 1)), {}};
}

} // namespace linkray::chargepoints
