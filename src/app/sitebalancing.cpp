#include "app/sitebalancing.h"

#include "app/logging.h"
#include "app/sitesetup.h"
#include "balancer/chargerobservation.h"
#include "balancer/rateunit.h"
#include "localcsms/remotecommands.h"
#include "ocpp/endpoint.h"
#include "storage/repositories.h"

namespace linkray::app {

namespace v16 = ocpp::v16;

namespace {

balancer::ControllerOptions controllerOptions(const Config& config)
{
    balancer::ControllerOptions options;
    const ControlConfig& control = config.site.control;
    options.chargingProfileId = control.profileId;
    options.stackLevel = control.stackLevel;
    options.hysteresisA = control.hysteresisA;
    options.hysteresisW = control.hysteresisW;
    options.increaseDelaySeconds = control.increaseDelaySeconds;
    options.rampStepA = control.rampStepA;
    options.failSafeAfterSeconds = control.failSafeAfterSeconds;
    options.rotationIntervalSeconds = qint64(config.site.rotationIntervalMinutes) * 60;
    options.siteHasMeter = config.meter.type != MeterType::None;
    return options;
}

} // namespace

SiteBalancing::SiteBalancing(Clock& clock, const Config& config, storage::Database& database,
    localcsms::RemoteCommands& commands, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_config(config)
    , m_database(database)
    , m_commands(commands)
{
    storage::ChargePointRepository chargePoints(m_database);
    QHash<QString, QList<storage::ConnectorRecord>> storedConnectors;
    for (const ChargePointConfig& chargePoint : m_config.chargePoints) {
        const auto connectors = chargePoints.connectors(chargePoint.id);
        storedConnectors.insert(chargePoint.id, connectors);
        for (const storage::ConnectorRecord& connector : connectors)
            m_connectorCounts[chargePoint.id]
                = std::max(m_connectorCounts.value(chargePoint.id), connector.connectorId);
    }
    m_controller = std::make_unique<balancer::ChargingController>(
        balancer::ChargingController::Context {m_clock,
            [this](const QString& id, const v16::SetChargingProfileRequest& request, std::function<void(bool)> done) {
                sendProfile(id, request, std::move(done));
            },
            controllerOptions(m_config)},
        siteModel());

    // After a restart: the last limits re-sent as chargers connect, and the connectors' last known state, so that
    // a car charging before the restart is not taken for an idle connector.
    QHash<QString, balancer::AppliedLimit> restored;
    const auto applied = chargePoints.appliedLimits();
    for (auto limit = applied.cbegin(); limit != applied.cend(); ++limit)
        restored.insert(limit.key(), {limit->limit, limit->numberPhases});
    m_controller->restoreLimits(restored);
    for (auto stored = storedConnectors.cbegin(); stored != storedConnectors.cend(); ++stored) {
        for (const storage::ConnectorRecord& connector : *stored) {
            if (connector.connectorId <= 0)
                continue;
            const balancer::ConnectorId id {stored.key(), connector.connectorId};
            m_controller->connectorObserved(
                id, balancer::ConnectorObservation {connector.status, std::nullopt, std::nullopt});
            if (const auto transactionId = storedTransactionId(id.chargePointId, id.connectorId))
                m_controller->transactionStarted(id, transactionId);
        }
    }
    connect(m_controller.get(), &balancer::ChargingController::limitApplied, this,
        [this](const QString& id, double limit, int numberPhases) {
            storage::ChargePointRepository(m_database).setAppliedLimit(id, {limit, limitUnitOf(id), numberPhases});
        });
    connect(m_controller.get(), &balancer::ChargingController::manualLimitExpired, this,
        [this](const QString& id) { forgetOperatorLimit(id); });
    connect(m_controller.get(), &balancer::ChargingController::groupLimitExpired, this,
        [this](const QString& id) { forgetGroupLimit(id); });
    m_dynamicExpiry = m_clock.createTimer();
    m_dynamicExpiry->setSingleShot(true);
    connect(m_dynamicExpiry.get(), &Timer::timeout, this, [this] {
        qCInfo(lcApp) << "the site's dynamic limit expired";
        forgetOperatorLimit(QString());
        m_controller->setDynamicLimit(std::nullopt);
    });
    const QDateTime now = m_clock.nowUtc();
    for (const storage::OperatorLimitRecord& limit : storage::OperatorLimitRepository(m_database).all()) {
        if (!limit.groupId.isEmpty()) {
            if (limit.expiresAt > now && isGroup(limit.groupId))
                applyOperatorLimit(limit);
            else
                storage::OperatorLimitRepository(m_database).removeGroup(limit.groupId);
        } else if (limit.expiresAt > now && (limit.chargePointId.isEmpty() || isBalanced(limit.chargePointId))) {
            applyOperatorLimit(limit);
        } else {
            storage::OperatorLimitRepository(m_database).remove(limit.chargePointId);
        }
    }

    // The operator sees an over-limit charger in the events and in the site status (docs/balancing.md).
    connect(m_controller.get(), &balancer::ChargingController::chargerOverLimit, this,
        [this](const QString& id, double measured, double limit) {
            const QString unit = limitUnitOf(id);
            qCWarning(lcApp).noquote() << id << "accepted a limit of" << limit << unit << "but draws" << measured
                                       << unit;
            storage::EventRecord event;
            event.at = m_clock.nowUtc();
            event.chargePointId = id;
            event.kind = QStringLiteral("OverLimit");
            event.details = {{QStringLiteral("limit"), limit}, {QStringLiteral("measured"), measured},
                {QStringLiteral("unit"), unit}};
            if (!storage::EventRepository(m_database).append(event))
                qCWarning(lcApp) << "could not record the over-limit event of" << id;
        });
}

QJsonArray SiteBalancing::chargerStatusJson() const
{
    QJsonArray chargers;
    for (const ChargePointConfig& chargePoint : m_config.chargePoints) {
        if (!chargePoint.balancing.enabled)
            continue;
        const balancer::ChargerControlStatus status = m_controller->status(chargePoint.id);
        QJsonObject object {
            {QStringLiteral("chargePointId"), chargePoint.id},
            {QStringLiteral("unit"), limitUnitOf(chargePoint.id)},
            {QStringLiteral("overLimit"), status.overLimit},
        };
        if (status.target)
            object.insert(QStringLiteral("targetLimit"), status.target->limit);
        if (status.lastSent)
            object.insert(QStringLiteral("sentLimit"), status.lastSent->limit);
        if (status.lastAccepted)
            object.insert(QStringLiteral("lastAccepted"), *status.lastAccepted);
        if (const auto draw = m_controller->measuredDraw(chargePoint.id))
            object.insert(QStringLiteral("measuredDraw"), *draw);
        chargers.append(object);
    }
    return chargers;
}

bool SiteBalancing::isBalanced(const QString& chargePointId) const
{
    return std::any_of(
        m_config.chargePoints.cbegin(), m_config.chargePoints.cend(), [&](const ChargePointConfig& chargePoint) {
            return chargePoint.id == chargePointId && chargePoint.balancing.enabled;
        });
}

std::optional<storage::OperatorLimitRecord> SiteBalancing::operatorLimit(const QString& chargePointId) const
{
    const auto limit = m_operatorLimits.constFind(chargePointId);
    if (limit == m_operatorLimits.cend() || limit->expiresAt <= m_clock.nowUtc())
        return std::nullopt;
    return *limit;
}

bool SiteBalancing::isGroup(const QString& groupId) const
{
    return std::any_of(m_config.site.groups.cbegin(), m_config.site.groups.cend(),
        [&](const SiteGroupConfig& group) { return group.id == groupId; });
}

std::optional<storage::OperatorLimitRecord> SiteBalancing::groupLimit(const QString& groupId) const
{
    const auto limit = m_groupLimits.constFind(groupId);
    if (limit == m_groupLimits.cend() || limit->expiresAt <= m_clock.nowUtc())
        return std::nullopt;
    return *limit;
}

web::LimitChange SiteBalancing::clearGroupLimit(const QString& groupId)
{
    if (!isGroup(groupId))
        return web::LimitChange::UnknownGroup;
    if (!storage::OperatorLimitRepository(m_database).removeGroup(groupId))
        return web::LimitChange::NotStored;
    m_groupLimits.remove(groupId);
    m_controller->setGroupLimit(groupId, std::nullopt);
    return web::LimitChange::Applied;
}

void SiteBalancing::forgetGroupLimit(const QString& groupId)
{
    m_groupLimits.remove(groupId);
    storage::OperatorLimitRepository(m_database).removeGroup(groupId);
}

web::LimitChange SiteBalancing::setOperatorLimit(const storage::OperatorLimitRecord& limit)
{
    if (!limit.groupId.isEmpty() && !isGroup(limit.groupId))
        return web::LimitChange::UnknownGroup;
    if (!limit.chargePointId.isEmpty() && !isBalanced(limit.chargePointId))
        return web::LimitChange::UnknownChargePoint;
    if (!storage::OperatorLimitRepository(m_database).put(limit))
        return web::LimitChange::NotStored;
    applyOperatorLimit(limit);
    return web::LimitChange::Applied;
}

web::LimitChange SiteBalancing::clearOperatorLimit(const QString& chargePointId)
{
    if (!chargePointId.isEmpty() && !isBalanced(chargePointId))
        return web::LimitChange::UnknownChargePoint;
    if (!storage::OperatorLimitRepository(m_database).remove(chargePointId))
        return web::LimitChange::NotStored;
    m_operatorLimits.remove(chargePointId);
    if (chargePointId.isEmpty()) {
        m_dynamicExpiry->stop();
        m_controller->setDynamicLimit(std::nullopt);
    } else {
        m_controller->setManualLimit(chargePointId, std::nullopt);
    }
    return web::LimitChange::Applied;
}

// The site's limit lowers the grid limit per phase and in total, a group's its limit per phase; a charger's is in its
// own unit, converted at three phases and the nominal voltage when given in the other one.
void SiteBalancing::applyOperatorLimit(const storage::OperatorLimitRecord& limit)
{
    if (!limit.groupId.isEmpty()) {
        m_groupLimits.insert(limit.groupId, limit);
        const PhaseCurrents& unlimited = m_config.site.phaseLimitA;
        m_controller->setGroupLimit(limit.groupId,
            balancer::GroupLimit {
                limit.currentA.value_or(std::array<double, 3> {unlimited[0], unlimited[1], unlimited[2]}),
                limit.expiresAt});
        return;
    }
    m_operatorLimits.insert(limit.chargePointId, limit);
    if (limit.chargePointId.isEmpty()) {
        balancer::DynamicLimit dynamic;
        const PhaseCurrents& grid = m_config.site.phaseLimitA;
        dynamic.limitA = limit.currentA.value_or(std::array<double, 3> {grid[0], grid[1], grid[2]});
        dynamic.powerLimitW = limit.powerW;
        dynamic.expiresAt = limit.expiresAt;
        m_controller->setDynamicLimit(dynamic);
        m_dynamicExpiry->start(std::max<qint64>(1, m_clock.nowUtc().msecsTo(limit.expiresAt)));
        return;
    }
    const double perPhaseW = 3.0 * m_config.site.voltage;
    const bool inWatts = limitUnitOf(limit.chargePointId) == QLatin1String("W");
    double value = 0.0;
    if (limit.powerW)
        value = inWatts ? *limit.powerW : *limit.powerW / perPhaseW;
    else if (limit.currentA)
        value = inWatts ? (*limit.currentA)[0] * perPhaseW : (*limit.currentA)[0];
    m_controller->setManualLimit(limit.chargePointId, balancer::ManualLimit {value, limit.expiresAt});
}

void SiteBalancing::forgetOperatorLimit(const QString& chargePointId)
{
    m_operatorLimits.remove(chargePointId);
    storage::OperatorLimitRepository(m_database).remove(chargePointId);
}

balancer::SiteModel SiteBalancing::siteModel() const
{
    balancer::SiteModel model = siteModelFromConfig(m_config, m_connectorCounts);
    for (balancer::ChargerConfig& charger : model.chargers)
        charger.rateUnit = rateUnitOf(charger.id.chargePointId);
    return model;
}

// DC chargers are limited in W, AC chargers in A per phase, unless the configuration or the charger says otherwise
// (docs/balancing.md, "Rate unit").
balancer::RateUnit SiteBalancing::rateUnitOf(const QString& chargePointId) const
{
    std::optional<balancer::RateUnit> configured;
    bool dc = false;
    for (const ChargePointConfig& chargePoint : m_config.chargePoints) {
        if (chargePoint.id != chargePointId)
            continue;
        dc = chargePoint.balancing.kind == ChargerKind::Dc;
        if (chargePoint.balancing.rateUnit)
            configured = *chargePoint.balancing.rateUnit == ChargingRateUnit::Watts ? balancer::RateUnit::Watts
                                                                                    : balancer::RateUnit::Amperes;
    }
    const auto allowed = m_allowedRateUnits.constFind(chargePointId);
    return balancer::chooseRateUnit(
        configured, dc, allowed == m_allowedRateUnits.cend() ? std::nullopt : std::optional<QString>(*allowed));
}

QString SiteBalancing::limitUnitOf(const QString& chargePointId) const
{
    return rateUnitOf(chargePointId) == balancer::RateUnit::Watts ? QStringLiteral("W") : QStringLiteral("A");
}

// Before its first profile, so that the charger gets it in a unit it accepts. Its answer comes back here, never to
// the CSMS (LinkRay's own calls, like its profiles). A charger that does not answer gets its profile after the call
// timeout, in its kind's unit.
void SiteBalancing::askChargingConfiguration(const QString& chargePointId)
{
    const quint64 connection = ++m_connectionSerial;
    m_configurationAsked.insert(chargePointId, connection);
    v16::GetConfigurationRequest request;
    request.key = QList<QString> {QStringLiteral("ChargingScheduleAllowedChargingRateUnit"),
        QStringLiteral("ChargeProfileMaxStackLevel"), QStringLiteral("ChargingScheduleMaxPeriods")};
    m_commands.send(chargePointId, request,
        [this, chargePointId, connection](const localcsms::CommandResult<v16::GetConfigurationResponse>& result) {
            if (m_configurationAsked.value(chargePointId) != connection)
                return; // disconnected meanwhile
            m_configurationAsked.remove(chargePointId);
            if (result.ok())
                learnChargingConfiguration(
                    chargePointId, result.response->configurationKey.value_or(QList<v16::KeyValue> {}));
            else
                qCWarning(lcApp) << chargePointId << "did not tell its charging rate unit:" << result.description;
            m_controller->chargerConnected(chargePointId);
        });
}

void SiteBalancing::learnChargingConfiguration(const QString& chargePointId, const QList<v16::KeyValue>& keys)
{
    const balancer::RateUnit before = rateUnitOf(chargePointId);
    for (const v16::KeyValue& key : keys) {
        if (!key.value)
            continue;
        if (key.key == QLatin1String("ChargingScheduleAllowedChargingRateUnit")) {
            m_allowedRateUnits.insert(chargePointId, *key.value);
        } else if (key.key == QLatin1String("ChargeProfileMaxStackLevel")
            && key.value->toInt() < m_config.site.control.stackLevel) {
            qCWarning(lcApp).noquote() << chargePointId << "accepts stack levels up to" << *key.value
                                       << "- LinkRay's profile uses" << m_config.site.control.stackLevel;
        } else if (key.key == QLatin1String("ChargingScheduleMaxPeriods") && key.value->toInt() < 2) {
            qCWarning(lcApp).noquote() << chargePointId << "accepts" << *key.value
                                       << "schedule period(s); LinkRay's profile has two (limit, then fail-safe)";
        }
    }
    if (rateUnitOf(chargePointId) == before)
        return;
    qCInfo(lcApp).noquote() << chargePointId << "is limited in" << limitUnitOf(chargePointId)
                            << "as it accepts only that unit";
    m_controller->setSite(siteModel());
    // A manual limit is held in the charger's unit: convert it again.
    if (const auto manual = m_operatorLimits.constFind(chargePointId); manual != m_operatorLimits.cend())
        applyOperatorLimit(*manual);
}

SiteBalancing::~SiteBalancing() = default;

std::optional<QString> SiteBalancing::start()
{
    QString error;
    m_meter = meterFromConfig(m_config.meter, m_clock, &error);
    if (!m_meter)
        return QStringLiteral("cannot use the site meter: %1").arg(error);
    connect(m_meter.get(), &meter::MeterDriver::readingAvailable, this, [this](const meter::MeterReading& reading) {
        m_controller->meterReading(reading.currentA, reading.timestamp);
        m_siteLoadA = reading.currentA;
    });
    connect(m_meter.get(), &meter::MeterDriver::meterFailed, this, &SiteBalancing::recordMeterProblem);
    connect(m_meter.get(), &meter::MeterDriver::stateChanged, this, [this](meter::MeterState state) {
        if (state == meter::MeterState::Ok) {
            recordMeterRecovery();
            return;
        }
        m_siteLoadA.reset();
        qCWarning(lcApp) << "site meter" << meter::meterStateName(state) << "- fail-safe limits"
                         << m_meter->failureReason();
        m_controller->meterStale();
    });
    m_meter->start();
    return std::nullopt;
}

// The log says it too; the events list is where an operator looks for when the meter went wrong and came back.
// A meter that never answered since the start says so once its stale timeout has passed (meterFailed), so that
// event is there too; the first reading after the start ("no reading yet") is no recovery to record.
void SiteBalancing::recordMeterProblem(const QString& reason)
{
    m_meterProblemRecorded = true;
    recordMeterEvent(
        m_meter->state() == meter::MeterState::Failed ? QStringLiteral("MeterFailed") : QStringLiteral("MeterStale"),
        {{QStringLiteral("reason"), reason}});
}

void SiteBalancing::recordMeterRecovery()
{
    if (!m_meterProblemRecorded)
        return;
    m_meterProblemRecorded = false;
    recordMeterEvent(QStringLiteral("MeterOk"), {});
}

void SiteBalancing::recordMeterEvent(const QString& kind, const QJsonObject& details)
{
    storage::EventRecord event;
    event.at = m_clock.nowUtc();
    event.chargePointId = QStringLiteral(""); // the site's, not a charger's: empty, as the column is NOT NULL
    event.kind = kind;
    event.details = details;
    if (!storage::EventRepository(m_database).append(event))
        qCWarning(lcApp) << "could not record the site meter's" << kind << "event";
}

QJsonValue SiteBalancing::siteLoadJson() const
{
    if (!m_siteLoadA)
        return QJsonValue::Null;
    QJsonArray phases;
    for (const std::optional<double>& current : *m_siteLoadA)
        phases.append(current ? QJsonValue(*current) : QJsonValue::Null);
    return phases;
}

QJsonValue SiteBalancing::meterStatusJson() const
{
    if (m_config.meter.type == MeterType::None)
        return QJsonValue::Null;
    QJsonObject status {{QStringLiteral("state"), meter::meterStateName(m_meter->state())}};
    if (m_meter->state() != meter::MeterState::Ok)
        status.insert(QStringLiteral("reason"), m_meter->failureReason());
    return status;
}

void SiteBalancing::chargerConnected(const QString& chargePointId, ocpp::Endpoint& endpoint)
{
    connect(&endpoint, &ocpp::Endpoint::callReceived, this,
        [this, chargePointId](const ocpp::IncomingCall& call) { observeAnsweredLocally(chargePointId, call); });
    const bool unitConfigured = std::any_of(
        m_config.chargePoints.cbegin(), m_config.chargePoints.cend(), [&](const ChargePointConfig& chargePoint) {
            return chargePoint.id == chargePointId && chargePoint.balancing.rateUnit;
        });
    if (isBalanced(chargePointId) && !unitConfigured)
        askChargingConfiguration(chargePointId);
    else
        m_controller->chargerConnected(chargePointId);
}

void SiteBalancing::chargerDisconnected(const QString& chargePointId)
{
    m_configurationAsked.remove(chargePointId);
    m_controller->chargerDisconnected(chargePointId);
}

// LinkRay answered the call itself (offline, or online while the CSMS is out of reach) and has stored what it did:
// a StartTransaction's id is the one it gave.
void SiteBalancing::observeAnsweredLocally(const QString& chargePointId, const ocpp::IncomingCall& call)
{
    if (call.action != QLatin1String(v16::StartTransactionRequest::action)) {
        observe(chargePointId, call);
        return;
    }
    const auto connectorId = static_cast<int>(v16::StartTransactionRequest::fromJson(call.payload).connectorId);
    m_controller->transactionStarted({chargePointId, connectorId}, storedTransactionId(chargePointId, connectorId));
}

std::optional<qint64> SiteBalancing::storedTransactionId(const QString& chargePointId, int connectorId) const
{
    const auto running = storage::TransactionRepository(m_database).activeOnConnector(chargePointId, connectorId);
    return running ? std::optional(running->chargerTransactionId()) : std::nullopt;
}

void SiteBalancing::observe(const QString& chargePointId, const ocpp::IncomingCall& call)
{
    std::optional<balancer::ConnectorObservation> observation;
    int connectorId = 0;
    if (call.action == QLatin1String(v16::StartTransactionRequest::action)) {
        // Relayed: the CSMS's answer tells the id (relayedCallAnswered).
        const auto start = v16::StartTransactionRequest::fromJson(call.payload);
        m_controller->transactionStarted({chargePointId, static_cast<int>(start.connectorId)}, std::nullopt);
        return;
    }
    if (call.action == QLatin1String(v16::StopTransactionRequest::action)) {
        m_controller->transactionStopped(
            chargePointId, v16::StopTransactionRequest::fromJson(call.payload).transactionId);
        return;
    }
    if (call.action == QLatin1String(v16::StatusNotificationRequest::action)) {
        const auto status = v16::StatusNotificationRequest::fromJson(call.payload);
        connectorId = static_cast<int>(status.connectorId);
        observation = balancer::observationFrom(status);
    } else if (call.action == QLatin1String(v16::MeterValuesRequest::action)) {
        const auto meterValues = v16::MeterValuesRequest::fromJson(call.payload);
        connectorId = static_cast<int>(meterValues.connectorId);
        observation = balancer::observationFrom(meterValues);
    }
    if (!observation)
        return;
    learnConnector(chargePointId, connectorId);
    m_controller->connectorObserved({chargePointId, connectorId}, *observation);
}

void SiteBalancing::relayedCallAnswered(
    const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& result)
{
    if (call.action != QLatin1String(v16::StartTransactionRequest::action))
        return;
    const auto start = v16::StartTransactionRequest::fromJson(call.payload);
    m_controller->transactionStarted({chargePointId, static_cast<int>(start.connectorId)},
        v16::StartTransactionResponse::fromJson(result).transactionId);
}

void SiteBalancing::csmsCommandAccepted(const QString& chargePointId, const QString& action, const QJsonObject& request)
{
    if (action == QLatin1String(v16::ClearChargingProfileRequest::action))
        m_controller->profilesCleared(chargePointId, v16::ClearChargingProfileRequest::fromJson(request));
    else if (action == QLatin1String(v16::SetChargingProfileRequest::action))
        m_controller->csmsProfileSet(chargePointId, v16::SetChargingProfileRequest::fromJson(request));
    else if (action == QLatin1String(v16::RemoteStartTransactionRequest::action))
        m_controller->csmsRemoteStartAccepted(chargePointId, v16::RemoteStartTransactionRequest::fromJson(request));
}

// The configuration does not list connectors: a connector the balancer has not modelled yet extends the model.
void SiteBalancing::learnConnector(const QString& chargePointId, int connectorId)
{
    if (connectorId <= m_connectorCounts.value(chargePointId, 1))
        return;
    m_connectorCounts.insert(chargePointId, connectorId);
    m_controller->setSite(siteModel());
}

void SiteBalancing::sendProfile(
    const QString& chargePointId, const v16::SetChargingProfileRequest& request, std::function<void(bool)> done)
{
    m_commands.send(chargePointId, request,
        [chargePointId, done = std::move(done)](
            const localcsms::CommandResult<v16::SetChargingProfileResponse>& result) {
            const bool accepted = result.ok() && result.response->status == QLatin1String("Accepted");
            if (!accepted)
                qCWarning(lcApp) << "charging profile for" << chargePointId
                                 << "not accepted:" << (result.ok() ? result.response->status : result.description);
            done(accepted);
        });
}

} // namespace linkray::app
