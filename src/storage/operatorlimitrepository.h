#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace linkray::storage {

// A limit set through the service layer with an expiry: the site's dynamic limit from an energy manager, or an
// operator's manual limit on one charger (docs/balancing.md, "Dynamic and manual limits").
struct OperatorLimitRecord {
    QString chargePointId; // empty: the site's dynamic limit
    std::optional<std::array<double, 3>> currentA; // per site phase; a charger's manual limit has it on all three
    std::optional<double> powerW; // the site's total power, or a DC charger's power
    QDateTime expiresAt;
    QString setBy; // the user who set it
    QDateTime setAt;
};

// The operator limits in force, so that they survive a restart until they expire.
class OperatorLimitRepository {
public:
    explicit OperatorLimitRepository(Database& db)
        : m_db(db)
    {
    }
    // Replaces the limit of the same scope (the site, or the charge point).
    bool put(const OperatorLimitRecord& limit);
    bool remove(const QString& chargePointId);
    QList<OperatorLimitRecord> all() const;

private:
    Database& m_db;
};

} // namespace linkray::storage
