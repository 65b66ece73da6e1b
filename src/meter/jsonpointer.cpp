#include "meter/jsonpointer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>

namespace linkray::meter {

namespace {

// The reference tokens of a pointer as written (still escaped); "" has none.
QStringList rawTokens(const QString& pointer)
{
    if (pointer.isEmpty())
        return {};
    return pointer.mid(1).split(QLatin1Char('/'));
}

// "~1" is "/" and "~0" is "~", decoded in that order (RFC 6901 section 4), so "~01" is "~1".
QString unescaped(const QString& token)
{
    QString text = token;
    text.replace(QLatin1String("~1"), QLatin1String("/"));
    text.replace(QLatin1String("~0"), QLatin1String("~"));
    return text;
}

// An array index: "0" or digits without a leading zero.
bool isArrayIndex(const QString& token)
{
    return !token.isEmpty() && std::all_of(token.cbegin(), token.cend(), [](QChar c) { return c.isDigit(); })
        && (token.size() == 1 || token.front() != QLatin1Char('0'));
}

QString describe(const QString& resolvedPart)
{
    return resolvedPart.isEmpty() ? QStringLiteral("the document") : QStringLiteral("\"%1\"").arg(resolvedPart);
}

} // namespace

QString jsonPointerProblem(const QString& pointer)
{
    if (!pointer.isEmpty() && !pointer.startsWith(QLatin1Char('/')))
        return QStringLiteral("must start with \"/\", e.g. \"/emeters/0/current\" (RFC 6901)");
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        if (pointer.at(i) != QLatin1Char('~'))
            continue;
        const QChar next = i + 1 < pointer.size() ? pointer.at(i + 1) : QChar();
        if (next != QLatin1Char('0') && next != QLatin1Char('1'))
            return QStringLiteral("\"~\" must be followed by 0 or 1: \"~0\" stands for \"~\" and \"~1\" for \"/\"");
        ++i;
    }
    return {};
}

std::optional<QJsonValue> resolveJsonPointer(const QJsonValue& document, const QString& pointer, QString* error)
{
    const auto fail = [error](const QString& reason) {
        if (error)
            *error = reason;
        return std::nullopt;
    };
    const QString problem = jsonPointerProblem(pointer);
    if (!problem.isEmpty())
        return fail(problem);

    QJsonValue current = document;
    QString resolvedPart;
    for (const QString& raw : rawTokens(pointer)) {
        const QString token = unescaped(raw);
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            const auto member = object.constFind(token);
            if (member == object.constEnd())
                return fail(QStringLiteral("%1 has no member \"%2\"").arg(describe(resolvedPart), token));
            current = member.value();
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            if (!isArrayIndex(token))
                return fail(
                    QStringLiteral("%1 is an array, and \"%2\" is not an index").arg(describe(resolvedPart), token));
            bool inRange = false;
            const qsizetype index = token.toLongLong(&inRange);
            if (!inRange || index >= array.size())
                return fail(QStringLiteral("%1 is an array of length %2: no item %3")
                                .arg(describe(resolvedPart))
                                .arg(array.size())
                                .arg(token));
            current = array.at(index);
        } else {
            return fail(QStringLiteral("%1 is a %2, not an object or an array")
                            .arg(describe(resolvedPart), jsonTypeName(current)));
        }
        resolvedPart += QLatin1Char('/') + raw;
    }
    return current;
}

QString jsonTypeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing value");
}

} // namespace linkray::meter
