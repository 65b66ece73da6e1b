#include "bench.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace ocpp = linkray::ocpp;
namespace v16 = linkray::ocpp::v16;
namespace sim = linkray::sim;

namespace {

ocpp::Endpoint::Options strictOptions()
{
    ocpp::Endpoint::Options options;
    options.strictness = ocpp::Strictness::Strict;
    options.callTimeoutMs = 24 * 3600 * 1000; // answers come in settle(); time moves only when a test says so
    return options;
}

v16::IdTagInfo idTagInfo(const QString& status)
{
    v16::IdTagInfo info;
    info.status = status;
    return info;
}

} // namespace

Bench::Bench(sim::ChargePointSettings settings)
    : chargePointSide(clock, deliverTo(csmsSide), strictOptions())
    , csmsSide(clock, deliverTo(chargePointSide), strictOptions())
    , chargePoint(clock, chargePointSide, std::move(settings), 7)
{
    connect(&csmsSide, &ocpp::Endpoint::callReceived, this, [this](const ocpp::IncomingCall& call) {
        m_received.append(Call {call.action, call.payload});
        csmsSide.sendResult(call.uniqueId, answer(call.action, call.payload));
    });
    for (ocpp::Endpoint* side : {&chargePointSide, &csmsSide}) {
        connect(side, &ocpp::Endpoint::protocolDeviation, this,
            [this](const ocpp::Violation& violation, const QString&) { violations.append(violation); });
    }
}

sim::ChargePointSettings Bench::settings(sim::ChargerType type, int connectors)
{
    sim::ChargePointSettings settings;
    settings.id = QStringLiteral("SIM-001");
    settings.hardware.type = type;
    settings.hardware.connectors = connectors;
    settings.tags = sim::defaultTags();
    settings.dwellMeanMinutes = 1e7; // cars leave when a test says so
    settings.meterIntervalSeconds = 60;
    settings.profileDelaySeconds = 0; // profiles apply at once unless a test is about the reaction delay
    return settings;
}

std::function<void(const QByteArray&)> Bench::deliverTo(ocpp::Endpoint& peer)
{
    return [this, &peer](const QByteArray& frame) {
        ++m_inFlight;
        QMetaObject::invokeMethod(
            this,
            [this, &peer, frame] {
                --m_inFlight;
                peer.handleIncoming(frame);
            },
            Qt::QueuedConnection);
    };
}

void Bench::settle()
{
    while (m_inFlight > 0)
        QCoreApplication::processEvents();
}

void Bench::advance(qint64 ms)
{
    while (ms > 0) {
        const qint64 step = std::min<qint64>(ms, 1000);
        clock.advance(step);
        settle();
        ms -= step;
    }
}

void Bench::boot()
{
    chargePoint.transportConnected();
    settle();
}

QStringList Bench::receivedActions() const
{
    QStringList actions;
    for (const Call& call : m_received)
        actions.append(call.action);
    return actions;
}

QStringList Bench::statusesOf(int connectorId) const
{
    QStringList statuses;
    for (const v16::StatusNotificationRequest& status : received<v16::StatusNotificationRequest>()) {
        if (status.connectorId == connectorId)
            statuses.append(status.status);
    }
    return statuses;
}

ocpp::CallOutcome Bench::call(const QString& action, const QJsonObject& payload)
{
    std::optional<ocpp::CallOutcome> result;
    csmsSide.sendCall(action, payload, [&result](const ocpp::CallOutcome& outcome) { result = outcome; });
    settle();
    return result.value_or(ocpp::CallOutcome {});
}

QJsonObject Bench::answer(const QString& action, const QJsonObject& payload)
{
    if (action == QLatin1String(v16::BootNotificationRequest::action)) {
        v16::BootNotificationResponse response;
        response.status = bootStatus;
        response.currentTime = clock.nowUtc();
        response.interval = heartbeatInterval;
        return response.toJson();
    }
    if (action == QLatin1String(v16::HeartbeatRequest::action))
        return v16::HeartbeatResponse {clock.nowUtc()}.toJson();
    if (action == QLatin1String(v16::AuthorizeRequest::action)) {
        const auto request = v16::AuthorizeRequest::fromJson(payload);
        const bool invalid = invalidTags.contains(request.idTag);
        return v16::AuthorizeResponse {idTagInfo(invalid ? QStringLiteral("Invalid") : QStringLiteral("Accepted"))}
            .toJson();
    }
    if (action == QLatin1String(v16::StartTransactionRequest::action))
        return v16::StartTransactionResponse {idTagInfo(startTransactionStatus), nextTransactionId++}.toJson();
    if (action == QLatin1String(v16::StopTransactionRequest::action))
        return v16::StopTransactionResponse {idTagInfo(QStringLiteral("Accepted"))}.toJson();
    return {};
}
