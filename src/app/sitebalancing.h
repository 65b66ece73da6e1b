#pragma once

#include "app/config.h"
#include "balancer/chargingcontroller.h"
#include "meter/meterdriver.h"
#include "storage/database.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace linkray::ocpp {
class Endpoint;
struct IncomingCall;
} // namespace linkray::ocpp

namespace linkray::localcsms {
class RemoteCommands;
}

namespace linkray::app {

// Load balancing of one site: the meter driver and the charging controller, fed with what the chargers report and
// sending LinkRay's profiles through the same command service as everything else. Remembers the limits it applied.
class SiteBalancing : public QObject {
    Q_OBJECT
public:
    SiteBalancing(Clock& clock, const Config& config, storage::Database& database, localcsms::RemoteCommands& commands,
        QObject* parent = nullptr);
    ~SiteBalancing() override;

    // Creates and starts the meter. Returns why it could not.
    std::optional<QString> start();

    // A charger's OCPP endpoint came up or went away: its calls are watched, its profile (re)sent.
    void chargerConnected(const QString& chargePointId, ocpp::Endpoint& endpoint);
    void chargerDisconnected(const QString& chargePointId);

    const balancer::ChargingController& controller() const { return *m_controller; }

    // A call the charger sent; in online mode relayed calls arrive here, not through the endpoint.
    void observe(const QString& chargePointId, const ocpp::IncomingCall& call);
    // Online mode: the charger accepted a call of the CSMS. A ClearChargingProfile may have removed LinkRay's
    // profile too, so it is sent again.
    void csmsCommandAccepted(const QString& chargePointId, const QString& action);

private:
    void sendProfile(const QString& chargePointId, const ocpp::v16::SetChargingProfileRequest& request,
        std::function<void(bool)> done);
    void learnConnector(const QString& chargePointId, int connectorId);
    QString limitUnitOf(const QString& chargePointId) const;

    Clock& m_clock;
    const Config& m_config;
    storage::Database& m_database;
    localcsms::RemoteCommands& m_commands;
    QHash<QString, int> m_connectorCounts;
    std::unique_ptr<balancer::ChargingController> m_controller;
    std::unique_ptr<meter::MeterDriver> m_meter;
};

} // namespace linkray::app
