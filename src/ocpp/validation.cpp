#include "ocpp/validation.h"

#include "ocpp/catalogue.h"
#include "ocpp/lenientjson.h"
#include "ocpp/schemarules.h"

#include <QJsonArray>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace linkray::ocpp {

namespace {

using schema::Format;
using schema::JsonType;
using schema::ObjectRule;
using schema::PropertyRule;
using schema::ValueRule;

constexpr bool Tolerable = true;
constexpr bool Blocking = false;

QString typeName(JsonType type)
{
    switch (type) {
    case JsonType::String:
        return QStringLiteral("a string");
    case JsonType::Integer:
        return QStringLiteral("an integer");
    case JsonType::Number:
        return QStringLiteral("a number");
    case JsonType::Boolean:
        return QStringLiteral("a boolean");
    case JsonType::Object:
        return QStringLiteral("an object");
    case JsonType::Array:
        return QStringLiteral("an array");
    }
    return {};
}

QString typeNameOf(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

bool isMultipleOf(double value, double step)
{
    const double quotient = value / step;
    return std::fabs(quotient - std::round(quotient)) <= 1e-9 * std::max(1.0, std::fabs(quotient));
}

// Walks a payload along its rules, collecting violations and building the payload with lenient coercions applied.
// Descriptions never quote a value: a string may be a secret (ChangeConfiguration AuthorizationKey).
class Validator {
public:
    QList<Violation> violations;

    QJsonObject checkObject(const ObjectRule& rule, const QJsonObject& object, const QString& path)
    {
        QJsonObject result = object;
        for (const PropertyRule& property : rule) {
            const QString name = QLatin1String(property.name);
            const QString propertyPath = path.isEmpty() ? name : path + QLatin1Char('.') + name;
            const QJsonValue value = object.value(name);
            if (value.isUndefined()) {
                if (property.required)
                    report(ErrorCode::OccurenceConstraintViolation, propertyPath,
                        QStringLiteral("required property is missing"), Blocking);
                continue;
            }
            if (value.isNull()) {
                checkNull(property, propertyPath, result);
                continue;
            }
            const QJsonValue checked = checkValue(property.value, value, propertyPath);
            if (checked != value)
                result.insert(name, checked);
        }
        if (!rule.additionalProperties)
            reportExtraProperties(rule, object, path);
        return result;
    }

private:
    void report(ErrorCode code, const QString& path, const QString& description, bool tolerable)
    {
        violations.append(Violation {code, path, description, tolerable});
    }

    void checkNull(const PropertyRule& property, const QString& path, QJsonObject& result)
    {
        if (property.required) {
            report(ErrorCode::TypeConstraintViolation, path,
                QStringLiteral("null for a required property, expected %1").arg(typeName(property.value.type)),
                Blocking);
            return;
        }
        report(ErrorCode::TypeConstraintViolation, path,
            QStringLiteral("null for an optional property, read as absent"), Tolerable);
        result.remove(QLatin1String(property.name));
    }

    void reportExtraProperties(const ObjectRule& rule, const QJsonObject& object, const QString& path)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const bool declared = std::any_of(rule.begin(), rule.end(),
                [&](const PropertyRule& property) { return it.key() == QLatin1String(property.name); });
            if (!declared)
                report(ErrorCode::FormationViolation, path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                    QStringLiteral("property is not in the schema"), Tolerable);
        }
    }

    void reportWrongType(const ValueRule& rule, const QJsonValue& value, const QString& path, bool tolerable)
    {
        const QString suffix = tolerable ? QStringLiteral(", coerced") : QString();
        report(ErrorCode::TypeConstraintViolation, path,
            QStringLiteral("expected %1, got %2%3").arg(typeName(rule.type), typeNameOf(value), suffix), tolerable);
    }

    QJsonValue checkValue(const ValueRule& rule, const QJsonValue& value, const QString& path)
    {
        switch (rule.type) {
        case JsonType::String:
            return checkString(rule, value, path);
        case JsonType::Integer:
        case JsonType::Number:
            return checkNumeric(rule, value, path);
        case JsonType::Boolean:
            if (!value.isBool())
                reportWrongType(rule, value, path, Blocking);
            return value;
        case JsonType::Object:
            return checkNestedObject(rule, value, path);
        case JsonType::Array:
            return checkArray(rule, value, path);
        }
        return value;
    }

    QJsonValue checkString(const ValueRule& rule, const QJsonValue& value, const QString& path)
    {
        const bool coercible = value.isString() || (value.isDouble() && rule.format != Format::DateTime);
        if (!coercible) {
            reportWrongType(rule, value, path, Blocking);
            return value;
        }
        if (!value.isString())
            reportWrongType(rule, value, path, Tolerable);
        const QString text = lenient::readString(value);
        const qsizetype length = text.toUcs4().size();
        if (rule.maxLength >= 0 && length > rule.maxLength)
            report(ErrorCode::PropertyConstraintViolation, path,
                QStringLiteral("%1 characters, longer than the limit of %2").arg(length).arg(rule.maxLength),
                Tolerable);
        if (rule.enumValues != nullptr && !isAllowedValue(rule, text))
            report(ErrorCode::PropertyConstraintViolation, path,
                QStringLiteral("value is not one of the %1 allowed values").arg(rule.enumCount), Tolerable);
        if (rule.format == Format::DateTime)
            return checkDateTime(text, path);
        if (rule.format == Format::Uri)
            checkUri(text, path);
        return QJsonValue(text);
    }

    static bool isAllowedValue(const ValueRule& rule, const QString& text)
    {
        for (int i = 0; i < rule.enumCount; ++i)
            if (text == QLatin1String(rule.enumValues[i]))
                return true;
        return false;
    }

    QJsonValue checkDateTime(const QString& text, const QString& path)
    {
        const std::optional<ParsedDateTime> parsed = parseDateTime(text);
        if (!parsed) {
            report(ErrorCode::PropertyConstraintViolation, path, QStringLiteral("not a date-time"), Blocking);
            return QJsonValue(text);
        }
        if (parsed->form == DateTimeForm::Rfc3339)
            return QJsonValue(text);
        report(ErrorCode::PropertyConstraintViolation, path,
            QStringLiteral("date-time is not RFC 3339, read leniently"), Tolerable);
        return QJsonValue(formatDateTime(parsed->utc));
    }

    void checkUri(const QString& text, const QString& path)
    {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty())
            report(ErrorCode::PropertyConstraintViolation, path, QStringLiteral("not an absolute URI"), Tolerable);
    }

    QJsonValue checkNumeric(const ValueRule& rule, const QJsonValue& value, const QString& path)
    {
        const bool integer = rule.type == JsonType::Integer;
        const std::optional<double> number
            = integer ? optionalDouble(lenient::toInteger(value)) : lenient::toNumber(value);
        if (!number) {
            reportWrongType(rule, value, path, Blocking);
            return value;
        }
        if (!value.isDouble())
            reportWrongType(rule, value, path, Tolerable);
        if (rule.hasMinimum && *number < rule.minimum)
            report(ErrorCode::PropertyConstraintViolation, path,
                QStringLiteral("below the minimum of %1").arg(rule.minimum), Blocking);
        if (rule.multipleOf > 0 && !isMultipleOf(*number, rule.multipleOf))
            report(ErrorCode::PropertyConstraintViolation, path,
                QStringLiteral("not a multiple of %1").arg(rule.multipleOf), Tolerable);
        if (value.isDouble())
            return value;
        return integer ? QJsonValue(*lenient::toInteger(value)) : QJsonValue(*number);
    }

    static std::optional<double> optionalDouble(std::optional<qint64> integer)
    {
        return integer ? std::optional<double>(static_cast<double>(*integer)) : std::nullopt;
    }

    QJsonValue checkNestedObject(const ValueRule& rule, const QJsonValue& value, const QString& path)
    {
        const std::optional<QJsonObject> object = lenient::toObject(value);
        if (!object) {
            reportWrongType(rule, value, path, Blocking);
            return value;
        }
        if (!value.isObject())
            reportWrongType(rule, value, path, Tolerable);
        return QJsonValue(checkObject(*rule.object, *object, path));
    }

    QJsonValue checkArray(const ValueRule& rule, const QJsonValue& value, const QString& path)
    {
        if (!value.isArray()) {
            reportWrongType(rule, value, path, Blocking);
            return value;
        }
        QJsonArray array = value.toArray();
        if (array.size() < rule.minItems)
            report(ErrorCode::OccurenceConstraintViolation, path,
                QStringLiteral("%1 items, fewer than the minimum of %2").arg(array.size()).arg(rule.minItems),
                Blocking);
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            const QJsonValue checked = checkValue(*rule.items, item, path + QStringLiteral("[%1]").arg(i));
            if (checked != item)
                array.replace(i, checked);
        }
        return QJsonValue(array);
    }
};

} // namespace

bool ValidationResult::acceptable(Strictness strictness) const
{
    return blocking(strictness) == nullptr;
}

const Violation* ValidationResult::blocking(Strictness strictness) const
{
    for (const Violation& violation : violations)
        if (strictness == Strictness::Strict || !violation.tolerable)
            return &violation;
    return nullptr;
}

bool isKnownAction(const QString& action)
{
    return findAction(action) != nullptr;
}

ValidationResult validatePayload(const QString& action, PayloadKind kind, const QJsonObject& payload)
{
    const ActionInfo* info = findAction(action);
    if (info == nullptr)
        return {{Violation {ErrorCode::NotImplemented, QString(), QStringLiteral("unknown action"), false}}, payload};
    Validator validator;
    const ObjectRule& rule = kind == PayloadKind::Request ? *info->request : *info->response;
    const QJsonObject checked = validator.checkObject(rule, payload, QString());
    return {validator.violations, checked};
}

} // namespace linkray::ocpp
