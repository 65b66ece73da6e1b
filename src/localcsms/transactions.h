#pragma once

#include "localcsms/handlers.h"
#include "storage/repositories.h"

// Authorize, StartTransaction, MeterValues and StopTransaction against the whitelist and the transaction store.
namespace linkray::localcsms {

class TransactionHandlers {
public:
    explicit TransactionHandlers(const HandlerContext& context)
        : m_context(context)
    {
    }

    Answer<ocpp::v16::AuthorizeResponse> authorize(
        const QString& chargePointId, const ocpp::v16::AuthorizeRequest& request);
    Answer<ocpp::v16::StartTransactionResponse> start(
        const QString& chargePointId, const ocpp::v16::StartTransactionRequest& request);
    Answer<ocpp::v16::MeterValuesResponse> meterValues(
        const QString& chargePointId, const ocpp::v16::MeterValuesRequest& request);
    // What meterValues() stores, for storing it later with others (MeterValueWriter).
    QList<storage::MeterSample> meterSamples(
        const QString& chargePointId, const ocpp::v16::MeterValuesRequest& request) const;
    Answer<ocpp::v16::StopTransactionResponse> stop(
        const QString& chargePointId, const ocpp::v16::StopTransactionRequest& request);

private:
    // The whitelist's entry, else what the CSMS said about the tag (online mode).
    std::optional<storage::IdTagRecord> findTag(const QString& chargePointId, const QString& idTag) const;
    // The tag's running transactions count as conflicts, except one on `chargePointId`/`connectorId` itself.
    TagAuthorization authorizeAt(const QString& idTag, const QString& chargePointId, int connectorId) const;
    bool closeAbandoned(const storage::TransactionRecord& abandoned, const QDateTime& stoppedAt);

    HandlerContext m_context;
};

} // namespace linkray::localcsms
