#include "localcsms/bootstatus.h"

#include "localcsms/logging.h"
#include "storage/repositories.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

QString BootStatusHandlers::bootStatusFor(const QString& chargePointId) const
{
    const Policy& policy = m_context.policy;
    if (policy.isKnownChargePoint && policy.isKnownChargePoint(chargePointId))
        return QStringLiteral("Accepted");
    switch (policy.unknownChargePoints) {
    case UnknownChargePoints::Accept:
        return QStringLiteral("Accepted");
    case UnknownChargePoints::Pending:
        return QStringLiteral("Pending");
    case UnknownChargePoints::Reject:
        break;
    }
    return QStringLiteral("Rejected");
}

QString BootStatusHandlers::loadBootStatus(const QString& chargePointId)
{
    const auto stored = storage::ChargePointRepository(m_context.database).find(chargePointId);
    const QString bootStatus = stored ? stored->bootStatus : QString();
    m_bootStatuses.insert(chargePointId, bootStatus);
    return bootStatus;
}

bool BootStatusHandlers::recordBoot(
    const QString& chargePointId, const v16::BootNotificationRequest& request, const QString& bootStatus)
{
    storage::ChargePointRecord record;
    record.id = chargePointId;
    record.vendor = request.chargePointVendor;
    record.model = request.chargePointModel;
    record.serialNumber = request.chargePointSerialNumber.value_or(request.chargeBoxSerialNumber.value_or(QString()));
    record.firmwareVersion = request.firmwareVersion.value_or(QString());
    record.bootStatus = bootStatus;
    record.lastBootAt = m_context.clock.nowUtc();
    if (!storage::ChargePointRepository(m_context.database).recordBoot(record))
        return false;
    m_bootStatuses.insert(chargePointId, bootStatus);
    qCInfo(lcLocalCsms) << chargePointId << "booted:" << record.vendor << record.model << record.firmwareVersion << "->"
                        << record.bootStatus;
    return true;
}

Answer<v16::BootNotificationResponse> BootStatusHandlers::boot(
    const QString& chargePointId, const v16::BootNotificationRequest& request)
{
    const QString bootStatus = bootStatusFor(chargePointId);
    if (!recordBoot(chargePointId, request, bootStatus))
        return storageFailure(m_context, chargePointId, QStringLiteral("boot notification"));

    v16::BootNotificationResponse response;
    response.status = bootStatus;
    response.currentTime = m_context.clock.nowUtc();
    response.interval = bootStatus == QLatin1String("Accepted") ? m_context.policy.heartbeatIntervalSeconds
                                                                : m_context.policy.bootRetryIntervalSeconds;
    return response;
}

Answer<v16::HeartbeatResponse> BootStatusHandlers::heartbeat(
    const QString& chargePointId, const v16::HeartbeatRequest& /*request*/)
{
    const QDateTime now = m_context.clock.nowUtc();
    const QDateTime written = m_lastSeenWritten.value(chargePointId);
    if (!written.isValid() || written.msecsTo(now) >= kLastSeenWritePeriodMs) {
        if (!storage::ChargePointRepository(m_context.database).touch(chargePointId, now))
            return storageFailure(m_context, chargePointId, QStringLiteral("heartbeat"));
        m_lastSeenWritten.insert(chargePointId, now);
    }
    v16::HeartbeatResponse response;
    response.currentTime = now;
    return response;
}

Answer<v16::StatusNotificationResponse> BootStatusHandlers::status(
    const QString& chargePointId, const v16::StatusNotificationRequest& request)
{
    storage::ConnectorRecord connector;
    connector.chargePointId = chargePointId;
    connector.connectorId = static_cast<int>(request.connectorId);
    connector.status = request.status;
    connector.errorCode = request.errorCode;
    connector.info = request.info.value_or(QString());
    connector.vendorErrorCode = request.vendorErrorCode.value_or(QString());
    connector.updatedAt = request.timestamp.value_or(m_context.clock.nowUtc());
    if (!storage::ChargePointRepository(m_context.database).saveConnectorStatus(connector))
        return storageFailure(m_context, chargePointId, QStringLiteral("connector status"));
    return v16::StatusNotificationResponse {};
}

} // namespace linkray::localcsms
