#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <optional>

// What the server learns from a charge point's WebSocket upgrade, and the pure checks made on it.
namespace linkray::chargepoints {

// A charge point asking to connect, handed to the application's admission callback.
struct ConnectionRequest {
    QString chargePointId;
    // The Basic-auth password, present only when an "Authorization: Basic" header named this charge point as
    // its user. A header for another user, another scheme or malformed is refused before admission.
    std::optional<QString> password;
    QHostAddress peerAddress;
};

// The application's verdict on a ConnectionRequest. `reason` goes to the charge point in the close frame.
struct Admission {
    bool accepted = false;
    QString reason;

    static Admission accept() { return {true, {}}; }
    static Admission refuse(const QString& reason) { return {false, reason}; }
};

// Either a value or the reason (for the close frame and the log) why there is none.
template<typename T> struct Checked {
    T value {};
    QString refusal;
    bool ok() const { return refusal.isEmpty(); }
};

// The charge point id named by `encodedPath` (as sent, percent-encoded): the path must be exactly
// `<pathPrefix>/<id>`, the id percent-decoded, 1–48 printable ASCII characters and no '/'.
// `pathPrefix` is normalised: a trailing '/' is ignored, "" and "/" mean the id sits at the root.
Checked<QString> chargePointIdFromPath(const QByteArray& encodedPath, const QString& pathPrefix);

// The password of an Authorization header value; no header (empty value) gives no password and no refusal.
// Anything other than "Basic base64(<chargePointId>:<password>)" is refused.
Checked<std::optional<QString>> basicAuthPassword(const QByteArray& authorization, const QString& chargePointId);

} // namespace linkray::chargepoints
