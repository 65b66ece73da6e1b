#include "localcsms/transactions.h"

#include "localcsms/logging.h"
#include "localcsms/metersamples.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

namespace {

constexpr int NoConnector = -1;

bool isRetryOf(const storage::TransactionRecord& stored, const v16::StartTransactionRequest& request)
{
    return stored.idTag == request.idTag && stored.meterStartWh == request.meterStart
        && stored.startedAt == request.timestamp;
}

} // namespace

std::optional<storage::IdTagRecord> TransactionHandlers::findTag(
    const QString& chargePointId, const QString& idTag) const
{
    std::optional<storage::IdTagRecord> tag = storage::IdTagRepository(m_context.database).find(idTag);
    if (!tag && m_context.policy.tagFromCsms)
        tag = m_context.policy.tagFromCsms(chargePointId, idTag);
    return tag;
}

TagAuthorization TransactionHandlers::authorizeAt(
    const QString& idTag, const QString& chargePointId, int connectorId) const
{
    QList<storage::TransactionRecord> others;
    for (const auto& running : storage::TransactionRepository(m_context.database).activeForIdTag(idTag)) {
        if (running.chargePointId != chargePointId || running.connectorId != connectorId)
            others.append(running);
    }
    return authorizeTag(findTag(chargePointId, idTag), m_context.clock.nowUtc(), others, m_context.policy.unknownTags);
}

Answer<v16::AuthorizeResponse> TransactionHandlers::authorize(
    const QString& chargePointId, const v16::AuthorizeRequest& request)
{
    v16::AuthorizeResponse response;
    response.idTagInfo = toIdTagInfo(authorizeAt(request.idTag, chargePointId, NoConnector));
    return response;
}

bool TransactionHandlers::closeAbandoned(const storage::TransactionRecord& abandoned, const QDateTime& stoppedAt)
{
    const auto samples = storage::MeterValueRepository(m_context.database).forTransaction(abandoned.id);
    const qint64 meterStop = lastEnergyRegisterWh(samples).value_or(abandoned.meterStartWh);
    qCWarning(lcLocalCsms) << abandoned.chargePointId << "connector" << abandoned.connectorId
                           << "started a new transaction while transaction" << abandoned.id
                           << "was still running: closing it with reason Other at" << meterStop << "Wh";
    return storage::TransactionRepository(m_context.database)
        .stop(abandoned.id, meterStop, stoppedAt, QString(), QStringLiteral("Other"));
}

Answer<v16::StartTransactionResponse> TransactionHandlers::start(
    const QString& chargePointId, const v16::StartTransactionRequest& request)
{
    const int connectorId = static_cast<int>(request.connectorId);
    storage::TransactionRepository transactions(m_context.database);
    v16::StartTransactionResponse response;

    if (const auto running = transactions.activeOnConnector(chargePointId, connectorId)) {
        if (isRetryOf(*running, request)) {
            qCInfo(lcLocalCsms) << chargePointId << "repeated StartTransaction of transaction" << running->id;
            response.transactionId = running->id;
            response.idTagInfo = toIdTagInfo(authorizeAt(request.idTag, chargePointId, connectorId));
            return response;
        }
        if (!closeAbandoned(*running, request.timestamp))
            return storageFailure(m_context, chargePointId, QStringLiteral("end of the abandoned transaction"));
    }

    const TagAuthorization authorization = authorizeAt(request.idTag, chargePointId, connectorId);
    storage::TransactionRecord record;
    record.chargePointId = chargePointId;
    record.connectorId = connectorId;
    record.idTag = request.idTag;
    record.meterStartWh = request.meterStart;
    record.startedAt = request.timestamp;
    record.reservationId = request.reservationId;
    const auto id = transactions.start(record);
    if (!id)
        return storageFailure(m_context, chargePointId, QStringLiteral("transaction start"));

    qCInfo(lcLocalCsms) << chargePointId << "connector" << connectorId << "started transaction" << *id << "- idTag"
                        << authorization.status;
    response.transactionId = *id;
    response.idTagInfo = toIdTagInfo(authorization);
    return response;
}

QList<storage::MeterSample> TransactionHandlers::meterSamples(
    const QString& chargePointId, const v16::MeterValuesRequest& request) const
{
    std::optional<qint64> transactionId = request.transactionId;
    if (transactionId)
        transactionId = storage::TransactionRepository(m_context.database).storedId(chargePointId, *transactionId);
    return toMeterSamples(chargePointId, static_cast<int>(request.connectorId), transactionId, request.meterValue);
}

Answer<v16::MeterValuesResponse> TransactionHandlers::meterValues(
    const QString& chargePointId, const v16::MeterValuesRequest& request)
{
    if (!storage::MeterValueRepository(m_context.database).append(meterSamples(chargePointId, request)))
        return storageFailure(m_context, chargePointId, QStringLiteral("meter values"));
    return v16::MeterValuesResponse {};
}

Answer<v16::StopTransactionResponse> TransactionHandlers::stop(
    const QString& chargePointId, const v16::StopTransactionRequest& request)
{
    v16::StopTransactionResponse response;
    if (request.idTag)
        response.idTagInfo = toIdTagInfo(authorizeTag(
            findTag(chargePointId, *request.idTag), m_context.clock.nowUtc(), {}, m_context.policy.unknownTags));

    storage::TransactionRepository transactions(m_context.database);
    const auto stored = transactions.find(transactions.storedId(chargePointId, request.transactionId));
    if (!stored || stored->chargePointId != chargePointId) {
        qCWarning(lcLocalCsms) << chargePointId << "stopped unknown transaction" << request.transactionId;
        if (!appendEvent(m_context, chargePointId, QStringLiteral("StopTransactionUnknown"), request.toJson()))
            return storageFailure(m_context, chargePointId, QStringLiteral("stop of an unknown transaction"));
        return response;
    }
    if (!stored->active()) {
        qCInfo(lcLocalCsms) << chargePointId << "repeated StopTransaction of transaction" << stored->id;
        return response;
    }

    // Samples before the stop: a failed stop is retried by the charger; samples after a stop would be lost.
    const auto samples = toMeterSamples(
        chargePointId, stored->connectorId, stored->id, request.transactionData.value_or(QList<v16::MeterValue>()));
    if (!samples.isEmpty() && !storage::MeterValueRepository(m_context.database).append(samples))
        return storageFailure(m_context, chargePointId, QStringLiteral("transaction data"));
    if (!transactions.stop(stored->id, request.meterStop, request.timestamp, request.idTag.value_or(QString()),
            request.reason.value_or(QStringLiteral("Local"))))
        return storageFailure(m_context, chargePointId, QStringLiteral("transaction stop"));

    qCInfo(lcLocalCsms) << chargePointId << "stopped transaction" << stored->id << "at" << request.meterStop << "Wh";
    return response;
}

} // namespace linkray::localcsms
