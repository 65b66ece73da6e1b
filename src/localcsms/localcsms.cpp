#include "localcsms/localcsms.h"

#include "localcsms/logging.h"
#include "storage/repositories.h"
#include "storage/sqlsupport.h"

#include <QTimer>

#include <utility>

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

namespace {

const QString BootNotification = QLatin1String(v16::BootNotificationRequest::action);
const QString MeterValues = QLatin1String(v16::MeterValuesRequest::action);

const QString CallBeforeBoot = QStringLiteral("call before BootNotification");

// "<action>.<path> <code>", e.g. "StatusNotification.connectorId TypeConstraintViolation".
QString deviationKind(const ocpp::Violation& violation, const QString& action)
{
    QStringList where {action, violation.path};
    where.removeAll(QString());
    QStringList kind {where.join(QLatin1Char('.')), ocpp::errorCodeName(violation.code)};
    kind.removeAll(QString());
    return kind.join(QLatin1Char(' '));
}

} // namespace

LocalCsms::LocalCsms(Context context, QObject* parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_handlerContext {m_context.clock, m_context.database, m_context.policy}
    , m_bootStatus(m_handlerContext)
    , m_transactions(m_handlerContext)
    , m_notifications(m_handlerContext)
    , m_relayedCalls(m_handlerContext, m_bootStatus, m_transactions, m_notifications)
    , m_meterValues(m_context.database)
{
    buildRoutes();
}

LocalCsms::~LocalCsms()
{
    m_meterValues.flush();
    recordRelayedBatch();
}

template<class Response>
void LocalCsms::reply(ocpp::Endpoint& endpoint, const QString& uniqueId, const Answer<Response>& answer)
{
    if (const auto* response = std::get_if<Response>(&answer)) {
        endpoint.sendResult(uniqueId, response->toJson());
        return;
    }
    const auto& failure = std::get<CallFailure>(answer);
    endpoint.sendError(uniqueId, failure.code, failure.description);
}

template<class Owner, class Request, class Response>
void LocalCsms::addHandled(Owner& owner, Answer<Response> (Owner::*method)(const QString&, const Request&))
{
    Q_ASSERT(!m_routes.contains(QLatin1String(Request::action)));
    m_routes.insert(QLatin1String(Request::action),
        {RouteKind::Handled,
            [&owner, method](ocpp::Endpoint& endpoint, const QString& chargePointId, const ocpp::IncomingCall& call) {
                const Request request = Request::fromJson(call.payload);
                reply(endpoint, call.uniqueId, (owner.*method)(chargePointId, request));
            }});
}

template<class Request> void LocalCsms::addNotSupported()
{
    Q_ASSERT(!m_routes.contains(QLatin1String(Request::action)));
    m_routes.insert(QLatin1String(Request::action),
        {RouteKind::NotSupported,
            [](ocpp::Endpoint& endpoint, const QString& chargePointId, const ocpp::IncomingCall& call) {
                qCWarning(lcLocalCsms) << chargePointId << "sent" << call.action << "which only a central system sends";
                endpoint.sendError(call.uniqueId, ocpp::ErrorCode::NotSupported,
                    QStringLiteral("%1 is sent by the central system, not by a charge point").arg(call.action));
            }});
}

// Like addHandled, and once the charger has its Accepted answer it may be sent calls (e.g. its local list).
void LocalCsms::addBootRoute()
{
    m_routes.insert(BootNotification,
        {RouteKind::Handled,
            [this](ocpp::Endpoint& endpoint, const QString& chargePointId, const ocpp::IncomingCall& call) {
                const auto answer
                    = m_bootStatus.boot(chargePointId, v16::BootNotificationRequest::fromJson(call.payload));
                reply(endpoint, call.uniqueId, answer);
                const auto* response = std::get_if<v16::BootNotificationResponse>(&answer);
                if (response && response->status == QLatin1String("Accepted"))
                    Q_EMIT chargePointReady(chargePointId);
            }});
}

// Answered once the samples are durable, committed together with the other MeterValues of the event-loop turn.
void LocalCsms::addMeterValuesRoute()
{
    m_routes.insert(MeterValues,
        {RouteKind::Handled,
            [this](ocpp::Endpoint& endpoint, const QString& chargePointId, const ocpp::IncomingCall& call) {
                m_meterValues.enqueue(
                    m_transactions.meterSamples(chargePointId, v16::MeterValuesRequest::fromJson(call.payload)),
                    [this, answerTo = QPointer<ocpp::Endpoint>(&endpoint), chargePointId, uniqueId = call.uniqueId](
                        bool stored) {
                        if (!answerTo)
                            return;
                        Answer<v16::MeterValuesResponse> answer = v16::MeterValuesResponse {};
                        if (!stored)
                            answer = storageFailure(m_handlerContext, chargePointId, QStringLiteral("meter values"));
                        reply(*answerTo, uniqueId, answer);
                    });
            }});
}

// The one routing table: every OCPP 1.6 action exactly once (tst_routing walks the catalogue against it).
void LocalCsms::buildRoutes()
{
    addHandled(m_transactions, &TransactionHandlers::authorize);
    addBootRoute();
    addHandled(m_notifications, &NotificationHandlers::dataTransfer);
    addHandled(m_notifications, &NotificationHandlers::acknowledge<v16::DiagnosticsStatusNotificationRequest>);
    addHandled(m_notifications, &NotificationHandlers::acknowledge<v16::FirmwareStatusNotificationRequest>);
    addHandled(m_bootStatus, &BootStatusHandlers::heartbeat);
    addHandled(m_notifications, &NotificationHandlers::acknowledge<v16::LogStatusNotificationRequest>);
    addMeterValuesRoute();
    addHandled(m_notifications, &NotificationHandlers::acknowledge<v16::SecurityEventNotificationRequest>);
    addHandled(m_notifications, &NotificationHandlers::signCertificate);
    addHandled(m_notifications, &NotificationHandlers::acknowledge<v16::SignedFirmwareStatusNotificationRequest>);
    addHandled(m_transactions, &TransactionHandlers::start);
    addHandled(m_bootStatus, &BootStatusHandlers::status);
    addHandled(m_transactions, &TransactionHandlers::stop);

    addNotSupported<v16::CancelReservationRequest>();
    addNotSupported<v16::CertificateSignedRequest>();
    addNotSupported<v16::ChangeAvailabilityRequest>();
    addNotSupported<v16::ChangeConfigurationRequest>();
    addNotSupported<v16::ClearCacheRequest>();
    addNotSupported<v16::ClearChargingProfileRequest>();
    addNotSupported<v16::DeleteCertificateRequest>();
    addNotSupported<v16::ExtendedTriggerMessageRequest>();
    addNotSupported<v16::GetCompositeScheduleRequest>();
    addNotSupported<v16::GetConfigurationRequest>();
    addNotSupported<v16::GetDiagnosticsRequest>();
    addNotSupported<v16::GetInstalledCertificateIdsRequest>();
    addNotSupported<v16::GetLocalListVersionRequest>();
    addNotSupported<v16::GetLogRequest>();
    addNotSupported<v16::InstallCertificateRequest>();
    addNotSupported<v16::RemoteStartTransactionRequest>();
    addNotSupported<v16::RemoteStopTransactionRequest>();
    addNotSupported<v16::ReserveNowRequest>();
    addNotSupported<v16::ResetRequest>();
    addNotSupported<v16::SendLocalListRequest>();
    addNotSupported<v16::SetChargingProfileRequest>();
    addNotSupported<v16::SignedUpdateFirmwareRequest>();
    addNotSupported<v16::TriggerMessageRequest>();
    addNotSupported<v16::UnlockConnectorRequest>();
    addNotSupported<v16::UpdateFirmwareRequest>();
}

void LocalCsms::recordRelayed(
    const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& csmsResult)
{
    m_relayedBatch.append({chargePointId, call, csmsResult});
    if (m_relayedBatch.size() == 1)
        QTimer::singleShot(0, this, &LocalCsms::recordRelayedBatch);
}

// One commit for what the CSMS answered in one event-loop turn: the relay's pace is not set by the disk's fsyncs.
void LocalCsms::recordRelayedBatch()
{
    if (m_relayedBatch.isEmpty())
        return;
    const QList<RelayedCall> batch = std::exchange(m_relayedBatch, {});
    m_meterValues.flush(); // the samples answered before were received before
    storage::sql::WriteTransaction transaction(m_context.database.connection(), "record relayed calls");
    for (const RelayedCall& relayed : batch)
        m_relayedCalls.record(relayed.chargePointId, relayed.call, relayed.csmsResult);
    if (!transaction.commit())
        qCWarning(lcLocalCsms) << "could not record" << batch.size() << "calls the CSMS answered";
}

std::optional<RouteKind> LocalCsms::routeKind(const QString& action) const
{
    const auto route = m_routes.constFind(action);
    if (route == m_routes.cend())
        return std::nullopt;
    return route->kind;
}

void LocalCsms::attach(const QString& chargePointId, ocpp::Endpoint* endpoint)
{
    detach(chargePointId);
    m_endpoints.insert(chargePointId, endpoint);
    connect(endpoint, &ocpp::Endpoint::callReceived, this,
        [this, chargePointId](const ocpp::IncomingCall& call) { onCall(chargePointId, call); });
    connect(endpoint, &ocpp::Endpoint::protocolDeviation, this,
        [this, chargePointId](const ocpp::Violation& violation, const QString& action) {
            countDeviation(chargePointId, deviationKind(violation, action), violation.description);
        });
    qCInfo(lcLocalCsms) << chargePointId << "attached";

    if (m_bootStatus.loadBootStatus(chargePointId) == QLatin1String("Accepted"))
        Q_EMIT chargePointReady(chargePointId);
}

void LocalCsms::detach(const QString& chargePointId)
{
    const QPointer<ocpp::Endpoint> endpoint = m_endpoints.take(chargePointId);
    m_bootStatus.forgetBootStatus(chargePointId);
    if (!endpoint)
        return;
    endpoint->disconnect(this);
    qCInfo(lcLocalCsms) << chargePointId << "detached";
}

ocpp::Endpoint* LocalCsms::endpoint(const QString& chargePointId) const
{
    return m_endpoints.value(chargePointId);
}

QStringList LocalCsms::attachedChargePoints() const
{
    QStringList ids;
    for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it) {
        if (it.value())
            ids.append(it.key());
    }
    return ids;
}

// A charger that reconnects after a network drop does not boot again, so a stored Accepted boot admits it.
// One never seen booting is served (lenient) and the deviation counted; Pending or Rejected ones are refused.
std::optional<CallFailure> LocalCsms::admit(const QString& chargePointId, const QString& action)
{
    if (action == BootNotification)
        return std::nullopt;
    const QString bootStatus = m_bootStatus.bootStatusOf(chargePointId);
    if (bootStatus == QLatin1String("Pending") || bootStatus == QLatin1String("Rejected")) {
        return CallFailure {ocpp::ErrorCode::SecurityError,
            QStringLiteral("the boot of this charge point is %1: only BootNotification is answered").arg(bootStatus)};
    }
    if (bootStatus.isEmpty())
        countDeviation(chargePointId, CallBeforeBoot, QStringLiteral("%1 from a charger never booted").arg(action));
    return std::nullopt;
}

void LocalCsms::onCall(const QString& chargePointId, const ocpp::IncomingCall& call)
{
    // What the CSMS answered before comes first: a StopTransaction answered here may end a transaction it started.
    recordRelayedBatch();
    // So do the samples received before, which the other calls may read (StopTransaction, StartTransaction closing an
    // abandoned transaction), and which are answered in the order the charger sent them.
    if (call.action != MeterValues)
        m_meterValues.flush();
    ocpp::Endpoint* endpoint = this->endpoint(chargePointId);
    if (!endpoint)
        return;
    const auto route = m_routes.constFind(call.action);
    if (route == m_routes.cend()) {
        endpoint->sendError(call.uniqueId, ocpp::ErrorCode::NotImplemented,
            QStringLiteral("%1 is not an OCPP 1.6 action").arg(call.action));
        return;
    }
    if (route->kind == RouteKind::Handled) {
        if (const auto refusal = admit(chargePointId, call.action)) {
            endpoint->sendError(call.uniqueId, refusal->code, refusal->description);
            return;
        }
    }
    route->handle(*endpoint, chargePointId, call);
}

void LocalCsms::countDeviation(const QString& chargePointId, const QString& kind, const QString& description)
{
    const QString logKey = chargePointId + QLatin1Char(' ') + kind;
    if (!m_loggedDeviations.contains(logKey)) {
        m_loggedDeviations.insert(logKey);
        qCWarning(lcLocalCsms) << chargePointId << "protocol deviation:" << kind << "-" << description;
    }
    if (!storage::ChargePointRepository(m_context.database)
             .countDeviation(chargePointId, kind, m_context.clock.nowUtc()))
        qCWarning(lcLocalCsms) << "could not count a protocol deviation of" << chargePointId;
}

} // namespace linkray::localcsms
