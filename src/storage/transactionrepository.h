#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::storage {

struct TransactionRecord {
    qint64 id = 0;
    QString chargePointId;
    int connectorId = 0;
    QString idTag;
    qint64 meterStartWh = 0;
    QDateTime startedAt;
    std::optional<qint64> reservationId;
    std::optional<qint64> meterStopWh;
    std::optional<QDateTime> stoppedAt;
    QString stopIdTag;
    QString stopReason;
    // Online mode: the id the CSMS gave this transaction, from its answer to the relayed StartTransaction or, for one
    // that started in an outage, to the replayed one (transaction_id_map).
    std::optional<qint64> csmsTransactionId;
    // The CSMS answered the StartTransaction itself, so the charger knows the transaction by the CSMS's id.
    bool startedThroughCsms = false;
    bool active() const { return !stoppedAt.has_value(); }
    // The id the charger uses for this transaction (in its MeterValues and StopTransaction, and in a remote stop).
    qint64 chargerTransactionId() const { return startedThroughCsms && csmsTransactionId ? *csmsTransactionId : id; }
};

// A page of transactions for the web API; empty fields do not filter.
struct TransactionFilter {
    QString chargePointId;
    QString idTag; // the tag that started it
    std::optional<QDateTime> startedFrom; // started at or after
    std::optional<QDateTime> startedBefore; // started before
    int limit = 100;
    int offset = 0;
};

// Charging transactions: the ones LinkRay answered as the central system, whose ids are the ones given to the
// chargers, and in online mode also the ones the CSMS answered (see csmsTransactionId).
class TransactionRepository {
public:
    explicit TransactionRepository(Database& db)
        : m_db(db)
    {
    }
    // Inserts and returns the new transaction id (never reused, also after restarts); nullopt on failure.
    std::optional<qint64> start(const TransactionRecord& record);
    // Every id handed out from now on is >= firstId, also after restarts (online mode keeps its provisional ids in a
    // range the CSMS does not use). Never lowers the next id: ids are never reused.
    bool reserveIdsFrom(qint64 firstId);
    // False (logged) also when `id` is unknown or already stopped.
    bool stop(
        qint64 id, qint64 meterStopWh, const QDateTime& stoppedAt, const QString& stopIdTag, const QString& stopReason);
    std::optional<TransactionRecord> find(qint64 id) const;
    std::optional<TransactionRecord> activeOnConnector(const QString& chargePointId, int connectorId) const;
    // The transaction a StartTransaction with these fields created (the proxy maps it to the CSMS's id on replay).
    std::optional<qint64> idOfStart(const QString& chargePointId, int connectorId, const QString& idTag,
        qint64 meterStartWh, const QDateTime& startedAt) const;
    // The CSMS answered the relayed StartTransaction of `id` with `csmsTransactionId`.
    bool setCsmsTransactionId(qint64 id, qint64 csmsTransactionId);
    // The stored id of the charger's transaction it calls `chargerTransactionId` (see chargerTransactionId()).
    qint64 storedId(const QString& chargePointId, qint64 chargerTransactionId) const;
    QList<TransactionRecord> activeForIdTag(const QString& idTag) const;
    QList<TransactionRecord> active() const;
    QList<TransactionRecord> list(int limit = 1000) const; // newest first
    QList<TransactionRecord> search(const TransactionFilter& filter) const; // newest first

private:
    Database& m_db;
};

} // namespace linkray::storage
