#include "sim/chargepoint.h"

#include <algorithm>
#include <cmath>

// Cars arriving, charging and leaving: the transaction life cycle and the meter of each connector.
namespace linkray::sim {

namespace v16 = ocpp::v16;

namespace {

constexpr double MinimumPilotCurrentA = 6; // IEC 61851: below this the pilot cannot ask for current
constexpr qint64 MinimumDwellMs = 60'000;

const QString Available = QStringLiteral("Available");
const QString Unavailable = QStringLiteral("Unavailable");
const QString Preparing = QStringLiteral("Preparing");
const QString Charging = QStringLiteral("Charging");
const QString SuspendedEvse = QStringLiteral("SuspendedEVSE");
const QString Finishing = QStringLiteral("Finishing");

v16::SampledValue sampledValue(const QString& value, const QString& context, const QString& measurand,
    const QString& unit, const std::optional<QString>& phase = std::nullopt)
{
    v16::SampledValue sampled;
    sampled.value = value;
    sampled.context = context;
    sampled.measurand = measurand;
    sampled.unit = unit;
    sampled.phase = phase;
    sampled.location = QStringLiteral("Outlet");
    return sampled;
}

qint64 minutesToMs(double minutes)
{
    return std::llround(minutes * 60 * 1000);
}

} // namespace

void ChargePoint::scheduleNextArrival()
{
    std::exponential_distribution<double> interArrival(1.0 / m_settings.arrivalMeanMinutes);
    m_arrivalTimer->start(std::max<qint64>(1000, minutesToMs(interArrival(m_random))));
}

void ChargePoint::onRandomArrival()
{
    scheduleNextArrival();
    std::vector<int> free;
    for (const Connector& each : m_connectors) {
        if (each.operative && !each.session && each.status == Available)
            free.push_back(each.id);
    }
    if (free.empty() || m_settings.tags.isEmpty()) {
        qCDebug(lcSim).noquote() << id() << "a car arrived but no connector is free";
        return;
    }
    std::uniform_int_distribution<size_t> pickConnector(0, free.size() - 1);
    std::uniform_int_distribution<qsizetype> pickTag(0, m_settings.tags.size() - 1);
    const int connectorId = free[pickConnector(m_random)];
    carArrives(connectorId, m_settings.tags.at(pickTag(m_random)));
}

bool ChargePoint::carArrives(int connectorId, const QString& idTag)
{
    Connector* target = findConnector(connectorId);
    if (!m_booted || !target || !target->operative || target->session)
        return false;
    announce(QStringLiteral("car arrived at connector %1 with tag %2").arg(connectorId).arg(idTag));
    beginSession(*target, idTag);
    v16::AuthorizeRequest request;
    request.idTag = idTag;
    call(
        request,
        [this, connectorId, idTag](const v16::AuthorizeResponse& response) {
            Connector* answered = findConnector(connectorId);
            if (!answered || !answered->session || answered->session->idTag != idTag)
                return;
            if (response.idTagInfo.status == QLatin1String("Accepted")) {
                startTransaction(*answered);
                return;
            }
            announce(QStringLiteral("tag %1 %2 at connector %3: the car leaves")
                         .arg(idTag, response.idTagInfo.status.toLower())
                         .arg(connectorId));
            endSession(*answered);
        },
        [this, connectorId] {
            if (Connector* failed = findConnector(connectorId))
                endSession(*failed);
        });
    return true;
}

void ChargePoint::carDeparts(int connectorId)
{
    Connector* target = findConnector(connectorId);
    if (target && target->session)
        stopTransaction(*target, QStringLiteral("EVDisconnected"));
}

void ChargePoint::beginSession(Connector& connector, const QString& idTag)
{
    connector.session = std::make_unique<Session>();
    connector.session->idTag = idTag;
    connector.session->meterTimer = m_clock.createTimer();
    connector.session->departureTimer = m_clock.createTimer();
    connector.session->departureTimer->setSingleShot(true);
    const int connectorId = connector.id;
    connect(connector.session->meterTimer.get(), &Timer::timeout, this, [this, connectorId] {
        if (Connector* metered = findConnector(connectorId))
            sendMeterValues(*metered, QStringLiteral("Sample.Periodic"));
    });
    connect(connector.session->departureTimer.get(), &Timer::timeout, this,
        [this, connectorId] { carDeparts(connectorId); });
    std::exponential_distribution<double> dwell(1.0 / m_settings.dwellMeanMinutes);
    connector.session->departureTimer->start(std::max(MinimumDwellMs, minutesToMs(dwell(m_random))));
    setStatus(connector.id, Preparing);
}

void ChargePoint::startTransaction(Connector& connector)
{
    Session& session = *connector.session;
    session.meterStartWh = std::llround(connector.energyWh);
    session.startedAt = m_clock.nowUtc();
    v16::StartTransactionRequest request;
    request.connectorId = connector.id;
    request.idTag = session.idTag;
    request.meterStart = session.meterStartWh;
    request.timestamp = session.startedAt;
    const int connectorId = connector.id;
    call(
        request,
        [this, connectorId](const v16::StartTransactionResponse& response) { onStartAnswered(connectorId, response); },
        [this, connectorId] {
            if (Connector* failed = findConnector(connectorId))
                endSession(*failed);
        });
}

void ChargePoint::onStartAnswered(int connectorId, const v16::StartTransactionResponse& response)
{
    Connector* target = findConnector(connectorId);
    if (!target || !target->session)
        return;
    Session& session = *target->session;
    session.transactionId = response.transactionId;
    if (response.idTagInfo.status != QLatin1String("Accepted")) {
        announce(QStringLiteral("transaction %1 not authorised (%2): stopping")
                     .arg(response.transactionId)
                     .arg(response.idTagInfo.status));
        stopTransaction(*target, QStringLiteral("DeAuthorized"));
        return;
    }
    session.charging = true;
    target->integratedUntilMs = m_clock.monotonicMs();
    announce(QStringLiteral("started transaction %1 on connector %2 (tag %3, meter %4 Wh)")
                 .arg(response.transactionId)
                 .arg(connectorId)
                 .arg(session.idTag)
                 .arg(session.meterStartWh));
    applyLimit(*target, Reaction::AtOnce);
    restartMeterTimer(*target);
}

void ChargePoint::stopTransaction(Connector& connector, const QString& reason)
{
    Session& session = *connector.session;
    integrateEnergy(connector);
    if (!session.transactionId) {
        endSession(connector);
        return;
    }
    v16::StopTransactionRequest request;
    request.idTag = session.idTag;
    request.meterStop = std::llround(connector.energyWh);
    request.timestamp = m_clock.nowUtc();
    request.transactionId = *session.transactionId;
    request.reason = reason;
    request.transactionData = QList<v16::MeterValue> {sample(connector, QStringLiteral("Transaction.End"))};
    setStatus(connector.id, Finishing);
    call(request);
    announce(QStringLiteral("stopped transaction %1 on connector %2: %3 kWh (%4)")
                 .arg(request.transactionId)
                 .arg(connector.id)
                 .arg(static_cast<double>(request.meterStop - session.meterStartWh) / 1000.0, 0, 'f', 2)
                 .arg(reason));
    endSession(connector);
}

void ChargePoint::endSession(Connector& connector)
{
    if (!connector.session)
        return;
    // A session usually ends from one of its own timers' timeout: delete them once that signal has returned.
    for (std::unique_ptr<Timer>* timer : {&connector.session->meterTimer, &connector.session->departureTimer}) {
        (*timer)->stop();
        timer->release()->deleteLater();
    }
    connector.session.reset();
    connector.reactionTimer->stop();
    if (connector.currentA != 0) {
        connector.currentA = 0;
        Q_EMIT drawChanged();
    }
    m_profiles.clearTxProfiles(connector.id);
    if (connector.scheduledOperative) {
        connector.operative = *connector.scheduledOperative;
        connector.scheduledOperative.reset();
    }
    setStatus(connector.id, connector.operative ? Available : Unavailable);
}

void ChargePoint::sendMeterValues(Connector& connector, const QString& context)
{
    applyLimit(connector);
    v16::MeterValuesRequest request;
    request.connectorId = connector.id;
    if (connector.session)
        request.transactionId = connector.session->transactionId;
    request.meterValue = {sample(connector, context)};
    call(request);
}

v16::MeterValue ChargePoint::sample(const Connector& connector, const QString& context) const
{
    v16::MeterValue value;
    value.timestamp = m_clock.nowUtc();
    value.sampledValue.append(sampledValue(QString::number(std::llround(connector.energyWh)), context,
        QStringLiteral("Energy.Active.Import.Register"), QStringLiteral("Wh")));
    value.sampledValue.append(sampledValue(QString::number(powerW(connector), 'f', 0), context,
        QStringLiteral("Power.Active.Import"), QStringLiteral("W")));
    for (int phase = 1; phase <= m_rating.phases; ++phase) {
        const double current = phase <= carPhases() ? connector.currentA : 0;
        value.sampledValue.append(sampledValue(QString::number(current, 'f', 1), context,
            QStringLiteral("Current.Import"), QStringLiteral("A"), QStringLiteral("L%1").arg(phase)));
    }
    return value;
}

void ChargePoint::integrateEnergy(Connector& connector)
{
    const qint64 now = m_clock.monotonicMs();
    const double hours = static_cast<double>(now - connector.integratedUntilMs) / 3'600'000.0;
    connector.energyWh += powerW(connector) * hours;
    connector.integratedUntilMs = now;
}

void ChargePoint::applyLimit(Connector& connector, Reaction reaction)
{
    integrateEnergy(connector);
    if (!connector.session || !connector.session->charging)
        return;
    const double maximum = maxCurrentA();
    const double limit = m_settings.hardware.ignoreProfiles
        ? maximum
        : std::min(
            maximum, m_profiles.limitAmps(connector.id, m_clock.nowUtc(), transactionOf(connector)).value_or(maximum));
    const double current = limit < MinimumPilotCurrentA ? 0 : limit;
    const qint64 delayMs = std::llround(m_settings.profileDelaySeconds * 1000);
    if (reaction == Reaction::AtOnce || delayMs <= 0 || current == connector.currentA) {
        connector.reactionTimer->stop();
        setCurrent(connector, current, limit);
        return;
    }
    // A change already on its way keeps its time; a different one starts the delay again.
    if (connector.reactionTimer->isActive() && connector.reactionA == current)
        return;
    connector.reactionA = current;
    connector.reactionLimitA = limit;
    connector.reactionTimer->start(delayMs);
}

void ChargePoint::setCurrent(Connector& connector, double current, double limit)
{
    const bool changed = current != connector.currentA;
    if (changed && connector.status != Preparing) {
        announce(current > 0
                ? QStringLiteral("connector %1 now draws %2 A per phase").arg(connector.id).arg(current, 0, 'f', 1)
                : QStringLiteral("connector %1 paused: limit %2 A is below 6 A")
                      .arg(connector.id)
                      .arg(limit, 0, 'f', 1));
    }
    connector.currentA = current;
    setStatus(connector.id, current > 0 ? Charging : SuspendedEvse);
    if (changed)
        Q_EMIT drawChanged();
}

void ChargePoint::applyLimits()
{
    for (Connector& each : m_connectors)
        applyLimit(each);
}

void ChargePoint::restartMeterTimer(Connector& connector)
{
    if (!connector.session || !connector.session->charging)
        return;
    const qint64 seconds = m_configuration.intValue(QStringLiteral("MeterValueSampleInterval"));
    if (seconds > 0)
        connector.session->meterTimer->start(seconds * 1000);
    else
        connector.session->meterTimer->stop();
}

std::optional<TransactionRef> ChargePoint::transactionOf(const Connector& connector) const
{
    if (!connector.session)
        return std::nullopt;
    return TransactionRef {connector.session->transactionId, connector.session->startedAt};
}

int ChargePoint::carPhases() const
{
    return m_settings.hardware.type == ChargerType::Ac3 ? m_settings.hardware.carPhases : m_rating.phases;
}

double ChargePoint::powerW(const Connector& connector) const
{
    return connector.currentA * carPhases() * m_rating.voltageV;
}

std::array<double, 3> ChargePoint::siteDrawA() const
{
    std::array<double, 3> draw {0, 0, 0};
    for (const Connector& each : m_connectors) {
        for (int phase = 0; phase < carPhases(); ++phase)
            draw[static_cast<size_t>((m_settings.hardware.sitePhase - 1 + phase) % 3)] += each.currentA;
    }
    return draw;
}

double ChargePoint::maxCurrentA() const
{
    const ChargerGroup& hardware = m_settings.hardware;
    if (hardware.type == ChargerType::Dc)
        return m_rating.ampsFromWatts(hardware.maxPowerKw * 1000);
    return hardware.maxCurrentA;
}

} // namespace linkray::sim
