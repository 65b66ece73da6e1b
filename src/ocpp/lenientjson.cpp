#include "ocpp/lenientjson.h"

#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>
#include <QVariant>

#include <cmath>

namespace linkray::ocpp {

namespace {

// RFC 3339 date-time, case-insensitive; the captures tell which lenient liberties were taken.
const QRegularExpression& dateTimePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)"
                       R"(([Zz]|[+-]\d{2}(?::?\d{2})?)?$)"));
    return pattern;
}

std::optional<int> offsetSeconds(const QString& zone)
{
    if (zone.isEmpty() || zone.compare(QLatin1String("z"), Qt::CaseInsensitive) == 0)
        return 0;
    const int sign = zone.startsWith(QLatin1Char('-')) ? -1 : 1;
    const QString digits = QString(zone.mid(1)).remove(QLatin1Char(':'));
    const int hours = digits.left(2).toInt();
    const int minutes = digits.size() > 2 ? digits.mid(2).toInt() : 0;
    if (hours > 23 || minutes > 59)
        return std::nullopt;
    return sign * (hours * 3600 + minutes * 60);
}

bool isRfc3339(const QRegularExpressionMatch& match)
{
    const QString zone = match.captured(9);
    return match.captured(4) == QLatin1String("T") && !zone.isEmpty()
        && (zone == QLatin1String("Z") || zone.size() == 6);
}

const QRegularExpression& decimalPattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"(^-?\d+(\.\d+)?([eE][+-]?\d+)?$)"));
    return pattern;
}

std::optional<double> parseDecimal(const QString& text)
{
    if (!decimalPattern().match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double number = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(number) : std::nullopt;
}

std::optional<qint64> integralValue(double number)
{
    constexpr double limit = 9007199254740992.0; // 2^53: beyond it a double no longer holds every integer
    if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > limit)
        return std::nullopt;
    return static_cast<qint64>(number);
}

} // namespace

std::optional<ParsedDateTime> parseDateTime(const QString& text)
{
    const QRegularExpressionMatch match = dateTimePattern().match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    const QString fraction = (match.captured(8) + QStringLiteral("000")).left(3);
    const int second = match.captured(7).toInt();
    // A leap second (":60") is valid RFC 3339; Qt has no such time, so it is read as the last millisecond before it.
    const QTime time = second == 60
        ? QTime(match.captured(5).toInt(), match.captured(6).toInt(), 59, 999)
        : QTime(match.captured(5).toInt(), match.captured(6).toInt(), second, fraction.toInt());
    const std::optional<int> offset = offsetSeconds(match.captured(9));
    if (!date.isValid() || !time.isValid() || !offset)
        return std::nullopt;
    const QDateTime local(date, time, QTimeZone(*offset));
    return ParsedDateTime {local.toUTC(), isRfc3339(match) ? DateTimeForm::Rfc3339 : DateTimeForm::Lenient};
}

QString formatDateTime(const QDateTime& dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

namespace lenient {

std::optional<QString> toString(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (const std::optional<qint64> integer = integralValue(number))
        return QString::number(*integer);
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

std::optional<qint64> toInteger(const QJsonValue& value)
{
    if (value.isDouble()) {
        // A JSON integer is held as a 64-bit integer, exact beyond 2^53 (transaction ids may be that large).
        const QVariant exact = value.toVariant();
        if (exact.typeId() == QMetaType::LongLong)
            return exact.toLongLong();
        return integralValue(value.toDouble());
    }
    if (!value.isString())
        return std::nullopt;
    const std::optional<double> number = parseDecimal(value.toString());
    return number ? integralValue(*number) : std::nullopt;
}

std::optional<double> toNumber(const QJsonValue& value)
{
    if (value.isDouble())
        return value.toDouble();
    return value.isString() ? parseDecimal(value.toString()) : std::nullopt;
}

std::optional<QJsonObject> toObject(const QJsonValue& value)
{
    if (value.isObject())
        return value.toObject();
    if (!value.isString())
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

std::optional<QDateTime> toDateTime(const QJsonValue& value)
{
    const std::optional<ParsedDateTime> parsed = value.isString() ? parseDateTime(value.toString()) : std::nullopt;
    return parsed ? std::optional<QDateTime>(parsed->utc) : std::nullopt;
}

} // namespace lenient
} // namespace linkray::ocpp
