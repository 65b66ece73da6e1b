#include "ocpp/validation.h"
#include "sim/chargepoint.h"

// What the simulated charge point answers to the CSMS: one routing table, one handler per action.
namespace linkray::sim {

namespace v16 = ocpp::v16;

namespace {
const QLatin1String Accepted("Accepted");
const QLatin1String Rejected("Rejected");
} // namespace

template<typename Request> void ChargePoint::route(typename Request::Response (ChargePoint::*handler)(const Request&))
{
    m_routes.insert(QLatin1String(Request::action), [this, handler](const ocpp::IncomingCall& call) {
        const typename Request::Response response = (this->*handler)(Request::fromJson(call.payload));
        m_endpoint.sendResult(call.uniqueId, response.toJson());
    });
}

void ChargePoint::setUpRoutes()
{
    route(&ChargePoint::onRemoteStart);
    route(&ChargePoint::onRemoteStop);
    route(&ChargePoint::onReset);
    route(&ChargePoint::onUnlockConnector);
    route(&ChargePoint::onChangeAvailability);
    route(&ChargePoint::onGetConfiguration);
    route(&ChargePoint::onChangeConfiguration);
    route(&ChargePoint::onSetChargingProfile);
    route(&ChargePoint::onClearChargingProfile);
    route(&ChargePoint::onGetCompositeSchedule);
    route(&ChargePoint::onTriggerMessage);
    route(&ChargePoint::onSendLocalList);
    route(&ChargePoint::onGetLocalListVersion);
    route(&ChargePoint::onClearCache);
    route(&ChargePoint::onDataTransfer);
}

void ChargePoint::onCallReceived(const ocpp::IncomingCall& call)
{
    const auto handler = m_routes.constFind(call.action);
    if (handler == m_routes.cend()) {
        const bool known = ocpp::isKnownAction(call.action);
        m_endpoint.sendError(call.uniqueId, known ? ocpp::ErrorCode::NotSupported : ocpp::ErrorCode::NotImplemented,
            QStringLiteral("%1 is not supported by linkray-sim").arg(call.action));
        return;
    }
    m_afterAnswer.clear();
    (*handler)(call);
    // Actions a handler takes once its answer is on the wire (e.g. the StopTransaction after a RemoteStop).
    const auto actions = std::move(m_afterAnswer);
    m_afterAnswer.clear();
    for (const auto& action : actions)
        action();
}

v16::RemoteStartTransactionResponse ChargePoint::onRemoteStart(const v16::RemoteStartTransactionRequest& request)
{
    const auto isFree = [](const Connector& each) { return each.operative && !each.session; };
    Connector* target = nullptr;
    if (request.connectorId) {
        target = findConnector(*request.connectorId);
        if (target && !isFree(*target))
            target = nullptr;
    } else {
        const auto free = std::find_if(m_connectors.begin(), m_connectors.end(), isFree);
        target = free == m_connectors.end() ? nullptr : &*free;
    }
    if (!m_booted || !target)
        return {Rejected};
    const int connectorId = target->id;
    afterAnswer([this, connectorId, request] {
        Connector& started = *findConnector(connectorId);
        announce(QStringLiteral("remote start on connector %1 with tag %2").arg(connectorId).arg(request.idTag));
        if (request.chargingProfile && request.chargingProfile->chargingProfilePurpose == QLatin1String("TxProfile"))
            m_profiles.install(connectorId, *request.chargingProfile);
        beginSession(started, request.idTag);
        startTransaction(started);
    });
    return {Accepted};
}

v16::RemoteStopTransactionResponse ChargePoint::onRemoteStop(const v16::RemoteStopTransactionRequest& request)
{
    const auto running = std::find_if(m_connectors.begin(), m_connectors.end(),
        [&](const Connector& each) { return each.session && each.session->transactionId == request.transactionId; });
    if (running == m_connectors.end())
        return {Rejected};
    const int connectorId = running->id;
    afterAnswer([this, connectorId] { stopTransaction(*findConnector(connectorId), QStringLiteral("Remote")); });
    return {Accepted};
}

v16::ResetResponse ChargePoint::onReset(const v16::ResetRequest& request)
{
    const QString reason
        = request.type == QLatin1String("Hard") ? QStringLiteral("HardReset") : QStringLiteral("SoftReset");
    afterAnswer([this, reason] {
        announce(QStringLiteral("%1: rebooting").arg(reason));
        for (Connector& each : m_connectors) {
            if (each.session)
                stopTransaction(each, reason);
        }
        boot();
    });
    return {Accepted};
}

v16::UnlockConnectorResponse ChargePoint::onUnlockConnector(const v16::UnlockConnectorRequest& request)
{
    Connector* target = findConnector(request.connectorId);
    if (!target)
        return {QStringLiteral("NotSupported")};
    if (target->session) {
        const int connectorId = target->id;
        afterAnswer(
            [this, connectorId] { stopTransaction(*findConnector(connectorId), QStringLiteral("UnlockCommand")); });
    }
    return {QStringLiteral("Unlocked")};
}

v16::ChangeAvailabilityResponse ChargePoint::onChangeAvailability(const v16::ChangeAvailabilityRequest& request)
{
    if (request.connectorId != 0 && !findConnector(request.connectorId))
        return {Rejected};
    const bool operative = request.type == QLatin1String("Operative");
    bool scheduled = false;
    for (Connector& each : m_connectors) {
        if (request.connectorId != 0 && each.id != request.connectorId)
            continue;
        if (each.session) {
            each.scheduledOperative = operative;
            scheduled = true;
            continue;
        }
        each.operative = operative;
        const int connectorId = each.id;
        afterAnswer([this, connectorId, operative] {
            setStatus(connectorId, operative ? QStringLiteral("Available") : QStringLiteral("Unavailable"));
        });
    }
    if (request.connectorId == 0)
        afterAnswer([this] { sendStatus(0); });
    return {scheduled ? QStringLiteral("Scheduled") : QString(Accepted)};
}

v16::GetConfigurationResponse ChargePoint::onGetConfiguration(const v16::GetConfigurationRequest& request)
{
    QStringList unknown;
    v16::GetConfigurationResponse response;
    QList<v16::KeyValue> known;
    for (const ConfigurationStore::Entry& entry : m_configuration.read(request.key.value_or(QStringList {}), unknown))
        known.append(v16::KeyValue {entry.key, entry.readOnly, entry.value});
    response.configurationKey = known;
    if (!unknown.isEmpty())
        response.unknownKey = unknown;
    return response;
}

v16::ChangeConfigurationResponse ChargePoint::onChangeConfiguration(const v16::ChangeConfigurationRequest& request)
{
    using Status = ConfigurationStore::ChangeStatus;
    const Status status = m_configuration.change(request.key, request.value);
    if (status == Status::NotSupported)
        return {QStringLiteral("NotSupported")};
    if (status == Status::Rejected)
        return {Rejected};
    qCInfo(lcSim).noquote() << id() << "configuration" << request.key << "changed";
    if (request.key == QLatin1String("HeartbeatInterval")) {
        restartHeartbeat();
    } else if (request.key == QLatin1String("MeterValueSampleInterval")) {
        for (Connector& each : m_connectors)
            restartMeterTimer(each);
    }
    return {Accepted};
}

v16::SetChargingProfileResponse ChargePoint::onSetChargingProfile(const v16::SetChargingProfileRequest& request)
{
    const v16::ChargingProfile& profile = request.csChargingProfiles;
    const QString& purpose = profile.chargingProfilePurpose;
    Connector* target = findConnector(request.connectorId);
    const bool connectorValid = request.connectorId == 0 || target;
    const bool purposeFits = purpose == QLatin1String("ChargePointMaxProfile") ? request.connectorId == 0
        : purpose == QLatin1String("TxProfile")                                ? target && target->session
            && (!profile.transactionId || profile.transactionId == target->session->transactionId)
                                                : true;
    const bool stackLevelFits
        = profile.stackLevel <= m_configuration.intValue(QStringLiteral("ChargeProfileMaxStackLevel"));
    if (!connectorValid || !purposeFits || !stackLevelFits)
        return {Rejected};
    m_profiles.install(request.connectorId, profile);
    afterAnswer([this] { applyLimits(); });
    return {Accepted};
}

v16::ClearChargingProfileResponse ChargePoint::onClearChargingProfile(const v16::ClearChargingProfileRequest& request)
{
    if (!m_profiles.clear(request))
        return {QStringLiteral("Unknown")};
    afterAnswer([this] { applyLimits(); });
    return {Accepted};
}

v16::GetCompositeScheduleResponse ChargePoint::onGetCompositeSchedule(const v16::GetCompositeScheduleRequest& request)
{
    Connector* target = findConnector(request.connectorId);
    if (request.connectorId != 0 && !target)
        return {Rejected, std::nullopt, std::nullopt, std::nullopt};
    const QString defaultUnit = m_settings.hardware.type == ChargerType::Dc ? QStringLiteral("W") : QStringLiteral("A");
    const QDateTime now = m_clock.nowUtc();
    const std::optional<TransactionRef> transaction = target ? transactionOf(*target) : std::nullopt;
    return {Accepted, request.connectorId, now,
        m_profiles.composite(request.connectorId, now, request.duration, request.chargingRateUnit.value_or(defaultUnit),
            transaction, maxCurrentA())};
}

v16::TriggerMessageResponse ChargePoint::onTriggerMessage(const v16::TriggerMessageRequest& request)
{
    const QString& message = request.requestedMessage;
    if (request.connectorId && *request.connectorId != 0 && !findConnector(*request.connectorId))
        return {Rejected};
    if (message == QLatin1String("BootNotification")) {
        afterAnswer([this] { boot(); });
    } else if (message == QLatin1String("Heartbeat")) {
        afterAnswer([this] { sendHeartbeat(); });
    } else if (message == QLatin1String("StatusNotification") || message == QLatin1String("MeterValues")) {
        const bool status = message == QLatin1String("StatusNotification");
        const qint64 only = request.connectorId.value_or(-1);
        afterAnswer([this, status, only] {
            if (status && only <= 0)
                sendStatus(0);
            for (Connector& each : m_connectors) {
                if (only > 0 && each.id != only)
                    continue;
                if (status)
                    sendStatus(each.id);
                else
                    sendMeterValues(each, QStringLiteral("Trigger"));
            }
        });
    } else {
        return {QStringLiteral("NotImplemented")};
    }
    return {Accepted};
}

v16::SendLocalListResponse ChargePoint::onSendLocalList(const v16::SendLocalListRequest& request)
{
    if (!m_configuration.boolValue(QStringLiteral("LocalAuthListEnabled")))
        return {QStringLiteral("NotSupported")};
    return {m_localList.apply(request)};
}

v16::GetLocalListVersionResponse ChargePoint::onGetLocalListVersion(const v16::GetLocalListVersionRequest&)
{
    return {m_localList.version()};
}

v16::ClearCacheResponse ChargePoint::onClearCache(const v16::ClearCacheRequest&)
{
    return {Accepted};
}

v16::DataTransferResponse ChargePoint::onDataTransfer(const v16::DataTransferRequest&)
{
    return {QStringLiteral("UnknownVendorId"), std::nullopt};
}

} // namespace linkray::sim
