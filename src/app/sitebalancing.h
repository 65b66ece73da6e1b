#pragma once

#include "app/config.h"
#include "balancer/chargingcontroller.h"
#include "meter/meterdriver.h"
#include "storage/database.h"
#include "storage/operatorlimitrepository.h"
#include "web/webservices.h"

#include <QHash>
#include <QJsonArray>
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
    // Per balanced charge point: its limits, whether it accepted, whether it draws above its limit (GET /api/v1/site).
    QJsonArray chargerStatusJson() const;
    // The site meter's last trusted reading, A per phase (none on a phase it does not measure); none without a meter
    // or while it is stale or failed.
    std::optional<balancer::MeteredPhaseValues> siteLoadA() const { return m_siteLoadA; }
    // The same for GET /api/v1/site: null, or per phase a number or null (unknown, not 0 A).
    QJsonValue siteLoadJson() const;
    // After start().
    const meter::MeterDriver& meter() const { return *m_meter; }
    // The site meter's state and, unless ok, why (GET /api/v1/site); null without a meter.
    QJsonValue meterStatusJson() const;

    // A call the charger sent; in online mode relayed calls arrive here, not through the endpoint.
    void observe(const QString& chargePointId, const ocpp::IncomingCall& call);
    // Online mode: the CSMS answered a charger's call, and the answer went on to the charger. A StartTransaction's
    // tells the transaction id the charger knows.
    void relayedCallAnswered(const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& result);
    // Online mode: the charger accepted a call of the CSMS. Its SetChargingProfile, or the TxProfile of its
    // RemoteStartTransaction, caps LinkRay's limit; a ClearChargingProfile removes such caps and may have removed
    // LinkRay's profile too, so that is sent again.
    void csmsCommandAccepted(const QString& chargePointId, const QString& action, const QJsonObject& request);

    // The site's dynamic limit (empty id) or a charger's manual limit, while it has not expired.
    std::optional<storage::OperatorLimitRecord> operatorLimit(const QString& chargePointId) const;
    // Stored first, so that it survives a restart until it expires, then put in force.
    web::LimitChange setOperatorLimit(const storage::OperatorLimitRecord& limit);
    web::LimitChange clearOperatorLimit(const QString& chargePointId);
    // A group's manual limit (docs/balancing.md, "Dynamic and manual limits"), set through setOperatorLimit.
    std::optional<storage::OperatorLimitRecord> groupLimit(const QString& groupId) const;
    web::LimitChange clearGroupLimit(const QString& groupId);
    bool isGroup(const QString& groupId) const;
    bool isBalanced(const QString& chargePointId) const;

private:
    void recordMeterProblem(const QString& reason);
    void recordMeterRecovery();
    void recordMeterEvent(const QString& kind, const QJsonObject& details);
    void applyOperatorLimit(const storage::OperatorLimitRecord& limit);
    void forgetOperatorLimit(const QString& chargePointId);
    void forgetGroupLimit(const QString& groupId);
    void sendProfile(const QString& chargePointId, const ocpp::v16::SetChargingProfileRequest& request,
        std::function<void(bool)> done);
    void learnConnector(const QString& chargePointId, int connectorId);
    void observeAnsweredLocally(const QString& chargePointId, const ocpp::IncomingCall& call);
    // The id the charger knows the connector's running transaction by, as stored; none when none runs.
    std::optional<qint64> storedTransactionId(const QString& chargePointId, int connectorId) const;
    // The configuration's model with each charge point's rate unit as chooseRateUnit() decides it now.
    balancer::SiteModel siteModel() const;
    balancer::RateUnit rateUnitOf(const QString& chargePointId) const;
    QString limitUnitOf(const QString& chargePointId) const;
    // Asks the charger which rate unit it accepts, then lets the controller send it its profile.
    void askChargingConfiguration(const QString& chargePointId);
    void learnChargingConfiguration(const QString& chargePointId, const QList<ocpp::v16::KeyValue>& keys);

    Clock& m_clock;
    const Config& m_config;
    storage::Database& m_database;
    localcsms::RemoteCommands& m_commands;
    QHash<QString, int> m_connectorCounts;
    // ChargingScheduleAllowedChargingRateUnit as each charger answered it.
    QHash<QString, QString> m_allowedRateUnits;
    // The chargers whose GetConfiguration is unanswered, with the connection it was asked on.
    QHash<QString, quint64> m_configurationAsked;
    quint64 m_connectionSerial = 0;
    QHash<QString, storage::OperatorLimitRecord> m_operatorLimits; // by charge point id; empty: the site's
    QHash<QString, storage::OperatorLimitRecord> m_groupLimits; // by group id
    std::unique_ptr<Timer> m_dynamicExpiry;
    std::unique_ptr<balancer::ChargingController> m_controller;
    std::unique_ptr<meter::MeterDriver> m_meter;
    std::optional<balancer::MeteredPhaseValues> m_siteLoadA;
    bool m_meterProblemRecorded = false; // a MeterStale or MeterFailed event awaits its MeterOk
};

} // namespace linkray::app
