#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace linkray::upstream {

// The charge point's URL at the CSMS: `csmsUrl` with the id, percent-encoded, appended as one more path segment.
// A trailing '/' on `csmsUrl` is not doubled; user info (credentials in the URL) is removed, because the
// Authorization header comes only from the configured credentials mode.
QUrl chargePointUrl(const QUrl& csmsUrl, const QString& chargePointId);

// The value of an HTTP Basic Authorization header (security profiles 1 and 2): user = the charge point id.
QByteArray basicAuthorization(const QString& user, const QString& password);

// Qt 6.4 tells a refused WebSocket upgrade (any status other than 101) only through QWebSocket::errorString(),
// as "QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized).": the status is parsed
// from that text. nullopt when the text has another form (another failure, or another Qt version's wording).
std::optional<int> httpStatusOfRefusal(const QString& errorString);

} // namespace linkray::upstream
