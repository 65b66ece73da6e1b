#pragma once

#include "localcsms/handlers.h"
#include "storage/repositories.h"

#include <optional>

// Calls that only inform the central system (firmware, diagnostics, logs, security events, vendor data):
// recorded as events, because offline LinkRay has nothing else to do with them.
namespace linkray::localcsms {

class NotificationHandlers {
public:
    explicit NotificationHandlers(const HandlerContext& context)
        : m_context(context)
    {
    }

    // Records the call and answers with the action's empty response.
    template<class Request>
    Answer<typename Request::Response> acknowledge(const QString& chargePointId, const Request& request)
    {
        if (const auto failure = record(chargePointId, request))
            return *failure;
        return typename Request::Response {};
    }

    // LinkRay has no vendor extensions: recorded, answered UnknownVendorId.
    Answer<ocpp::v16::DataTransferResponse> dataTransfer(
        const QString& chargePointId, const ocpp::v16::DataTransferRequest& request);
    // Offline mode has no PKI to sign with: recorded, answered Rejected.
    Answer<ocpp::v16::SignCertificateResponse> signCertificate(
        const QString& chargePointId, const ocpp::v16::SignCertificateRequest& request);

private:
    // Stores the call as an event of its action's name; the failure to answer with when that fails.
    template<class Request> std::optional<CallFailure> record(const QString& chargePointId, const Request& request)
    {
        if (appendEvent(m_context, chargePointId, QLatin1String(Request::action), request.toJson()))
            return std::nullopt;
        return storageFailure(m_context, chargePointId, QLatin1String(Request::action));
    }

    HandlerContext m_context;
};

} // namespace linkray::localcsms
