#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

// The coercions LinkRay applies to what real chargers send (see docs/ocpp.md, "Validation and tolerance"),
// shared by the validation engine and the generated typed messages.
namespace linkray::ocpp {

enum class DateTimeForm {
    Rfc3339, // what the schema's format "date-time" allows, with any offset and any fraction of a second
    Lenient, // readable, but not RFC 3339: lowercase 't'/'z', a space for 'T', no zone (taken as UTC), "+0000"
};

struct ParsedDateTime {
    QDateTime utc;
    DateTimeForm form;
};

std::optional<ParsedDateTime> parseDateTime(const QString& text);
// ISO 8601 in UTC with milliseconds and 'Z', e.g. "2024-03-01T12:00:00.000Z".
QString formatDateTime(const QDateTime& dateTime);

namespace lenient {

std::optional<QString> toString(const QJsonValue& value); // a string, or a number as its decimal text
std::optional<qint64> toInteger(const QJsonValue& value); // an integral number or a decimal string of one
std::optional<double> toNumber(const QJsonValue& value); // a number or a decimal string
std::optional<QJsonObject> toObject(const QJsonValue& value); // an object or a string holding a JSON object
std::optional<QDateTime> toDateTime(const QJsonValue& value); // any form parseDateTime reads, in UTC

// For the generated fromJson: the coerced value, or a default where the payload did not pass validation.
inline bool isPresent(const QJsonValue& value)
{
    return !value.isUndefined() && !value.isNull();
}
inline QString readString(const QJsonValue& value)
{
    return toString(value).value_or(QString());
}
inline qint64 readInteger(const QJsonValue& value)
{
    return toInteger(value).value_or(0);
}
inline double readNumber(const QJsonValue& value)
{
    return toNumber(value).value_or(0.0);
}
inline bool readBool(const QJsonValue& value)
{
    return value.toBool();
}
inline QDateTime readDateTime(const QJsonValue& value)
{
    return toDateTime(value).value_or(QDateTime());
}
inline QJsonObject readObject(const QJsonValue& value)
{
    return toObject(value).value_or(QJsonObject());
}

template<typename Read> auto readList(const QJsonValue& value, Read read) -> QList<decltype(read(QJsonValue()))>
{
    QList<decltype(read(QJsonValue()))> list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue& item : array)
        list.append(read(item));
    return list;
}

template<typename T, typename Write> QJsonArray writeList(const QList<T>& list, Write write)
{
    QJsonArray array;
    for (const T& item : list)
        array.append(write(item));
    return array;
}

} // namespace lenient
} // namespace linkray::ocpp
