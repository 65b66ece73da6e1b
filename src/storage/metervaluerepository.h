#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::storage {

struct MeterSample {
    QString chargePointId;
    int connectorId = 0;
    std::optional<qint64> transactionId;
    QDateTime timestamp;
    QString measurand = QStringLiteral("Energy.Active.Import.Register");
    QString phase;
    QString unit;
    QString context;
    QString location;
    QString rawValue; // as the charger sent it
    std::optional<double> value; // parsed, in the unit above; nullopt when not a number
};

// Sampled values from MeterValues, Start- and StopTransaction, one row per sampled value.
class MeterValueRepository {
public:
    explicit MeterValueRepository(Database& db)
        : m_db(db)
    {
    }
    bool append(const QList<MeterSample>& samples); // one transaction for the batch
    QList<MeterSample> forTransaction(qint64 transactionId) const; // oldest first

private:
    Database& m_db;
};

} // namespace linkray::storage
