#include "ocpp/frame.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>

namespace linkray::ocpp {

namespace {

constexpr std::array<std::pair<ErrorCode, const char*>, 10> ErrorCodeNames {{
    {ErrorCode::NotImplemented, "NotImplemented"},
    {ErrorCode::NotSupported, "NotSupported"},
    {ErrorCode::InternalError, "InternalError"},
    {ErrorCode::ProtocolError, "ProtocolError"},
    {ErrorCode::SecurityError, "SecurityError"},
    {ErrorCode::FormationViolation, "FormationViolation"},
    {ErrorCode::PropertyConstraintViolation, "PropertyConstraintViolation"},
    {ErrorCode::OccurenceConstraintViolation, "OccurenceConstraintViolation"},
    {ErrorCode::TypeConstraintViolation, "TypeConstraintViolation"},
    {ErrorCode::GenericError, "GenericError"},
}};

FrameError formationViolation(const QString& description, const QString& uniqueId)
{
    return FrameError {ErrorCode::FormationViolation, description, uniqueId};
}

// Some chargers send the payload as a string holding the JSON object: read it, but note it.
std::optional<QJsonObject> readObject(const QJsonValue& value, const QString& name, QStringList& deviations)
{
    if (value.isObject())
        return value.toObject();
    if (!value.isString())
        return std::nullopt;
    const QJsonDocument inner = QJsonDocument::fromJson(value.toString().toUtf8());
    if (!inner.isObject())
        return std::nullopt;
    deviations << QStringLiteral("%1 is a string holding a JSON object instead of an object").arg(name);
    return inner.object();
}

ParseResult readCall(const QJsonArray& array, const QString& uniqueId, QStringList deviations)
{
    if (array.size() != 4)
        return formationViolation(QStringLiteral("a CALL has 4 elements, not %1").arg(array.size()), uniqueId);
    if (!array.at(2).isString())
        return formationViolation(QStringLiteral("the action of a CALL must be a string"), uniqueId);
    const auto payload = readObject(array.at(3), QStringLiteral("payload"), deviations);
    if (!payload)
        return formationViolation(QStringLiteral("the payload of a CALL must be an object"), uniqueId);
    return ParsedFrame {Call {uniqueId, array.at(2).toString(), *payload}, deviations};
}

ParseResult readCallResult(const QJsonArray& array, const QString& uniqueId, QStringList deviations)
{
    if (array.size() != 3)
        return formationViolation(QStringLiteral("a CALLRESULT has 3 elements, not %1").arg(array.size()), uniqueId);
    const auto payload = readObject(array.at(2), QStringLiteral("payload"), deviations);
    if (!payload)
        return formationViolation(QStringLiteral("the payload of a CALLRESULT must be an object"), uniqueId);
    return ParsedFrame {CallResult {uniqueId, *payload}, deviations};
}

ParseResult readCallError(const QJsonArray& array, const QString& uniqueId, QStringList deviations)
{
    if (array.size() != 5)
        return formationViolation(QStringLiteral("a CALLERROR has 5 elements, not %1").arg(array.size()), uniqueId);
    if (!array.at(2).isString() || !array.at(3).isString())
        return formationViolation(
            QStringLiteral("the error code and description of a CALLERROR must be strings"), uniqueId);
    const auto details = readObject(array.at(4), QStringLiteral("error details"), deviations);
    if (!details)
        return formationViolation(QStringLiteral("the error details of a CALLERROR must be an object"), uniqueId);
    return ParsedFrame {CallError {uniqueId, array.at(2).toString(), array.at(3).toString(), *details}, deviations};
}

QByteArray compact(const QJsonArray& array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto& [candidate, name] : ErrorCodeNames) {
        if (candidate == code)
            return QLatin1String(name);
    }
    return QStringLiteral("GenericError");
}

std::optional<ErrorCode> errorCodeFromName(const QString& name)
{
    for (const auto& [code, candidate] : ErrorCodeNames) {
        if (name == QLatin1String(candidate))
            return code;
    }
    return std::nullopt;
}

ParseResult parseFrame(const QByteArray& text)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return FrameError {ErrorCode::FormationViolation,
            QStringLiteral("not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset), std::nullopt};
    if (!document.isArray())
        return FrameError {ErrorCode::FormationViolation, QStringLiteral("not a JSON array"), std::nullopt};
    const QJsonArray array = document.array();
    if (array.size() < 2 || !array.at(1).isString())
        return FrameError {
            ErrorCode::FormationViolation, QStringLiteral("no uniqueId string at index 1"), std::nullopt};

    const QString uniqueId = array.at(1).toString();
    QStringList deviations;
    if (uniqueId.size() > MaxUniqueIdLength)
        deviations
            << QStringLiteral("uniqueId of %1 characters exceeds %2").arg(uniqueId.size()).arg(MaxUniqueIdLength);

    // OCPP-J 1.6 has no code for a bad message type id (2.0.1 added MessageTypeNotSupported and RpcFrameworkError):
    // it breaks the RPC protocol rather than the form of a payload, hence ProtocolError (docs/ocpp.md).
    const QJsonValue typeId = array.at(0);
    if (!typeId.isDouble())
        return FrameError {ErrorCode::ProtocolError, QStringLiteral("the message type id is not a number"), uniqueId};
    const double type = typeId.toDouble();
    if (type == static_cast<int>(MessageType::Call))
        return readCall(array, uniqueId, deviations);
    if (type == static_cast<int>(MessageType::CallResult))
        return readCallResult(array, uniqueId, deviations);
    if (type == static_cast<int>(MessageType::CallError))
        return readCallError(array, uniqueId, deviations);
    return FrameError {ErrorCode::ProtocolError, QStringLiteral("unknown message type id %1").arg(type), uniqueId};
}

QByteArray serializeCall(const QString& uniqueId, const QString& action, const QJsonObject& payload)
{
    return compact({static_cast<int>(MessageType::Call), uniqueId, action, payload});
}

QByteArray serializeCallResult(const QString& uniqueId, const QJsonObject& payload)
{
    return compact({static_cast<int>(MessageType::CallResult), uniqueId, payload});
}

QByteArray serializeCallError(
    const QString& uniqueId, ErrorCode code, const QString& description, const QJsonObject& details)
{
    return compact({static_cast<int>(MessageType::CallError), uniqueId, errorCodeName(code), description, details});
}

QByteArray serializeFrame(const Frame& frame)
{
    if (const auto* call = std::get_if<Call>(&frame))
        return serializeCall(call->uniqueId, call->action, call->payload);
    if (const auto* result = std::get_if<CallResult>(&frame))
        return serializeCallResult(result->uniqueId, result->payload);
    const auto& error = std::get<CallError>(frame);
    // The code is kept as text, so that a peer's code outside the 1.6 list is passed on unchanged.
    return compact(
        {static_cast<int>(MessageType::CallError), error.uniqueId, error.errorCode, error.description, error.details});
}

QString uniqueIdOf(const Frame& frame)
{
    return std::visit([](const auto& typed) { return typed.uniqueId; }, frame);
}

} // namespace linkray::ocpp
