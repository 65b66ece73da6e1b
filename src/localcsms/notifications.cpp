#include "localcsms/notifications.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

Answer<v16::DataTransferResponse> NotificationHandlers::dataTransfer(
    const QString& chargePointId, const v16::DataTransferRequest& request)
{
    if (const auto failure = record(chargePointId, request))
        return *failure;
    v16::DataTransferResponse response;
    response.status = QStringLiteral("UnknownVendorId");
    return response;
}

Answer<v16::SignCertificateResponse> NotificationHandlers::signCertificate(
    const QString& chargePointId, const v16::SignCertificateRequest& request)
{
    if (const auto failure = record(chargePointId, request))
        return *failure;
    v16::SignCertificateResponse response;
    response.status = QStringLiteral("Rejected");
    return response;
}

} // namespace linkray::localcsms
