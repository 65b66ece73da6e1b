#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

// RFC 6901 JSON pointers ("/emeters/0/current"): how the HTTP/JSON meter finds its values in the meter's answer.
namespace linkray::meter {

// Why `pointer` is not a JSON pointer, or an empty string when it is one.
QString jsonPointerProblem(const QString& pointer);

// The value `pointer` refers to in `document`. Nothing when it refers to none; *error then names the step that failed,
// e.g. `"/emeters" has 3 items, no item 3`.
std::optional<QJsonValue> resolveJsonPointer(const QJsonValue& document, const QString& pointer, QString* error);

// "null", "boolean", "number", "string", "array" or "object", for error messages.
QString jsonTypeName(const QJsonValue& value);

} // namespace linkray::meter
