#pragma once

#include "core/clock.h"
#include "localcsms/authorization.h"
#include "localcsms/policy.h"
#include "ocpp/frame.h"
#include "ocpp/messages.h"
#include "storage/database.h"

#include <QJsonObject>
#include <QString>

#include <variant>

// What every feature's call handlers share: the context they work in and the shape of their answer.
namespace linkray::localcsms {

struct HandlerContext {
    Clock& clock;
    storage::Database& database;
    const Policy& policy;
};

// A call LinkRay refuses: answered with a CALLERROR.
struct CallFailure {
    ocpp::ErrorCode code;
    QString description;
};

template<class Response> using Answer = std::variant<Response, CallFailure>;

// Logs why a write failed and gives the InternalError answer: nothing is acknowledged that was not stored. The
// description says when storage is full, so that the charger's operator knows why its messages are refused.
CallFailure storageFailure(const HandlerContext& context, const QString& chargePointId, const QString& what);

ocpp::v16::IdTagInfo toIdTagInfo(const TagAuthorization& authorization);

// Records a charger's notification (or an oddity worth keeping) in the event table, stamped now.
bool appendEvent(
    const HandlerContext& context, const QString& chargePointId, const QString& kind, const QJsonObject& details);

} // namespace linkray::localcsms
