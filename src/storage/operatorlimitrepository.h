#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace linkray::storage {

// A limit set through the service layer with an expiry: the site's dynamic limit from an energy manager, or an
// operator's manual limit on one charger or one group (docs/balancing.md, "Dynamic and manual limits").
struct OperatorLimitRecord {
    QString chargePointId; // empty: the site's dynamic limit, or a group's limit when groupId is set
    QString groupId; // set: a group's manual limit (chargePointId is then empty)
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
    // Replaces the limit of the same scope (the site, the charge point or the group).
    bool put(const OperatorLimitRecord& limit);
    bool remove(const QString& chargePointId);
    bool removeGroup(const QString& groupId);
    // The site's and the chargers' limits, then the groups'.
    QList<OperatorLimitRecord> all() const;

private:
    // Each scope's table: operator_limits keyed by charge_point_id, group_limits by group_id.
    struct Table {
        QLatin1String name;
        QLatin1String key;
    };
    static Table tableOf(const OperatorLimitRecord& limit);
    bool removeFrom(const Table& table, const QString& id);
    void appendAll(const Table& table, QList<OperatorLimitRecord>& limits) const;

    Database& m_db;
};

} // namespace linkray::storage
