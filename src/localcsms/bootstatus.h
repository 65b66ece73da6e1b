#pragma once

#include "localcsms/handlers.h"

#include <QDateTime>
#include <QHash>

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

    // Every call is admitted by the charger's boot status, so it is kept in memory while the charger is connected:
    // read from storage once when it connects, then updated by each recorded boot. Empty = never booted.
    QString loadBootStatus(const QString& chargePointId);
    QString bootStatusOf(const QString& chargePointId) const { return m_bootStatuses.value(chargePointId); }
    void forgetBootStatus(const QString& chargePointId) { m_bootStatuses.remove(chargePointId); }

    // A Heartbeat's record is the charger's last-seen time: one durable write, an fsync. A charger flooding Heartbeats
    // would make the whole site wait for an fsync each, so the time is written at most once per this period per
    // charger (docs/robustness.md, "Charger floods"); the answer always has the current time.
    static constexpr qint64 kLastSeenWritePeriodMs = 1000;

private:
    QString bootStatusFor(const QString& chargePointId) const;

    HandlerContext m_context;
    QHash<QString, QDateTime> m_lastSeenWritten;
    QHash<QString, QString> m_bootStatuses; // of the connected chargers, as stored
};

} // namespace linkray::localcsms
