#pragma once

#include <QJsonObject>
#include <QString>

#include <variant>

// The configuration as the web app sees it: every secret (a password, a password or PIN hash) is replaced by a
// placeholder on the way out, and a placeholder that comes back means "keep the secret as it is".
namespace linkray::web {

inline const QString kSecretPlaceholder = QStringLiteral("********");

// Keys whose values are secrets, wherever they appear in the configuration.
bool isSecretKey(const QString& key);

QJsonObject redactSecrets(const QJsonObject& config);

struct SecretError {
    QString path; // e.g. "chargePoints[2].csms.password"
    QString reason;
};

// `edited` with every placeholder replaced by the secret at the same place in `current`. Arrays of objects with an
// "id" (charge points, groups) are matched by id, so that reordering them keeps each one's secrets; other arrays by
// position. A placeholder with no secret behind it (e.g. a new charge point's) is an error.
std::variant<QJsonObject, SecretError> restoreSecrets(const QJsonObject& edited, const QJsonObject& current);

} // namespace linkray::web
