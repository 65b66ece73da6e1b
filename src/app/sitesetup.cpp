#include "app/sitesetup.h"

#include "app/configchoices.h"
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

    meter::PollSettings poll;
    poll.intervalMs = std::llround(config.pollIntervalSeconds * 1000.0);
    poll.staleAfterPolls = config.staleAfterPolls;
    if (config.type == MeterType::ModbusTcp)
        return meter::ModbusMeter::createTcp(
            {config.host, static_cast<quint16>(config.port), config.unitId}, std::move(*map), clock, poll);
    return meter::ModbusMeter::createRtu({config.serialPort, config.baudRate, toSerialPort(config.parity),
                                             static_cast<QSerialPort::DataBits>(config.dataBits),
                                             static_cast<QSerialPort::StopBits>(config.stopBits), config.unitId},
        std::move(*map), clock, poll);
}

} // namespace linkray::app
