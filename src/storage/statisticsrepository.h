#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

// What the statistics and live views read from transactions and meter values. Only whole-charger readings count:
// samples with a phase are left out, and register values in kWh / power in kW are converted to Wh / W.
namespace linkray::storage {

struct TransactionSpan {
    qint64 id = 0;
    QString chargePointId;
    QDateTime startedAt;
    qint64 meterStartWh = 0;
    std::optional<QDateTime> stoppedAt;
    std::optional<qint64> meterStopWh;
};

// An Energy.Active.Import.Register reading of a transaction, in Wh.
struct EnergyReading {
    qint64 transactionId = 0;
    QDateTime timestamp;
    double wh = 0;
};

// A reading of a connector outside or inside a transaction: the power (W) or the energy register (Wh).
struct ConnectorReading {
    enum class Kind { PowerW, EnergyWh };
    QString chargePointId;
    int connectorId = 0;
    QDateTime timestamp;
    Kind kind = Kind::PowerW;
    double value = 0;
};

class StatisticsRepository {
public:
    explicit StatisticsRepository(Database& db)
        : m_db(db)
    {
    }
    // Transactions charging at some time in [from, to): started before `to`, not stopped before `from`. An empty
    // charge point id does not filter. Oldest first.
    QList<TransactionSpan> transactionsOverlapping(
        const QDateTime& from, const QDateTime& to, const QString& chargePointId) const;
    // The energy register readings of the same transactions, by transaction and then time.
    QList<EnergyReading> energyReadingsOverlapping(
        const QDateTime& from, const QDateTime& to, const QString& chargePointId) const;
    // Power and energy register readings taken in [from, to), by charge point, connector and time.
    QList<ConnectorReading> connectorReadings(
        const QDateTime& from, const QDateTime& to, const QString& chargePointId) const;
    // The newest energy register reading (Wh) of every active transaction that has one.
    QHash<qint64, double> latestEnergyOfActiveTransactions() const;

private:
    Database& m_db;
};

} // namespace linkray::storage
