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
    bool active() const { return !stoppedAt.has_value(); }
};

// Charging transactions LinkRay answered as the central system; their ids are the ones given to the chargers.
class TransactionRepository {
public:
    explicit TransactionRepository(Database& db)
        : m_db(db)
    {
    }
    // Inserts and returns the new transaction id (never reused, also after restarts); nullopt on failure.
    std::optional<qint64> start(const TransactionRecord& record);
    // False (logged) also when `id` is unknown or already stopped.
    bool stop(
        qint64 id, qint64 meterStopWh, const QDateTime& stoppedAt, const QString& stopIdTag, const QString& stopReason);
    std::optional<TransactionRecord> find(qint64 id) const;
    std::optional<TransactionRecord> activeOnConnector(const QString& chargePointId, int connectorId) const;
    QList<TransactionRecord> activeForIdTag(const QString& idTag) const;
    QList<TransactionRecord> active() const;
    QList<TransactionRecord> list(int limit = 1000) const; // newest first

private:
    Database& m_db;
};

} // namespace linkray::storage
