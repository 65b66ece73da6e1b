#include "app/sitesetup.h"

#include "app/configchoices.h"
#include "meter/httpjsonmeter.h"
#include "meter/modbusmeter.h"
#include "meter/registermap.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace linkray::app {

namespace {

constexpr double WattsPerKilowatt = 1000.0;

std::optional<double> toWatts(const std::optional<double>& kilowatts)
{
    if (!kilowatts)
        return std::nullopt;
    return *kilowatts * WattsPerKilowatt;
}

std::optional<QString> unlessEmpty(const QString& id)
{
    if (id.isEmpty())
        return std::nullopt;
    return id;
}

balancer::Phase toBalancer(Phase phase)
{
    switch (phase) {
    case Phase::L1:
        return balancer::Phase::L1;
    case Phase::L2:
        return balancer::Phase::L2;
    case Phase::L3:
        return balancer::Phase::L3;
    }
    Q_UNREACHABLE();
}

balancer::ChargerKind toBalancer(ChargerKind kind)
{
    switch (kind) {
    case ChargerKind::Ac3Phase:
        return balancer::ChargerKind::Ac3Phase;
    case ChargerKind::Ac1Phase:
        return balancer::ChargerKind::Ac1Phase;
    case ChargerKind::Dc:
        return balancer::ChargerKind::Dc;
    }
    Q_UNREACHABLE();
}

// The balancer wants all three charger phases. A 1-phase charger loads only the site phase of its L1, so the
// configuration names that one; the others follow in rotation and are never used.
std::array<balancer::Phase, 3> rotationOf(const BalancingConfig& balancing)
{
    std::array<balancer::Phase, 3> rotation {balancer::Phase::L1, balancer::Phase::L2, balancer::Phase::L3};
    if (balancing.phaseRotation.size() == 1) {
        const int first = balancer::phaseIndex(toBalancer(balancing.phaseRotation.first()));
        for (std::size_t i = 0; i < rotation.size(); ++i)
            rotation[i] = static_cast<balancer::Phase>((first + static_cast<int>(i)) % 3);
        return rotation;
    }
    for (qsizetype i = 0; i < balancing.phaseRotation.size() && i < 3; ++i)
        rotation[static_cast<std::size_t>(i)] = toBalancer(balancing.phaseRotation[i]);
    return rotation;
}

balancer::ChargerConfig chargerOf(const QString& chargePointId, int connectorId, const BalancingConfig& balancing)
{
    balancer::ChargerConfig charger;
    charger.id = {chargePointId, connectorId};
    charger.groupId = unlessEmpty(balancing.group);
    charger.priority = balancing.priority;
    charger.balancingEnabled = balancing.enabled;
    charger.followsProfiles = balancing.followsProfiles;
    charger.phaseRotation = rotationOf(balancing);
    charger.kind = toBalancer(balancing.kind);
    charger.minCurrentA = balancing.minCurrentA;
    charger.maxCurrentA = balancing.maxCurrentA;
    charger.minPowerW = toWatts(balancing.minPowerKw).value_or(charger.minPowerW);
    charger.maxPowerW = toWatts(balancing.maxPowerKw).value_or(charger.maxPowerW);
    charger.onePhaseFallback = balancing.onePhaseFallback;
    switch (balancing.profilePurpose) {
    case ProfilePurpose::ChargePointMax:
        charger.profilePurpose = balancer::ProfilePurpose::ChargePointMax;
        break;
    case ProfilePurpose::TxDefault:
        charger.profilePurpose = balancer::ProfilePurpose::TxDefault;
        break;
    case ProfilePurpose::Tx:
        charger.profilePurpose = balancer::ProfilePurpose::Tx;
        break;
    }
    if (balancing.rateUnit)
        charger.rateUnit
            = *balancing.rateUnit == ChargingRateUnit::Watts ? balancer::RateUnit::Watts : balancer::RateUnit::Amperes;
    return charger;
}

QSerialPort::Parity toSerialPort(Parity parity)
{
    switch (parity) {
    case Parity::None:
        return QSerialPort::NoParity;
    case Parity::Even:
        return QSerialPort::EvenParity;
    case Parity::Odd:
        return QSerialPort::OddParity;
    }
    Q_UNREACHABLE();
}

std::optional<meter::RegisterMap> registerMapOf(const MeterConfig& config, QString* error)
{
    QString problem;
    std::optional<meter::RegisterMap> map = config.model == CustomMeterModel
        ? meter::parseRegisterMap(config.registerMap, &problem)
        : meter::builtInMap(config.model, &problem);
    if (!map) {
        const QLatin1String key = config.model == CustomMeterModel ? "registerMap"_L1 : "model"_L1;
        *error = u"meter.%1: %2"_s.arg(key, problem);
        return std::nullopt;
    }
    if (config.baseAddress)
        map->baseAddress = *config.baseAddress;
    return map;
}

std::unique_ptr<meter::MeterDriver> httpJsonMeterOf(
    const MeterConfig& config, Clock& clock, const meter::PollSettings& poll, QString& problem)
{
    const QString type = nameOf(config.type, MeterTypeChoices);
    if (config.url.isEmpty()) {
        problem = u"meter.url: is required for type \"%1\""_s.arg(type);
        return nullptr;
    }
    if (config.values.isEmpty()) {
        problem = u"meter.values: is required for type \"%1\""_s.arg(type);
        return nullptr;
    }
    meter::HttpJsonSettings settings;
    settings.url = QUrl(config.url, QUrl::StrictMode);
    settings.username = config.username;
    settings.password = config.password;
    if (config.timeoutSeconds)
        settings.timeoutMs = std::llround(*config.timeoutSeconds * 1000.0);
    for (auto value = config.values.cbegin(); value != config.values.cend(); ++value) {
        const std::optional<meter::Quantity> quantity = meter::quantityNamed(value.key());
        if (!quantity) {
            problem = u"meter.values.%1: not a value of a meter reading"_s.arg(value.key());
            return nullptr;
        }
        settings.fields.append({*quantity, value->pointer, value->scale});
    }
    return std::make_unique<meter::HttpJsonMeter>(std::move(settings), clock, poll);
}

constexpr qint64 MillisecondsPerSecond = 1000;

// A charge point that is not configured has no settings of its own.
ChargePointCsmsConfig ownCsmsOf(const Config& config, const QString& chargePointId)
{
    for (const ChargePointConfig& chargePoint : config.chargePoints) {
        if (chargePoint.id == chargePointId)
            return chargePoint.csms;
    }
    return {};
}

upstream::UpstreamConnection::CredentialsMode toUpstream(CsmsCredentials credentials)
{
    switch (credentials) {
    case CsmsCredentials::PassThrough:
        return upstream::UpstreamConnection::CredentialsMode::PassThrough;
    case CsmsCredentials::Configured:
        return upstream::UpstreamConnection::CredentialsMode::Configured;
    case CsmsCredentials::None:
        return upstream::UpstreamConnection::CredentialsMode::None;
    }
    Q_UNREACHABLE();
}

} // namespace

balancer::SiteModel siteModelFromConfig(const Config& config, const QHash<QString, int>& connectorCounts)
{
    const SiteConfig& site = config.site;
    balancer::SiteModel model;
    model.gridLimitA = site.phaseLimitA;
    model.powerLimitW = toWatts(site.powerLimitKw);
    model.safetyMarginA = site.safetyMarginA;
    model.nominalVoltageV = site.voltage;
    model.failSafeLimitA.fill(site.failSafeLimitA);
    for (const SiteGroupConfig& group : site.groups)
        model.groups.push_back({group.id, unlessEmpty(group.parent), group.phaseLimitA, toWatts(group.powerLimitKw)});
    for (const ChargePointConfig& chargePoint : config.chargePoints) {
        const int connectors = std::max(1, connectorCounts.value(chargePoint.id, 1));
        for (int connectorId = 1; connectorId <= connectors; ++connectorId)
            model.chargers.push_back(chargerOf(chargePoint.id, connectorId, chargePoint.balancing));
    }
    return model;
}

std::unique_ptr<meter::MeterDriver> meterFromConfig(const MeterConfig& config, Clock& clock, QString* error)
{
    QString ignored;
    QString& problem = error ? *error : ignored;
    if (config.type == MeterType::None)
        return std::make_unique<meter::StaticMeter>();
    meter::PollSettings poll;
    poll.intervalMs = std::llround(config.pollIntervalSeconds * 1000.0);
    poll.staleAfterPolls = config.staleAfterPolls;
    if (config.type == MeterType::HttpJson)
        return httpJsonMeterOf(config, clock, poll, problem);
    const QString type = nameOf(config.type, MeterTypeChoices);
    if (config.type == MeterType::ModbusTcp && config.host.isEmpty()) {
        problem = u"meter.host: is required for type \"%1\""_s.arg(type);
        return nullptr;
    }
    if (config.type == MeterType::ModbusRtu && config.serialPort.isEmpty()) {
        problem = u"meter.serialPort: is required for type \"%1\""_s.arg(type);
        return nullptr;
    }
    std::optional<meter::RegisterMap> map = registerMapOf(config, &problem);
    if (!map)
        return nullptr;
    if (config.type == MeterType::ModbusTcp)
        return meter::ModbusMeter::createTcp(
            {config.host, static_cast<quint16>(config.port), config.unitId}, std::move(*map), clock, poll);
    return meter::ModbusMeter::createRtu({config.serialPort, config.baudRate, toSerialPort(config.parity),
                                             static_cast<QSerialPort::DataBits>(config.dataBits),
                                             static_cast<QSerialPort::StopBits>(config.stopBits), config.unitId},
        std::move(*map), clock, poll);
}

std::unique_ptr<meter::MeterDriver> meterForTestRead(
    const QJsonObject& config, Clock& clock, qint64 timeoutMs, QList<ConfigError>& errors)
{
    const ConfigResult parsed = parseConfig(config);
    if (const auto* refused = std::get_if<QList<ConfigError>>(&parsed)) {
        errors = *refused;
        return nullptr;
    }
    MeterConfig meter = std::get<Config>(parsed).meter;
    meter.pollIntervalSeconds = static_cast<double>(timeoutMs) / 1000.0;
    meter.staleAfterPolls = 1;
    QString problem;
    std::unique_ptr<meter::MeterDriver> driver = meterFromConfig(meter, clock, &problem);
    if (!driver) {
        const qsizetype colon = problem.indexOf(u": "_s);
        errors.append({problem.left(colon), problem.mid(colon + 2)});
    }
    return driver;
}

bool isProxied(const Config& config, const QString& chargePointId)
{
    const ChargePointCsmsConfig own = ownCsmsOf(config, chargePointId);
    const bool hasUrl = !own.url.isEmpty() || !config.csms.url.isEmpty();
    const bool hasCredentials
        = own.credentials.value_or(config.csms.credentials) != CsmsCredentials::Configured || !own.password.isEmpty();
    return config.mode == Mode::Online && hasUrl && hasCredentials;
}

upstream::UpstreamConnection::Options upstreamOptions(
    const Config& config, const QString& chargePointId, const QByteArray& chargerAuthorization)
{
    const CsmsConfig& site = config.csms;
    const ChargePointCsmsConfig own = ownCsmsOf(config, chargePointId);
    upstream::UpstreamConnection::Options options;
    options.csmsUrl = QUrl(own.url.isEmpty() ? site.url : own.url, QUrl::StrictMode);
    options.credentials.mode = toUpstream(own.credentials.value_or(site.credentials));
    if (options.credentials.mode == upstream::UpstreamConnection::CredentialsMode::PassThrough)
        options.credentials.chargerAuthorization = chargerAuthorization;
    if (options.credentials.mode == upstream::UpstreamConnection::CredentialsMode::Configured)
        options.credentials.password = own.password;
    options.tls = {site.tls.caFile, site.tls.clientCertificateFile, site.tls.clientKeyFile};
    options.connectTimeoutMs = site.connectTimeoutSeconds * MillisecondsPerSecond;
    options.backoff.initialMs = site.reconnect.initialSeconds * MillisecondsPerSecond;
    options.backoff.maxMs = site.reconnect.maxSeconds * MillisecondsPerSecond;
    return options;
}

ProxySettings proxySettings(const Config& config)
{
    const CsmsConfig& csms = config.csms;
    ProxySettings settings;
    settings.answerTimeoutMs = csms.answerTimeoutSeconds * MillisecondsPerSecond;
    settings.firstFrameWaitMs = csms.firstFrameWaitSeconds * MillisecondsPerSecond;
    settings.replayAttempts = csms.replayAttempts;
    settings.outboxMaxMessages = csms.outboxMaxMessages;
    settings.firstProvisionalTransactionId = csms.provisionalTransactionIdsFrom;
    return settings;
}

} // namespace linkray::app
