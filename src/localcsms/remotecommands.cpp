#include "localcsms/remotecommands.h"

#include "localcsms/logging.h"
#include "storage/repositories.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

namespace {

CommandFailure failureOf(ocpp::CallOutcome::Kind kind)
{
    switch (kind) {
    case ocpp::CallOutcome::Kind::Result:
        return CommandFailure::None;
    case ocpp::CallOutcome::Kind::Error:
        return CommandFailure::CallError;
    case ocpp::CallOutcome::Kind::Timeout:
        return CommandFailure::Timeout;
    case ocpp::CallOutcome::Kind::Cancelled:
        break;
    }
    return CommandFailure::Cancelled;
}

} // namespace

RemoteCommands::RemoteCommands(LocalCsms& csms, QObject* parent)
    : QObject(parent)
    , m_csms(csms)
{
}

void RemoteCommands::sendRaw(const QString& chargePointId, const QString& action, const QJsonObject& payload,
    std::function<void(const Outcome&)> done)
{
    ocpp::Endpoint* endpoint = m_csms.endpoint(chargePointId);
    if (!endpoint) {
        done({CommandFailure::NotConnected, {}, {}, QStringLiteral("%1 is not connected").arg(chargePointId)});
        return;
    }
    qCInfo(lcLocalCsms) << "sending" << action << "to" << chargePointId;
    endpoint->sendCall(
        action, payload, [chargePointId, action, done = std::move(done)](const ocpp::CallOutcome& outcome) {
            const Outcome result {failureOf(outcome.kind), outcome.payload, outcome.errorCode, outcome.description};
            if (result.failure != CommandFailure::None) {
                qCInfo(lcLocalCsms) << action << "to" << chargePointId << "failed:" << outcome.errorCode
                                    << outcome.description;
            }
            done(result);
        });
}

void RemoteCommands::remoteStart(
    const QString& chargePointId, const QString& idTag, CommandCallback<v16::RemoteStartTransactionRequest> done)
{
    v16::RemoteStartTransactionRequest request;
    request.idTag = idTag;
    for (const auto& connector : storage::ChargePointRepository(m_csms.database()).connectors(chargePointId)) {
        const bool available = connector.connectorId > 0 && connector.status == QLatin1String("Available");
        if (available && connector.connectorId < request.connectorId.value_or(connector.connectorId + 1))
            request.connectorId = connector.connectorId;
    }
    send(chargePointId, request, std::move(done));
}

void RemoteCommands::remoteStop(qint64 transactionId, CommandCallback<v16::RemoteStopTransactionRequest> done)
{
    const auto transaction = storage::TransactionRepository(m_csms.database()).find(transactionId);
    if (!transaction || !transaction->active()) {
        CommandResult<v16::RemoteStopTransactionResponse> result;
        result.failure = CommandFailure::UnknownTransaction;
        result.description = QStringLiteral("no running transaction %1").arg(transactionId);
        done(result);
        return;
    }
    v16::RemoteStopTransactionRequest request;
    request.transactionId = transactionId;
    send(transaction->chargePointId, request, std::move(done));
}

} // namespace linkray::localcsms
