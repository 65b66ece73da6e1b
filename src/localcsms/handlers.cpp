#include "localcsms/handlers.h"

#include "localcsms/logging.h"
#include "storage/eventrepository.h"

namespace linkray::localcsms {

CallFailure storageFailure(const HandlerContext& context, const QString& chargePointId, const QString& what)
{
    const QString reason = context.database.writeFailureReason();
    qCWarning(lcLocalCsms) << reason << "for" << chargePointId << "while saving" << what << "- answering InternalError";
    return {ocpp::ErrorCode::InternalError, QStringLiteral("LinkRay could not store the %1: %2").arg(what, reason)};
}

ocpp::v16::IdTagInfo toIdTagInfo(const TagAuthorization& authorization)
{
    ocpp::v16::IdTagInfo info;
    info.status = authorization.status;
    info.expiryDate = authorization.expiryDate;
    info.parentIdTag = authorization.parentIdTag;
    return info;
}

bool appendEvent(
    const HandlerContext& context, const QString& chargePointId, const QString& kind, const QJsonObject& details)
{
    storage::EventRecord event;
    event.at = context.clock.nowUtc();
    event.chargePointId = chargePointId;
    event.kind = kind;
    event.details = details;
    return storage::EventRepository(context.database).append(event);
}

} // namespace linkray::localcsms
