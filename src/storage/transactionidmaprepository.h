#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace linkray::storage {

// Online mode: the transaction id the CSMS gave, when it answered a replayed StartTransaction, for the provisional id
// LinkRay gave the charger during the outage. Both ways: messages to the CSMS carry its id, calls from it ours.
class TransactionIdMapRepository {
public:
    explicit TransactionIdMapRepository(Database& db)
        : m_db(db)
    {
    }
    // False (logged) also when `provisionalId` is already mapped: the first answer stays, since messages sent to
    // the CSMS since then already carry it.
    bool insert(qint64 provisionalId, qint64 csmsId, const QString& chargePointId, const QDateTime& at);
    std::optional<qint64> csmsId(qint64 provisionalId) const;
    // The newest provisional id of this charger mapped to `csmsId`.
    std::optional<qint64> provisionalId(const QString& chargePointId, qint64 csmsId) const;
    bool remove(qint64 provisionalId); // false (logged) also when it is not mapped

private:
    std::optional<qint64> lookUp(const QString& statement, const QVariantList& values, const char* purpose) const;

    Database& m_db;
};

} // namespace linkray::storage
