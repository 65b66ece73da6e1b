#include "upstream/handshake.h"

#include <QRegularExpression>

namespace linkray::upstream {

QUrl chargePointUrl(const QUrl& csmsUrl, const QString& chargePointId)
{
    QUrl url = csmsUrl.adjusted(QUrl::RemoveUserInfo);
    QString path = url.path(QUrl::FullyEncoded);
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    // Every byte outside the unreserved set is encoded, so that '/', '?', '#' and '%' in an id stay in its segment.
    path += QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(chargePointId));
    url.setPath(path, QUrl::TolerantMode);
    return url;
}

QByteArray basicAuthorization(const QString& user, const QString& password)
{
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

std::optional<int> httpStatusOfRefusal(const QString& errorString)
{
    static const QRegularExpression pattern(QStringLiteral("Unhandled http status code: (\\d{3})\\b"));
    const QRegularExpressionMatch match = pattern.match(errorString);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toInt();
}

} // namespace linkray::upstream
