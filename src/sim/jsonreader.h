#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>

namespace linkray::sim {

// Reads JSON values into settings, checking type and range; a failure sets the error text, naming the key.
class JsonReader {
public:
    explicit JsonReader(QString& error)
        : m_error(error)
    {
    }

    bool number(const QJsonObject& json, const char* key, double minimum, double& out)
    {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isDouble() || value.toDouble() < minimum)
            return fail(key, QStringLiteral("must be a number >= %1").arg(minimum));
        out = value.toDouble();
        return true;
    }

    bool integer(const QJsonObject& json, const char* key, int minimum, int maximum, int& out)
    {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || number != std::floor(number) || number < minimum || number > maximum)
            return fail(key, QStringLiteral("must be a whole number from %1 to %2").arg(minimum).arg(maximum));
        out = static_cast<int>(number);
        return true;
    }

    bool text(const QJsonObject& json, const char* key, QString& out)
    {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            return true;
        if (!value.isString())
            return fail(key, QStringLiteral("must be a string"));
        out = value.toString();
        return true;
    }

    bool fail(const char* key, const QString& reason)
    {
        m_error = QStringLiteral("%1: %2").arg(QLatin1String(key), reason);
        return false;
    }

private:
    QString& m_error;
};

} // namespace linkray::sim
