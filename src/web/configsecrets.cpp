#include "web/configsecrets.h"

#include <QJsonArray>

#include <optional>

namespace linkray::web {

namespace {

QJsonValue redacted(const QJsonValue& value);

QJsonArray redactedArray(const QJsonArray& array)
{
    QJsonArray result;
    for (const QJsonValue& item : array)
        result.append(redacted(item));
    return result;
}

QJsonValue redacted(const QJsonValue& value)
{
    if (value.isArray())
        return redactedArray(value.toArray());
    if (value.isObject())
        return redactSecrets(value.toObject());
    return value;
}

QString idOf(const QJsonValue& value)
{
    return value.toObject().value(u"id").toString();
}

// The element of `current` that `edited[index]` is an edit of, if any.
QJsonValue counterpart(const QJsonArray& current, const QJsonValue& edited, qsizetype index)
{
    const QString id = idOf(edited);
    if (id.isEmpty())
        return index < current.size() ? current.at(index) : QJsonValue();
    for (const QJsonValue& candidate : current) {
        if (idOf(candidate) == id)
            return candidate;
    }
    return QJsonValue();
}

std::optional<SecretError> restore(QJsonValue& edited, const QJsonValue& current, const QString& path);

std::optional<SecretError> restoreObject(QJsonObject& edited, const QJsonObject& current, const QString& path)
{
    for (auto it = edited.begin(); it != edited.end(); ++it) {
        const QString childPath = path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key();
        if (isSecretKey(it.key()) && it.value() == QJsonValue(kSecretPlaceholder)) {
            const QJsonValue secret = current.value(it.key());
            if (!secret.isString())
                return SecretError {childPath, QStringLiteral("has no value to keep: give the new secret")};
            it.value() = secret;
            continue;
        }
        QJsonValue child = it.value();
        if (auto error = restore(child, current.value(it.key()), childPath))
            return error;
        it.value() = child;
    }
    return std::nullopt;
}

std::optional<SecretError> restore(QJsonValue& edited, const QJsonValue& current, const QString& path)
{
    if (edited.isObject()) {
        QJsonObject object = edited.toObject();
        if (auto error = restoreObject(object, current.toObject(), path))
            return error;
        edited = object;
    } else if (edited.isArray()) {
        QJsonArray array = edited.toArray();
        const QJsonArray currentArray = current.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonValue item = array.at(i);
            if (auto error
                = restore(item, counterpart(currentArray, item, i), QStringLiteral("%1[%2]").arg(path).arg(i)))
                return error;
            array[i] = item;
        }
        edited = array;
    }
    return std::nullopt;
}

} // namespace

bool isSecretKey(const QString& key)
{
    return key == QLatin1String("password") || key == QLatin1String("passwordHash") || key == QLatin1String("pinHash");
}

QJsonObject redactSecrets(const QJsonObject& config)
{
    QJsonObject result;
    for (auto it = config.begin(); it != config.end(); ++it)
        result.insert(it.key(), isSecretKey(it.key()) ? QJsonValue(kSecretPlaceholder) : redacted(it.value()));
    return result;
}

std::variant<QJsonObject, SecretError> restoreSecrets(const QJsonObject& edited, const QJsonObject& current)
{
    QJsonObject result = edited;
    if (auto error = restoreObject(result, current, QString()))
        return *error;
    return result;
}

} // namespace linkray::web
