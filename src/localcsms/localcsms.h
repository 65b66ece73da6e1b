#pragma once

#include "core/clock.h"
#include "localcsms/bootstatus.h"
#include "localcsms/metervaluewriter.h"
#include "localcsms/notifications.h"
#include "localcsms/policy.h"
#include "localcsms/relayedcalls.h"
#include "localcsms/transactions.h"
#include "ocpp/endpoint.h"
#include "storage/database.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>

// LinkRay as the site's central system: answers every call of the chargers attached to it (offline mode).
namespace linkray::localcsms {

struct Context {
    Clock& clock;
    storage::Database& database;
    Policy policy;
};

// How the routing table answers an action a charger sends.
enum class RouteKind {
    Handled, // a charger → central system action (or DataTransfer): handled
    NotSupported, // a central system → charger action: CALLERROR NotSupported
};

class LocalCsms : public QObject {
    Q_OBJECT
public:
    explicit LocalCsms(Context context, QObject* parent = nullptr);
    ~LocalCsms() override;

    // From now on LocalCsms answers the calls `endpoint` receives (it does not own it). Replaces an earlier one.
    void attach(const QString& chargePointId, ocpp::Endpoint* endpoint);
    void detach(const QString& chargePointId);
    ocpp::Endpoint* endpoint(const QString& chargePointId) const; // nullptr when not attached
    QStringList attachedChargePoints() const;

    const Policy& policy() const { return m_context.policy; }
    Clock& clock() const { return m_context.clock; }
    storage::Database& database() const { return m_context.database; }

    // Online mode: the CSMS answered a call the charger made through LinkRay; what it tells about the site is
    // recorded as if LinkRay had answered it.
    void recordRelayed(const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& csmsResult);

    // The routing table's entry for `action`; nullopt for an action outside OCPP 1.6 (CALLERROR NotImplemented).
    std::optional<RouteKind> routeKind(const QString& action) const;

Q_SIGNALS:
    // The charger may be sent calls: its boot was just accepted, or it was attached with an accepted boot on record.
    void chargePointReady(const QString& chargePointId);

private:
    using Handle = std::function<void(ocpp::Endpoint&, const QString& chargePointId, const ocpp::IncomingCall&)>;
    struct Route {
        RouteKind kind;
        Handle handle;
    };

    template<class Owner, class Request, class Response>
    void addHandled(Owner& owner, Answer<Response> (Owner::*method)(const QString&, const Request&));
    void addBootRoute();
    void addMeterValuesRoute();
    template<class Request> void addNotSupported();
    template<class Response>
    static void reply(ocpp::Endpoint& endpoint, const QString& uniqueId, const Answer<Response>& answer);

    void buildRoutes();
    void onCall(const QString& chargePointId, const ocpp::IncomingCall& call);
    std::optional<CallFailure> admit(const QString& chargePointId, const QString& action);
    void recordRelayedBatch();
    // Logged once per kind and charger, counted in storage every time.
    void countDeviation(const QString& chargePointId, const QString& kind, const QString& description);

    Context m_context;
    HandlerContext m_handlerContext;
    BootStatusHandlers m_bootStatus;
    TransactionHandlers m_transactions;
    NotificationHandlers m_notifications;
    RelayedCallRecorder m_relayedCalls;
    MeterValueWriter m_meterValues;
    struct RelayedCall {
        QString chargePointId;
        ocpp::IncomingCall call;
        QJsonObject csmsResult;
    };
    QList<RelayedCall> m_relayedBatch; // recorded together at the end of the event-loop turn
    QHash<QString, Route> m_routes;
    QHash<QString, QPointer<ocpp::Endpoint>> m_endpoints;
    QSet<QString> m_loggedDeviations; // "<charge point> <kind>": each kind is logged once per charger
};

} // namespace linkray::localcsms
