#pragma once

#include "localcsms/handlers.h"

// BootNotification, Heartbeat and StatusNotification: who the charger is, that it is alive, how its connectors are.
namespace linkray::localcsms {

class BootStatusHandlers {
public:
    explicit BootStatusHandlers(const HandlerContext& context)
        : m_context(context)
    {
    }

    Answer<ocpp::v16::BootNotificationResponse> boot(
        const QString& chargePointId, const ocpp::v16::BootNotificationRequest& request);
    // Stores who the charger is and the boot status it was given (by LinkRay or, relayed, by the CSMS).
    bool recordBoot(
        const QString& chargePointId, const ocpp::v16::BootNotificationRequest& request, const QString& bootStatus);
    Answer<ocpp::v16::HeartbeatResponse> heartbeat(
        const QString& chargePointId, const ocpp::v16::HeartbeatRequest& request);
    Answer<ocpp::v16::StatusNotificationResponse> status(
        const QString& chargePointId, const ocpp::v16::StatusNotificationRequest& request);

private:
    QString bootStatusFor(const QString& chargePointId) const;

    HandlerContext m_context;
};

} // namespace linkray::localcsms
