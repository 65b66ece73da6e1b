#include "sim/chargepoint.h"

namespace linkray::sim {

namespace v16 = ocpp::v16;

namespace {

const QString HeartbeatInterval = QStringLiteral("HeartbeatInterval");
const QString AuthorizationKey = QStringLiteral("AuthorizationKey");
constexpr qint64 DefaultHeartbeatSeconds = 300;
constexpr qint64 BootRetrySeconds = 60;
constexpr int MaxLocalListLength = 100;

QString modelOf(ChargerType type)
{
    switch (type) {
    case ChargerType::Ac1:
        return QStringLiteral("Sim-AC1");
    case ChargerType::Ac3:
        return QStringLiteral("Sim-AC3");
    case ChargerType::Dc:
        return QStringLiteral("Sim-DC");
    }
    return {};
}

ElectricalRating ratingOf(const ChargerGroup& hardware)
{
    return ElectricalRating {hardware.type == ChargerType::Ac1 ? 1 : 3, hardware.voltageV};
}

bool isAuthorizationKey(const QString& value)
{
    return value.size() >= 8 && value.size() <= 40;
}

} // namespace

ChargePoint::ChargePoint(
    Clock& clock, ocpp::Endpoint& endpoint, ChargePointSettings settings, quint32 seed, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_endpoint(endpoint)
    , m_settings(std::move(settings))
    , m_rating(ratingOf(m_settings.hardware))
    , m_random(seed)
    , m_localList(MaxLocalListLength)
    , m_profiles(m_rating)
    , m_heartbeatTimer(clock.createTimer())
    , m_bootRetryTimer(clock.createTimer())
    , m_arrivalTimer(clock.createTimer())
{
    for (int id = 1; id <= m_settings.hardware.connectors; ++id) {
        Connector connector;
        connector.id = id;
        connector.reactionTimer = clock.createTimer();
        connector.reactionTimer->setSingleShot(true);
        connect(connector.reactionTimer.get(), &Timer::timeout, this, [this, id] {
            Connector& reacting = *findConnector(id);
            integrateEnergy(reacting);
            setCurrent(reacting, reacting.reactionA, reacting.reactionLimitA);
        });
        m_connectors.push_back(std::move(connector));
    }
    defineConfiguration();
    m_bootRetryTimer->setSingleShot(true);
    m_arrivalTimer->setSingleShot(true);
    connect(m_heartbeatTimer.get(), &Timer::timeout, this, &ChargePoint::sendHeartbeat);
    connect(m_bootRetryTimer.get(), &Timer::timeout, this, &ChargePoint::boot);
    connect(m_arrivalTimer.get(), &Timer::timeout, this, &ChargePoint::onRandomArrival);
    connect(&m_endpoint, &ocpp::Endpoint::callReceived, this, &ChargePoint::onCallReceived);
    setUpRoutes();
}

ChargePoint::~ChargePoint() = default;

void ChargePoint::defineConfiguration()
{
    using Access = ConfigurationStore::Access;
    const auto count = QString::number(m_settings.hardware.connectors);
    const auto rateUnit
        = m_settings.hardware.type == ChargerType::Dc ? QStringLiteral("Power") : QStringLiteral("Current");
    m_configuration.define(HeartbeatInterval, QString::number(DefaultHeartbeatSeconds), Access::ReadWrite,
        &ConfigurationStore::isNonNegativeInteger);
    m_configuration.define(QStringLiteral("MeterValueSampleInterval"), QString::number(m_settings.meterIntervalSeconds),
        Access::ReadWrite, &ConfigurationStore::isNonNegativeInteger);
    m_configuration.define(QStringLiteral("LocalAuthListEnabled"), QStringLiteral("true"), Access::ReadWrite,
        &ConfigurationStore::isBoolean);
    m_configuration.define(
        QStringLiteral("LocalAuthListMaxLength"), QString::number(MaxLocalListLength), Access::ReadOnly);
    m_configuration.define(
        QStringLiteral("SendLocalListMaxLength"), QString::number(MaxLocalListLength), Access::ReadOnly);
    m_configuration.define(QStringLiteral("ChargingScheduleAllowedChargingRateUnit"), rateUnit, Access::ReadOnly);
    m_configuration.define(QStringLiteral("ChargeProfileMaxStackLevel"), QStringLiteral("10"), Access::ReadOnly);
    m_configuration.define(QStringLiteral("NumberOfConnectors"), count, Access::ReadOnly);
    m_configuration.define(AuthorizationKey, m_settings.password, Access::WriteOnly, &isAuthorizationKey);
}

QString ChargePoint::authorizationKey() const
{
    return m_configuration.value(AuthorizationKey);
}

void ChargePoint::transportConnected()
{
    m_connected = true;
    boot();
}

void ChargePoint::transportDisconnected()
{
    m_connected = false;
    m_booted = false;
    m_heartbeatTimer->stop();
    m_bootRetryTimer->stop();
    m_arrivalTimer->stop();
}

void ChargePoint::setRandomArrivals(bool enabled)
{
    m_randomArrivals = enabled;
    if (enabled && m_booted)
        scheduleNextArrival();
    else if (!enabled)
        m_arrivalTimer->stop();
}

void ChargePoint::boot()
{
    if (!m_connected)
        return;
    m_booted = false;
    m_heartbeatTimer->stop();
    v16::BootNotificationRequest request;
    request.chargePointVendor = QStringLiteral("LinkRay");
    request.chargePointModel = modelOf(m_settings.hardware.type);
    request.chargePointSerialNumber = m_settings.id.right(25);
    request.firmwareVersion = QStringLiteral(LINKRAY_VERSION);
    call(
        request, [this](const v16::BootNotificationResponse& response) { onBootAnswered(response); },
        [this] { retryBoot(BootRetrySeconds); });
}

void ChargePoint::onBootAnswered(const v16::BootNotificationResponse& response)
{
    if (response.status != QLatin1String("Accepted")) {
        qCInfo(lcSim).noquote() << id() << "boot" << response.status << "- retrying in" << response.interval << "s";
        retryBoot(response.interval > 0 ? response.interval : BootRetrySeconds);
        return;
    }
    m_booted = true;
    if (response.interval > 0)
        m_configuration.change(HeartbeatInterval, QString::number(response.interval));
    restartHeartbeat();
    sendStatus(0);
    for (const Connector& each : m_connectors)
        sendStatus(each.id);
    announce(QStringLiteral("booted (%1 connector(s), heartbeat every %2 s)")
                 .arg(m_connectors.size())
                 .arg(m_configuration.value(HeartbeatInterval)));
    if (m_randomArrivals && !m_arrivalTimer->isActive())
        scheduleNextArrival();
}

void ChargePoint::retryBoot(qint64 seconds)
{
    m_bootRetryTimer->start(seconds * 1000);
}

void ChargePoint::sendHeartbeat()
{
    call(v16::HeartbeatRequest {});
}

void ChargePoint::restartHeartbeat()
{
    const qint64 seconds = m_configuration.intValue(HeartbeatInterval);
    if (m_booted && seconds > 0)
        m_heartbeatTimer->start(seconds * 1000);
    else
        m_heartbeatTimer->stop();
}

void ChargePoint::setStatus(int connectorId, const QString& status)
{
    Connector* target = findConnector(connectorId);
    if (!target || target->status == status)
        return;
    target->status = status;
    sendStatus(connectorId);
}

void ChargePoint::sendStatus(int connectorId)
{
    if (!m_booted)
        return;
    const Connector* target = findConnector(connectorId);
    const bool anyOperative
        = std::any_of(m_connectors.begin(), m_connectors.end(), [](const Connector& each) { return each.operative; });
    v16::StatusNotificationRequest request;
    request.connectorId = connectorId;
    request.errorCode = QStringLiteral("NoError");
    if (target)
        request.status = target->status;
    else
        request.status = anyOperative ? QStringLiteral("Available") : QStringLiteral("Unavailable");
    request.timestamp = m_clock.nowUtc();
    call(request);
}

void ChargePoint::announce(const QString& line)
{
    qCDebug(lcSim).noquote() << id() << line;
    Q_EMIT notableEvent(line);
}

ChargePoint::Connector* ChargePoint::findConnector(qint64 connectorId)
{
    if (connectorId < 1 || connectorId > static_cast<qint64>(m_connectors.size()))
        return nullptr;
    return &m_connectors[static_cast<size_t>(connectorId - 1)];
}

} // namespace linkray::sim
