#include "app/sitehmi.h"

#include "app/logging.h"
#include "balancer/chargerobservation.h"
#include "balancer/chargingcontroller.h"
#include "localcsms/metersamples.h"
#include "localcsms/remotecommands.h"
#include "meter/meterdriver.h"
#include "ocpp/endpoint.h"
#include "proxy/proxy.h"
#include "storage/repositories.h"
#include "web/statistics.h"

#include <QNetworkInformation>

#include <algorithm>

namespace linkray::app {

namespace v16 = ocpp::v16;

namespace {

constexpr int kHistoryDays = 7;
constexpr int kPowerBucketSeconds = 15 * 60;

const ChargePointConfig* configuredChargePoint(const Config& config, const QString& id)
{
    const auto found = std::find_if(config.chargePoints.cbegin(), config.chargePoints.cend(),
        [&id](const ChargePointConfig& chargePoint) { return chargePoint.id == id; });
    return found == config.chargePoints.cend() ? nullptr : &*found;
}

hmi::MeterState::Value meterStateOf(const Config& config, meter::MeterState state)
{
    if (config.meter.type == MeterType::None)
        return hmi::MeterState::NotConfigured;
    switch (state) {
    case meter::MeterState::Ok:
        return hmi::MeterState::Ok;
    case meter::MeterState::Stale:
        return hmi::MeterState::Stale;
    case meter::MeterState::Failed:
        break;
    }
    return hmi::MeterState::Failed;
}

hmi::NetworkState::Value networkStateOf(QNetworkInformation::Reachability reachability)
{
    switch (reachability) {
    case QNetworkInformation::Reachability::Unknown:
        return hmi::NetworkState::Unknown;
    case QNetworkInformation::Reachability::Disconnected:
        return hmi::NetworkState::Offline;
    case QNetworkInformation::Reachability::Local:
    case QNetworkInformation::Reachability::Site:
    case QNetworkInformation::Reachability::Online:
        break;
    }
    return hmi::NetworkState::Online;
}

// The worst state among the chargers' links to the CSMS; Connecting while no charger has one yet.
hmi::LinkState::Value csmsLinkOf(const QList<proxy::ChargerLink>& links)
{
    bool anyUp = false;
    for (const proxy::ChargerLink& link : links) {
        if (link.session.state == proxy::LinkState::Outage)
            return hmi::LinkState::Down;
        anyUp = anyUp || link.session.state != proxy::LinkState::WaitingForCsms;
    }
    return anyUp ? hmi::LinkState::Connected : hmi::LinkState::Connecting;
}

} // namespace

hmi::TouchViewOptions touchViewOptions(const HmiConfig& config)
{
    hmi::TouchViewOptions options;
    options.language = config.language;
    options.operatorPinHash = config.pinHash;
    options.fullScreen = config.fullScreen;
    return options;
}

SiteHmi::SiteHmi(Site& site, hmi::TouchView& view, QObject* parent)
    : QObject(parent)
    , m_services(site.services())
    , m_view(view)
    , m_tileBatchTimer(m_services.clock.createTimer())
    , m_historyTimer(m_services.clock.createTimer())
    , m_backlogTimer(m_services.clock.createTimer())
{
    m_tileBatchTimer->setSingleShot(true);
    connect(m_tileBatchTimer.get(), &Timer::timeout, this, &SiteHmi::showQueuedTiles);
    loadConfiguredChargers();
    connect(&site, &Site::chargerConnected, this, &SiteHmi::chargerConnected);
    connect(&site, &Site::chargerDisconnected, this, &SiteHmi::chargerDisconnected);
    connect(&site, &Site::chargerCallObserved, this, &SiteHmi::callObserved);
    connect(&m_services.controller, &balancer::ChargingController::statusChanged, this, &SiteHmi::controlStatusChanged);
    connect(&m_services.meter, &meter::MeterDriver::readingAvailable, this, &SiteHmi::meterReadingArrived);
    connect(&m_services.meter, &meter::MeterDriver::stateChanged, this, &SiteHmi::meterStateChanged);
    meterStateChanged();

    if (m_services.proxy) {
        connect(m_services.proxy, &proxy::Proxy::linkChanged, this, &SiteHmi::refreshCsmsLink);
        connect(m_backlogTimer.get(), &Timer::timeout, this, &SiteHmi::refreshCsmsLink);
        m_backlogTimer->start(kBacklogRefreshMs);
    }
    refreshCsmsLink();

    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        QNetworkInformation* network = QNetworkInformation::instance();
        connect(network, &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                m_view.site().setNetwork(networkStateOf(reachability));
            });
        m_view.site().setNetwork(networkStateOf(network->reachability()));
    }

    m_view.setCommandSender(
        [this](const QString& chargePointId, int connectorId, hmi::ChargerCommand::Value command,
            std::function<void(bool)> done) { sendCommand(chargePointId, connectorId, command, std::move(done)); });
    connect(m_historyTimer.get(), &Timer::timeout, this, &SiteHmi::refreshHistory);
    m_historyTimer->start(kHistoryRefreshMs);
    refreshHistory();
}

SiteHmi::~SiteHmi()
{
    m_view.setCommandSender({});
}

// Every configured charger has its tiles from the start, offline until it connects, with what storage remembers:
// its connectors, their running transactions and LinkRay's limit.
void SiteHmi::loadConfiguredChargers()
{
    storage::ChargePointRepository chargePoints(m_services.database);
    storage::TransactionRepository transactions(m_services.database);
    for (const ChargePointConfig& chargePoint : m_services.config.chargePoints) {
        QList<int> connectorIds;
        for (const storage::ConnectorRecord& stored : chargePoints.connectors(chargePoint.id)) {
            if (stored.connectorId > 0)
                connectorIds.append(stored.connectorId);
        }
        if (connectorIds.isEmpty())
            connectorIds.append(1);
        for (const int connectorId : connectorIds) {
            Connector& known = connector(chargePoint.id, connectorId);
            if (const auto running = transactions.activeOnConnector(chargePoint.id, connectorId)) {
                known.transactionId = running->id;
                known.meterStartWh = running->meterStartWh;
            }
        }
        controlStatusChanged(chargePoint.id);
    }
    QList<hmi::ChargerTile> tiles;
    for (const Connector& known : std::as_const(m_connectors))
        tiles.append(known.tile);
    m_view.chargers().setChargers(tiles);
    refreshAlerts();
}

SiteHmi::Connector& SiteHmi::connector(const QString& chargePointId, int connectorId)
{
    auto found = m_connectors.find({chargePointId, connectorId});
    if (found == m_connectors.end()) {
        Connector added;
        added.tile.chargePointId = chargePointId;
        added.tile.connectorId = connectorId;
        found = m_connectors.insert({chargePointId, connectorId}, added);
    }
    return *found;
}

// A connector of a charger that just sent a call, so not offline (a charger not in the configuration gets its
// tiles this way).
SiteHmi::Connector& SiteHmi::reportingConnector(const QString& chargePointId, int connectorId)
{
    Connector& known = connector(chargePointId, connectorId);
    if (known.tile.state == hmi::ConnectorState::Offline) {
        known.tile.state = hmi::ConnectorState::Unavailable;
        refreshAlerts();
    }
    return known;
}

void SiteHmi::show(const Connector& connector)
{
    m_queuedTiles.insert({connector.tile.chargePointId, connector.tile.connectorId});
    if (!m_tileBatchTimer->isActive())
        m_tileBatchTimer->start(kTileBatchMs);
}

void SiteHmi::showQueuedTiles()
{
    for (const ConnectorKey& key : std::as_const(m_queuedTiles))
        m_view.chargers().updateCharger(m_connectors.value(key).tile);
    m_queuedTiles.clear();
}

void SiteHmi::chargerConnected(const QString& chargePointId)
{
    // Until its StatusNotifications arrive, a connector shows the status stored from its last connection.
    for (const storage::ConnectorRecord& stored :
        storage::ChargePointRepository(m_services.database).connectors(chargePointId)) {
        if (stored.connectorId <= 0)
            continue;
        Connector& known = connector(chargePointId, stored.connectorId);
        known.tile.state = hmi::ConnectorState::fromOcppStatus(stored.status);
        show(known);
    }
    for (Connector& known : m_connectors) {
        if (known.tile.chargePointId == chargePointId && known.tile.state == hmi::ConnectorState::Offline) {
            known.tile.state = hmi::ConnectorState::Unavailable;
            show(known);
        }
    }
    refreshAlerts();
}

void SiteHmi::chargerDisconnected(const QString& chargePointId)
{
    for (Connector& known : m_connectors) {
        if (known.tile.chargePointId != chargePointId)
            continue;
        known.tile.state = hmi::ConnectorState::Offline;
        known.tile.drawA.reset();
        show(known);
    }
    refreshAlerts();
}

void SiteHmi::callObserved(const QString& chargePointId, const ocpp::IncomingCall& call)
{
    if (call.action == QLatin1String(v16::StatusNotificationRequest::action))
        statusNotified(chargePointId, v16::StatusNotificationRequest::fromJson(call.payload));
    else if (call.action == QLatin1String(v16::MeterValuesRequest::action))
        meterValuesReceived(chargePointId, v16::MeterValuesRequest::fromJson(call.payload));
    else if (call.action == QLatin1String(v16::StartTransactionRequest::action))
        transactionStarted(chargePointId, v16::StartTransactionRequest::fromJson(call.payload));
    else if (call.action == QLatin1String(v16::StopTransactionRequest::action))
        transactionStopped(chargePointId, v16::StopTransactionRequest::fromJson(call.payload));
}

void SiteHmi::statusNotified(const QString& chargePointId, const v16::StatusNotificationRequest& status)
{
    if (status.connectorId <= 0)
        return;
    Connector& known = reportingConnector(chargePointId, static_cast<int>(status.connectorId));
    const hmi::ConnectorState::Value state = hmi::ConnectorState::fromOcppStatus(status.status);
    if (state != hmi::ConnectorState::Charging)
        known.tile.drawA.reset();
    const auto alerting = [](hmi::ConnectorState::Value value) {
        return value == hmi::ConnectorState::Faulted || value == hmi::ConnectorState::Offline;
    };
    const bool alertsChange = known.tile.state != state && (alerting(known.tile.state) || alerting(state));
    known.tile.state = state;
    show(known);
    if (alertsChange)
        refreshAlerts();
}

void SiteHmi::meterValuesReceived(const QString& chargePointId, const v16::MeterValuesRequest& meterValues)
{
    if (meterValues.connectorId <= 0)
        return;
    const int connectorId = static_cast<int>(meterValues.connectorId);
    Connector& known = reportingConnector(chargePointId, connectorId);
    if (const auto observation = balancer::observationFrom(meterValues)) {
        if (observation->currentImportA) {
            const balancer::PhaseValues& current = *observation->currentImportA;
            known.tile.drawA = *std::max_element(current.cbegin(), current.cend());
        } else if (observation->powerActiveImportW) {
            known.tile.drawA = amperesOf(chargePointId, *observation->powerActiveImportW, 0);
        }
    }
    if (meterValues.transactionId)
        known.transactionId = meterValues.transactionId;
    const auto registerWh = localcsms::lastEnergyRegisterWh(
        localcsms::toMeterSamples(chargePointId, connectorId, meterValues.transactionId, meterValues.meterValue));
    if (registerWh && known.meterStartWh && known.transactionId)
        known.tile.sessionEnergyKWh = double(std::max<qint64>(*registerWh - *known.meterStartWh, 0)) / 1000.0;
    show(known);
}

void SiteHmi::transactionStarted(const QString& chargePointId, const v16::StartTransactionRequest& start)
{
    Connector& known = reportingConnector(chargePointId, static_cast<int>(start.connectorId));
    known.meterStartWh = start.meterStart;
    known.transactionId.reset(); // the id is in the answer: the next MeterValues carry it
    known.tile.sessionEnergyKWh = 0.0;
    show(known);
}

void SiteHmi::transactionStopped(const QString& chargePointId, const v16::StopTransactionRequest& stop)
{
    for (Connector& known : m_connectors) {
        if (known.tile.chargePointId != chargePointId || known.transactionId != stop.transactionId)
            continue;
        known.transactionId.reset();
        known.meterStartWh.reset();
        known.tile.sessionEnergyKWh.reset();
        known.tile.drawA.reset();
        show(known);
    }
    refreshHistory();
}

void SiteHmi::controlStatusChanged(const QString& chargePointId)
{
    const balancer::ChargerControlStatus status = m_services.controller.status(chargePointId);
    const std::optional<double> limitA = status.lastSent
        ? amperesOf(chargePointId, status.lastSent->limit, status.lastSent->numberPhases)
        : std::nullopt;
    for (Connector& known : m_connectors) {
        if (known.tile.chargePointId == chargePointId && known.tile.limitA != limitA) {
            known.tile.limitA = limitA;
            show(known);
        }
    }
    refreshAlerts();
}

// AC chargers are limited (and report) in A per phase; DC chargers in W, shown as A per phase at the site voltage.
// `numberPhases` 0: as many as the charger's kind has.
std::optional<double> SiteHmi::amperesOf(const QString& chargePointId, double limit, int numberPhases) const
{
    const ChargePointConfig* configured = configuredChargePoint(m_services.config, chargePointId);
    const ChargerKind kind = configured ? configured->balancing.kind : ChargerKind::Ac3Phase;
    if (kind != ChargerKind::Dc && numberPhases > 0)
        return limit;
    const int phases = numberPhases > 0 ? numberPhases : (kind == ChargerKind::Ac1Phase ? 1 : 3);
    return limit / (m_services.config.site.voltage * phases);
}

void SiteHmi::meterReadingArrived(const meter::MeterReading& reading)
{
    QList<hmi::PhaseLoad> phases;
    for (size_t phase = 0; phase < 3; ++phase)
        phases.append({reading.currentA[phase], m_services.config.site.phaseLimitA[phase]});
    m_view.site().setPhases(phases);
}

void SiteHmi::meterStateChanged()
{
    const hmi::MeterState::Value state = meterStateOf(m_services.config, m_services.meter.state());
    if (state != hmi::MeterState::Ok) {
        QList<hmi::PhaseLoad> phases;
        for (const double limitA : m_services.config.site.phaseLimitA)
            phases.append({std::nullopt, limitA});
        m_view.site().setPhases(phases);
    }
    m_view.site().setMeterState(state);
    refreshAlerts();
}

void SiteHmi::refreshCsmsLink()
{
    if (!m_services.proxy) {
        m_view.site().setCsmsLink(hmi::LinkState::NotConfigured);
        return;
    }
    const QList<proxy::ChargerLink> links = m_services.proxy->links();
    int backlog = 0;
    for (const proxy::ChargerLink& link : links)
        backlog += link.backlog;
    const hmi::LinkState::Value before = m_view.site().csmsLink();
    m_view.site().setCsmsLink(csmsLinkOf(links));
    m_view.site().setBacklog(backlog);
    if (before != m_view.site().csmsLink())
        refreshAlerts();
}

void SiteHmi::refreshAlerts()
{
    QList<hmi::SiteAlert> alerts;
    const auto add = [&alerts](hmi::AlertKind::Value kind, const QString& subject) {
        const hmi::SiteAlert alert {kind, subject};
        if (!alerts.contains(alert))
            alerts.append(alert);
    };
    if (m_view.site().meterState() == hmi::MeterState::Stale || m_view.site().meterState() == hmi::MeterState::Failed)
        add(hmi::AlertKind::MeterProblem, QStringLiteral("meter"));
    if (m_view.site().csmsLink() == hmi::LinkState::Down)
        add(hmi::AlertKind::CsmsUnreachable, m_services.config.csms.url);
    for (const Connector& known : std::as_const(m_connectors)) {
        const QString& id = known.tile.chargePointId;
        if (known.tile.state == hmi::ConnectorState::Faulted)
            add(hmi::AlertKind::ChargerFaulted, id);
        else if (known.tile.state == hmi::ConnectorState::Offline)
            add(hmi::AlertKind::ChargerOffline, id);
        const balancer::ChargerControlStatus control = m_services.controller.status(id);
        if (control.overLimit)
            add(hmi::AlertKind::ChargerOverLimit, id);
        if (control.lastAccepted == false)
            add(hmi::AlertKind::ProfileRejected, id);
    }
    m_view.site().setAlerts(alerts);
}

namespace {

// The touch view's charts: hours since midnight at the middle of each bucket, and kW.
QList<QPointF> hoursAndKW(const QList<web::PowerPoint>& points, const QDateTime& dayStart)
{
    QList<QPointF> curve;
    for (const auto& [epochMs, watts] : points) {
        const double hours = double(epochMs - dayStart.toMSecsSinceEpoch() + kPowerBucketSeconds * 500) / 3'600'000.0;
        curve.append({hours, double(watts) / 1000.0});
    }
    return curve;
}

} // namespace

// The same figures as the web app's statistics (web/statistics.h).
void SiteHmi::refreshHistory()
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    const QDate today = m_services.clock.nowUtc().toTimeZone(zone).date();
    QList<hmi::DailyEnergy> energy;
    for (const web::DayTotals& day :
        web::storedDailyTotals(m_services.database, today.addDays(-(kHistoryDays - 1)), today, zone, QString()))
        energy.append({day.date, double(day.energyWh) / 1000.0});
    m_view.history().setDailyEnergy(energy);

    const web::PowerDay power = web::storedPowerOfDay(m_services.database, today, zone, kPowerBucketSeconds, QString());
    const QDateTime dayStart = web::localMidnight(today, zone);
    for (auto connector = power.connectors.cbegin(); connector != power.connectors.cend(); ++connector) {
        m_view.history().setChargerPowerToday(
            connector.key().first, connector.key().second, hoursAndKW(connector.value(), dayStart));
    }
    m_view.history().setSitePowerToday(hoursAndKW(power.site, dayStart));
}

void SiteHmi::sendCommand(
    const QString& chargePointId, int connectorId, hmi::ChargerCommand::Value command, std::function<void(bool)> done)
{
    if (command == hmi::ChargerCommand::Stop) {
        stopTransaction(chargePointId, connectorId, std::move(done));
        return;
    }
    v16::RemoteStartTransactionRequest request;
    request.connectorId = connectorId;
    request.idTag = m_services.config.hmi.idTag;
    m_services.commands.send(chargePointId, request,
        [done = std::move(done)](const localcsms::CommandResult<v16::RemoteStartTransactionRequest::Response>& result) {
            done(result.ok() && result.response->status == QLatin1String("Accepted"));
        });
}

void SiteHmi::stopTransaction(const QString& chargePointId, int connectorId, std::function<void(bool)> done)
{
    std::optional<qint64> transactionId = m_connectors.value({chargePointId, connectorId}).transactionId;
    if (!transactionId) {
        if (const auto running
            = storage::TransactionRepository(m_services.database).activeOnConnector(chargePointId, connectorId))
            transactionId = running->id;
    }
    if (!transactionId) {
        qCWarning(lcApp) << "stop from the touch view:" << chargePointId << "connector" << connectorId
                         << "has no transaction LinkRay knows of";
        done(false);
        return;
    }
    v16::RemoteStopTransactionRequest request;
    request.transactionId = *transactionId;
    m_services.commands.send(chargePointId, request,
        [done = std::move(done)](const localcsms::CommandResult<v16::RemoteStopTransactionRequest::Response>& result) {
            done(result.ok() && result.response->status == QLatin1String("Accepted"));
        });
}

} // namespace linkray::app
