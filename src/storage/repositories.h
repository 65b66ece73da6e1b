#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One repository per aggregate. Every write is committed (durable) before the call returns, so that
// what LinkRay acknowledges to a charger survives a power cut. Errors are reported, never swallowed.
namespace linkray::storage {

// ---- charge points --------------------------------------------------------------------------------------
struct ChargePointRecord {
    QString id;
    QString vendor;
    QString model;
    QString serialNumber;
    QString firmwareVersion;
    QString bootStatus;              // last BootNotification answer: Accepted / Pending / Rejected, or empty
    std::optional<QDateTime> lastBootAt;
    std::optional<QDateTime> lastSeenAt;
    int localListVersion = 0;        // whitelist version the charger last confirmed (SendLocalList Accepted)
    bool supportsLocalList = true;   // false once the charger answered SendLocalList NotSupported
};

struct ConnectorRecord {
    QString chargePointId;
    int connectorId = 0;
    QString status;      // ChargePointStatus as the charger sent it
    QString errorCode;
    QString info;
    QString vendorErrorCode;
    QDateTime updatedAt;
};

class ChargePointRepository {
public:
    explicit ChargePointRepository(Database& db) : m_db(db) {}
    bool recordBoot(const ChargePointRecord& record);          // upsert identity + boot status + lastBootAt
    bool touch(const QString& id, const QDateTime& seenAt);    // lastSeenAt; creates the row if needed
    std::optional<ChargePointRecord> find(const QString& id) const;
    QList<ChargePointRecord> list() const;
    bool setLocalListState(const QString& id, int version, bool supported);

    bool saveConnectorStatus(const ConnectorRecord& connector); // upsert by (chargePointId, connectorId)
    QList<ConnectorRecord> connectors(const QString& chargePointId) const;

    // Protocol deviations tolerated from this charger, counted per kind (the violation path + code).
    bool countDeviation(const QString& id, const QString& kind, const QDateTime& at);
    QList<QPair<QString, qint64>> deviations(const QString& id) const;

private:
    Database& m_db;
};

// ---- id tags (the RFID whitelist) -----------------------------------------------------------------------
struct IdTagRecord {
    QString idTag;
    QString status = QStringLiteral("Accepted"); // Accepted / Blocked / Expired / Invalid
    std::optional<QDateTime> expiryDate;
    QString parentIdTag;
    QString note;
    int version = 0;     // whitelist version at which this tag last changed
    bool deleted = false; // tombstone, kept so differential local-list updates can remove it from chargers
};

class IdTagRepository {
public:
    explicit IdTagRepository(Database& db) : m_db(db) {}
    // Each change bumps the whitelist version and stamps the tag with it.
    bool upsert(const IdTagRecord& tag);
    bool remove(const QString& idTag);
    // Replace the whole whitelist (configuration import): tags not in `tags` become tombstones.
    bool replaceAll(const QList<IdTagRecord>& tags);
    std::optional<IdTagRecord> find(const QString& idTag) const; // tombstones are not found
    QList<IdTagRecord> list() const;                              // without tombstones
    QList<IdTagRecord> changedSince(int version) const;          // with tombstones, for differential updates
    int currentVersion() const;

private:
    Database& m_db;
};

// ---- transactions ---------------------------------------------------------------------------------------
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

class TransactionRepository {
public:
    explicit TransactionRepository(Database& db) : m_db(db) {}
    // Inserts and returns the new transaction id (never reused, also after restarts); nullopt on failure.
    std::optional<qint64> start(const TransactionRecord& record);
    bool stop(qint64 id, qint64 meterStopWh, const QDateTime& stoppedAt, const QString& stopIdTag,
              const QString& stopReason);
    std::optional<TransactionRecord> find(qint64 id) const;
    std::optional<TransactionRecord> activeOnConnector(const QString& chargePointId, int connectorId) const;
    QList<TransactionRecord> activeForIdTag(const QString& idTag) const;
    QList<TransactionRecord> active() const;
    QList<TransactionRecord> list(int limit = 1000) const; // newest first

private:
    Database& m_db;
};

// ---- meter values ---------------------------------------------------------------------------------------
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
    QString rawValue;     // as the charger sent it
    std::optional<double> value; // parsed, in the unit above; nullopt when not a number
};

class MeterValueRepository {
public:
    explicit MeterValueRepository(Database& db) : m_db(db) {}
    bool append(const QList<MeterSample>& samples); // one transaction for the batch
    QList<MeterSample> forTransaction(qint64 transactionId) const;

private:
    Database& m_db;
};

// ---- OCPP message log (bounded) -------------------------------------------------------------------------
struct MessageLogEntry {
    qint64 id = 0;
    QDateTime at;
    QString chargePointId;
    QString direction; // "in" (from the charger) or "out" (to the charger)
    int messageType = 0; // 2, 3, 4, or 0 for a frame that could not be read
    QString uniqueId;
    QString action;
    int sizeBytes = 0;
};

class MessageLogRepository {
public:
    MessageLogRepository(Database& db, int maxEntries) : m_db(db), m_maxEntries(maxEntries) {}
    bool append(const MessageLogEntry& entry); // trims the oldest entries beyond maxEntries
    QList<MessageLogEntry> recent(const QString& chargePointId = {}, int limit = 200) const;

private:
    Database& m_db;
    int m_maxEntries;
};

// ---- events (firmware/diagnostics status, data transfers, security events, ...) -------------------------
struct EventRecord {
    qint64 id = 0;
    QDateTime at;
    QString chargePointId;
    QString kind;    // e.g. "FirmwareStatusNotification", "DataTransfer"
    QJsonObject details;
};

class EventRepository {
public:
    explicit EventRepository(Database& db) : m_db(db) {}
    bool append(const EventRecord& event);
    QList<EventRecord> recent(const QString& chargePointId = {}, int limit = 200) const;

private:
    Database& m_db;
};

} // namespace linkray::storage
