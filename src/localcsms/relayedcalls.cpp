#include "localcsms/relayedcalls.h"

#include "localcsms/logging.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

RelayedCallRecorder::RelayedCallRecorder(const HandlerContext& context, BootStatusHandlers& bootStatus,
    TransactionHandlers& transactions, NotificationHandlers& notifications)
    : m_context(context)
{
    add<v16::BootNotificationRequest>(
        [&bootStatus](const QString& chargePointId, const QJsonObject& payload, const QJsonObject& csmsResult) {
            bootStatus.recordBoot(
                chargePointId, v16::BootNotificationRequest::fromJson(payload), csmsResult.value(u"status").toString());
        });
    addRecorded(bootStatus, &BootStatusHandlers::heartbeat);
    addRecorded(bootStatus, &BootStatusHandlers::status);
    add<v16::StartTransactionRequest>(
        [this, &transactions](const QString& chargePointId, const QJsonObject& payload, const QJsonObject& csmsResult) {
            const auto answer = transactions.start(chargePointId, v16::StartTransactionRequest::fromJson(payload));
            const auto* started = std::get_if<v16::StartTransactionResponse>(&answer);
            const QJsonValue csmsId = csmsResult.value(u"transactionId");
            if (started && csmsId.isDouble())
                storage::TransactionRepository(m_context.database)
                    .setCsmsTransactionId(started->transactionId, static_cast<qint64>(csmsId.toDouble()));
        });
    addRecorded(transactions, &TransactionHandlers::meterValues);
    addRecorded(transactions, &TransactionHandlers::stop);
    addRecorded(notifications, &NotificationHandlers::acknowledge<v16::DiagnosticsStatusNotificationRequest>);
    addRecorded(notifications, &NotificationHandlers::acknowledge<v16::FirmwareStatusNotificationRequest>);
    addRecorded(notifications, &NotificationHandlers::acknowledge<v16::LogStatusNotificationRequest>);
    addRecorded(notifications, &NotificationHandlers::acknowledge<v16::SecurityEventNotificationRequest>);
    addRecorded(notifications, &NotificationHandlers::acknowledge<v16::SignedFirmwareStatusNotificationRequest>);
}

template<class Request> void RelayedCallRecorder::add(Record record)
{
    m_records.insert(QLatin1String(Request::action), std::move(record));
}

template<class Owner, class Request, class Response>
void RelayedCallRecorder::addRecorded(Owner& owner, Answer<Response> (Owner::*method)(const QString&, const Request&))
{
    add<Request>([&owner, method](const QString& chargePointId, const QJsonObject& payload, const QJsonObject&) {
        (owner.*method)(chargePointId, Request::fromJson(payload));
    });
}

void RelayedCallRecorder::record(
    const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& csmsResult)
{
    const auto record = m_records.constFind(call.action);
    if (record != m_records.cend())
        (*record)(chargePointId, call.payload, csmsResult);
}

} // namespace linkray::localcsms
