#pragma once

#include "core/clock.h"
#include "ocpp/endpoint.h"
#include "ocpp/messages.h"
#include "sim/chargepoint.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

// A simulated charge point wired to a CSMS-side Endpoint in memory under a ManualClock; the test plays the CSMS.
// Frames are delivered asynchronously (queued), as a socket would.
class Bench : public QObject {
    Q_OBJECT
public:
    explicit Bench(linkray::sim::ChargePointSettings settings);
    static linkray::sim::ChargePointSettings settings(linkray::sim::ChargerType type, int connectors = 2);

    // Delivers every frame in flight, and the answers they cause.
    void settle();
    // Moves simulated time in steps of a second, delivering frames between steps as a live link would.
    void advance(qint64 ms);
    // Connects and answers the boot, so that the charge point is ready for cars.
    void boot();

    // The calls the charge point made, in order, of one action, typed.
    template<typename Request> QList<Request> received() const
    {
        QList<Request> typed;
        for (const Call& call : m_received) {
            if (call.action == QLatin1String(Request::action))
                typed.append(Request::fromJson(call.payload));
        }
        return typed;
    }
    QStringList receivedActions() const;
    QStringList statusesOf(int connectorId) const;
    void clearReceived() { m_received.clear(); }

    // Sends a call to the charge point as the CSMS and returns its answer (nothing on a CALLERROR).
    template<typename Request> std::optional<typename Request::Response> callChargePoint(const Request& request)
    {
        const linkray::ocpp::CallOutcome outcome = call(QLatin1String(Request::action), request.toJson());
        if (outcome.kind != linkray::ocpp::CallOutcome::Kind::Result)
            return std::nullopt;
        return Request::Response::fromJson(outcome.payload);
    }
    linkray::ocpp::CallOutcome call(const QString& action, const QJsonObject& payload);

    // How the CSMS answers; a test changes these to play a different CSMS.
    QString bootStatus = QStringLiteral("Accepted");
    qint64 heartbeatInterval = 300;
    QStringList invalidTags;
    QString startTransactionStatus = QStringLiteral("Accepted");
    qint64 nextTransactionId = 100;

    linkray::ManualClock clock;
    linkray::ocpp::Endpoint chargePointSide;
    linkray::ocpp::Endpoint csmsSide;
    linkray::sim::ChargePoint chargePoint;
    QList<linkray::ocpp::Violation> violations; // protocol faults either side saw: a test expects none

private:
    struct Call {
        QString action;
        QJsonObject payload;
    };

    std::function<void(const QByteArray&)> deliverTo(linkray::ocpp::Endpoint& peer);
    QJsonObject answer(const QString& action, const QJsonObject& payload);

    QList<Call> m_received;
    int m_inFlight = 0;
};
