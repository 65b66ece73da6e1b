#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

// OCPP-J framing: the envelope of every message, apart from the payload it carries.
namespace linkray::ocpp {

enum class MessageType { Call = 2, CallResult = 3, CallError = 4 };

// The CALLERROR codes of OCPP-J 1.6 (the spec spells "Occurence" with one r).
enum class ErrorCode {
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    FormationViolation,
    PropertyConstraintViolation,
    OccurenceConstraintViolation,
    TypeConstraintViolation,
    GenericError,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString& name);

constexpr int MaxUniqueIdLength = 36;

struct Call {
    QString uniqueId;
    QString action;
    QJsonObject payload;
};

struct CallResult {
    QString uniqueId;
    QJsonObject payload;
};

struct CallError {
    QString uniqueId;
    QString errorCode; // kept as text: a peer may send a code outside the 1.6 list
    QString description;
    QJsonObject details;
};

using Frame = std::variant<Call, CallResult, CallError>;

// Why a text could not be read as an OCPP-J frame. uniqueId is set when it could still be read,
// so that the sender can be answered with a CALLERROR; without it the frame can only be dropped and logged.
struct FrameError {
    ErrorCode code = ErrorCode::FormationViolation;
    QString description;
    std::optional<QString> uniqueId;
};

// A frame that was read, plus what it did not do by the book (e.g. a uniqueId longer than 36 characters).
struct ParsedFrame {
    Frame frame;
    QStringList deviations;
};

using ParseResult = std::variant<ParsedFrame, FrameError>;

ParseResult parseFrame(const QByteArray& text);

QByteArray serializeFrame(const Frame& frame);
QByteArray serializeCall(const QString& uniqueId, const QString& action, const QJsonObject& payload);
QByteArray serializeCallResult(const QString& uniqueId, const QJsonObject& payload);
QByteArray serializeCallError(
    const QString& uniqueId, ErrorCode code, const QString& description, const QJsonObject& details = {});

QString uniqueIdOf(const Frame& frame);

} // namespace linkray::ocpp
