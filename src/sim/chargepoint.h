#pragma once

#include "core/clock.h"
#include "ocpp/endpoint.h"
#include "ocpp/messages.h"
#include "sim/chargingprofiles.h"
#include "sim/configurationstore.h"
#include "sim/localauthlist.h"
#include "sim/logging.h"
#include "sim/simconfig.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <array>
#include <functional>
#include <memory>
#include <random>
#include <vector>

// One simulated OCPP 1.6J charge point without its socket: it talks through an ocpp::Endpoint and lives in the
// time of the Clock it is given. Cars arrive at random (or when a test says so), charge and leave.
namespace linkray::sim {

class ChargePoint : public QObject {
    Q_OBJECT
public:
    ChargePoint(
        Clock& clock, ocpp::Endpoint& endpoint, ChargePointSettings settings, quint32 seed, QObject* parent = nullptr);
    ~ChargePoint() override;

    const QString& id() const { return m_settings.id; }
    // The Basic auth password now (the CSMS may rotate it with ChangeConfiguration AuthorizationKey).
    QString authorizationKey() const;

    // The transport came up (boot follows) or went down.
    void transportConnected();
    void transportDisconnected();

    // Random arrivals every arrivalMeanMinutes on average, once booted.
    void setRandomArrivals(bool enabled);
    // A car plugs in at a free connector and presents `idTag`; false when the connector cannot take it.
    bool carArrives(int connectorId, const QString& idTag);
    void carDeparts(int connectorId);

    // What the charge point draws now, all connectors, in A on each site phase (its wiring rotation applied).
    std::array<double, 3> siteDrawA() const;

Q_SIGNALS:
    // A connector's current changed (siteDrawA() tells the new draw).
    void drawChanged();
    // One line for a person watching the bench (booted, car arrived, started, stopped, limit changed).
    void notableEvent(const QString& line);

private:
    struct Session {
        QString idTag;
        std::optional<qint64> transactionId; // once StartTransaction was answered
        bool charging = false; // the transaction was accepted and energy flows (or is paused)
        qint64 meterStartWh = 0;
        QDateTime startedAt;
        std::unique_ptr<Timer> meterTimer;
        std::unique_ptr<Timer> departureTimer;
    };
    struct Connector {
        int id = 0;
        QString status = QStringLiteral("Available");
        bool operative = true;
        std::optional<bool> scheduledOperative; // ChangeAvailability waiting for the transaction to end
        double energyWh = 0;
        double currentA = 0; // per phase the car draws on, drawn now
        qint64 integratedUntilMs = 0;
        // A new limit reaches the car only after the reaction delay: the current it will then draw.
        std::unique_ptr<Timer> reactionTimer;
        double reactionA = 0;
        double reactionLimitA = 0;
        std::unique_ptr<Session> session;
    };

    // Boot, keep-alive and status (chargepoint.cpp)
    void defineConfiguration();
    void boot();
    void onBootAnswered(const ocpp::v16::BootNotificationResponse& response);
    void retryBoot(qint64 seconds);
    void sendHeartbeat();
    void restartHeartbeat();
    void setStatus(int connectorId, const QString& status);
    void sendStatus(int connectorId);
    void announce(const QString& line);
    Connector* findConnector(qint64 connectorId);

    // Transactions and metering (transactions.cpp)
    void scheduleNextArrival();
    void onRandomArrival();
    void beginSession(Connector& connector, const QString& idTag);
    void startTransaction(Connector& connector);
    void onStartAnswered(int connectorId, const ocpp::v16::StartTransactionResponse& response);
    // Sends StopTransaction, or only frees the connector when the transaction never got an id.
    void stopTransaction(Connector& connector, const QString& reason);
    void endSession(Connector& connector);
    void sendMeterValues(Connector& connector, const QString& context);
    ocpp::v16::MeterValue sample(const Connector& connector, const QString& context) const;
    void integrateEnergy(Connector& connector);
    enum class Reaction { Delayed, AtOnce };
    void applyLimit(Connector& connector, Reaction reaction = Reaction::Delayed);
    void applyLimits();
    void setCurrent(Connector& connector, double currentA, double limitA);
    int carPhases() const; // the phases the car draws on
    double powerW(const Connector& connector) const;
    void restartMeterTimer(Connector& connector);
    std::optional<TransactionRef> transactionOf(const Connector& connector) const;
    double maxCurrentA() const;

    // Calls from the CSMS (csmscommands.cpp)
    void setUpRoutes();
    void onCallReceived(const ocpp::IncomingCall& call);
    template<typename Request> void route(typename Request::Response (ChargePoint::*handler)(const Request&));
    void afterAnswer(std::function<void()> action) { m_afterAnswer.push_back(std::move(action)); }
    ocpp::v16::RemoteStartTransactionResponse onRemoteStart(const ocpp::v16::RemoteStartTransactionRequest& request);
    ocpp::v16::RemoteStopTransactionResponse onRemoteStop(const ocpp::v16::RemoteStopTransactionRequest& request);
    ocpp::v16::ResetResponse onReset(const ocpp::v16::ResetRequest& request);
    ocpp::v16::UnlockConnectorResponse onUnlockConnector(const ocpp::v16::UnlockConnectorRequest& request);
    ocpp::v16::ChangeAvailabilityResponse onChangeAvailability(const ocpp::v16::ChangeAvailabilityRequest& request);
    ocpp::v16::GetConfigurationResponse onGetConfiguration(const ocpp::v16::GetConfigurationRequest& request);
    ocpp::v16::ChangeConfigurationResponse onChangeConfiguration(const ocpp::v16::ChangeConfigurationRequest& request);
    ocpp::v16::SetChargingProfileResponse onSetChargingProfile(const ocpp::v16::SetChargingProfileRequest& request);
    ocpp::v16::ClearChargingProfileResponse onClearChargingProfile(
        const ocpp::v16::ClearChargingProfileRequest& request);
    ocpp::v16::GetCompositeScheduleResponse onGetCompositeSchedule(
        const ocpp::v16::GetCompositeScheduleRequest& request);
    ocpp::v16::TriggerMessageResponse onTriggerMessage(const ocpp::v16::TriggerMessageRequest& request);
    ocpp::v16::SendLocalListResponse onSendLocalList(const ocpp::v16::SendLocalListRequest& request);
    ocpp::v16::GetLocalListVersionResponse onGetLocalListVersion(const ocpp::v16::GetLocalListVersionRequest& request);
    ocpp::v16::ClearCacheResponse onClearCache(const ocpp::v16::ClearCacheRequest& request);
    ocpp::v16::DataTransferResponse onDataTransfer(const ocpp::v16::DataTransferRequest& request);

    // Sends a typed CALL; `onResult` runs with the typed answer; on a CALLERROR, a timeout or when offline,
    // `onFailure` runs (and the fault is logged).
    template<typename Request>
    void call(const Request& request, const std::function<void(const typename Request::Response&)>& onResult = {},
        const std::function<void()>& onFailure = {});

    Clock& m_clock;
    ocpp::Endpoint& m_endpoint;
    ChargePointSettings m_settings;
    ElectricalRating m_rating;
    std::mt19937 m_random;
    ConfigurationStore m_configuration;
    LocalAuthList m_localList;
    ChargingProfiles m_profiles;
    std::vector<Connector> m_connectors;
    bool m_connected = false;
    bool m_booted = false;
    bool m_randomArrivals = false;
    std::unique_ptr<Timer> m_heartbeatTimer;
    std::unique_ptr<Timer> m_bootRetryTimer;
    std::unique_ptr<Timer> m_arrivalTimer;
    QHash<QString, std::function<void(const ocpp::IncomingCall&)>> m_routes;
    std::vector<std::function<void()>> m_afterAnswer;
};

template<typename Request>
void ChargePoint::call(const Request& request, const std::function<void(const typename Request::Response&)>& onResult,
    const std::function<void()>& onFailure)
{
    const QString action = QLatin1String(Request::action);
    // Offline (or before an accepted boot) a frame would only wait for its timeout and hold up the calls behind it.
    if (!m_connected || (!m_booted && action != QLatin1String(ocpp::v16::BootNotificationRequest::action))) {
        qCDebug(lcSim).noquote() << id() << action << "not sent: not booted";
        if (onFailure)
            onFailure();
        return;
    }
    QPointer<ChargePoint> self(this);
    m_endpoint.sendCall(
        action, request.toJson(), [self, action, onResult, onFailure](const ocpp::CallOutcome& outcome) {
            if (!self)
                return;
            if (outcome.kind == ocpp::CallOutcome::Kind::Result) {
                if (onResult)
                    onResult(Request::Response::fromJson(outcome.payload));
                return;
            }
            qCWarning(lcSim).noquote() << self->id() << action << "failed:" << outcome.errorCode << outcome.description;
            if (onFailure)
                onFailure();
        });
}

} // namespace linkray::sim
