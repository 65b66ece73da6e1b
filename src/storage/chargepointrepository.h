#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QVariant>

#include <optional>

namespace linkray::storage {

struct ChargePointRecord {
    QString id;
    QString vendor;
    QString model;
    QString serialNumber;
    QString firmwareVersion;
    QString bootStatus; // last BootNotification answer: Accepted / Pending / Rejected, or empty
    std::optional<QDateTime> lastBootAt;
    std::optional<QDateTime> lastSeenAt;
    int localListVersion = 0; // whitelist version the charger last confirmed (SendLocalList Accepted)
    bool supportsLocalList = true; // false once the charger answered SendLocalList NotSupported
};

struct ConnectorRecord {
    QString chargePointId;
    int connectorId = 0;
    QString status; // ChargePointStatus as the charger sent it
    QString errorCode;
    QString info;
    QString vendorErrorCode;
    QDateTime updatedAt;
};

struct DeviationRecord {
    QString kind;
    qint64 count = 0;
    QDateTime firstSeenAt;
    QDateTime lastSeenAt;
};

// The charge points LinkRay has met, their connectors' last status and the protocol deviations tolerated from them.
// Writes for a charge point not yet known create its row.
// The limit the balancer last had accepted by a charge point: A per phase for AC, W for DC.
struct AppliedLimit {
    double limit = 0;
    QString unit; // "A" or "W"
    int numberPhases = 3;
};

class ChargePointRepository {
public:
    explicit ChargePointRepository(Database& db)
        : m_db(db)
    {
    }
    bool recordBoot(const ChargePointRecord& record); // upsert identity + boot status + lastBootAt
    bool touch(const QString& id, const QDateTime& seenAt); // lastSeenAt; creates the row if needed
    std::optional<ChargePointRecord> find(const QString& id) const;
    QList<ChargePointRecord> list() const;
    bool setLocalListState(const QString& id, int version, bool supported);

    bool saveConnectorStatus(const ConnectorRecord& connector); // upsert by (chargePointId, connectorId)
    QList<ConnectorRecord> connectors(const QString& chargePointId) const;
    // Every charge point's connectors in one query, by charge point id and connector id.
    QList<ConnectorRecord> allConnectors() const;

    // Protocol deviations tolerated from this charger, counted per kind (the violation path + code).
    bool countDeviation(const QString& id, const QString& kind, const QDateTime& at);
    QList<QPair<QString, qint64>> deviations(const QString& id) const;
    QList<DeviationRecord> deviationRecords(const QString& id) const; // with first and last seen, by kind

    // What the balancer last applied, so that a restarted LinkRay re-sends it before its first allocation.
    bool setAppliedLimit(const QString& id, const AppliedLimit& limit);
    QHash<QString, AppliedLimit> appliedLimits() const;
    std::optional<AppliedLimit> appliedLimit(const QString& id) const; // one charger's, without reading the others

private:
    QHash<QString, AppliedLimit> appliedLimitsWhere(const QString& condition, const QVariantList& values) const;

    Database& m_db;
};

} // namespace linkray::storage
