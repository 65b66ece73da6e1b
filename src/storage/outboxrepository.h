#pragma once

#include "storage/database.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace linkray::storage {

// A charger → CSMS call kept during an outage, to be replayed to the CSMS in seq order.
struct OutboxMessage {
    qint64 seq = 0;
    QString chargePointId;
    QString uniqueId;
    QString action;
    QByteArray frame; // the charger's CALL text, byte for byte
    QDateTime receivedAt; // LinkRay's clock
    int attempts = 0; // sends the CSMS did not answer with a result
    QString state; // "queued", or "held": given up after repeated failures, kept for the operator
    QString lastError;
};

struct OutboxStats {
    int queued = 0; // -1 when the outbox cannot be read (logged)
    int held = 0; // -1 when the outbox cannot be read (logged)
    std::optional<QDateTime> oldestReceivedAt; // of the queued messages
};

// The durable store-and-forward queue of online mode (docs/storage.md, "outbox"). Each write is committed before it
// returns; OutboxWriter groups many of them into one commit. Counts returned by writes are -1 on failure (logged).
class OutboxRepository {
public:
    explicit OutboxRepository(Database& db)
        : m_db(db)
    {
    }

    // A new row is queued with no attempts: seq, attempts, state and lastError of `message` are ignored.
    std::optional<qint64> append(const OutboxMessage& message);
    // One transaction (one fsync): appends `messages` in order and removes the `delivered` seqs (unknown ones are
    // ignored). Returns the new seqs in the order of `messages`; nullopt when nothing was written.
    std::optional<QList<qint64>> appendAndRemove(const QList<OutboxMessage>& messages, const QList<qint64>& delivered);
    // One transaction that removes the `delivered` seqs (unknown ones are ignored) without waiting for the disk: a
    // power cut may undo it, which only sends those messages again. The next durable commit makes it durable too.
    bool removeDelivered(const QList<qint64>& delivered);

    // Queued messages with seq > afterSeq, lowest seq first.
    QList<OutboxMessage> queued(const QString& chargePointId, int limit, qint64 afterSeq = 0) const;
    QList<OutboxMessage> held(const QString& chargePointId) const; // lowest seq first
    // The charger's newest queued BootNotification, and the removal of the others (superseded by it); both through
    // the partial index outbox_boots.
    std::optional<OutboxMessage> latestQueuedBoot(const QString& chargePointId) const;
    int removeQueuedBootsExcept(const QString& chargePointId, qint64 keepSeq);
    // Keeps only the newest queued StatusNotification per connectorId; other actions are never touched.
    int coalesceStatusNotifications(const QString& chargePointId);

    // These three return false (logged) also when `seq` is unknown.
    bool remove(qint64 seq);
    bool recordFailedAttempt(qint64 seq, const QString& error); // attempts + 1
    bool hold(qint64 seq, const QString& reason);

    OutboxStats stats(const QString& chargePointId) const;
    // Whether the charger has a queued message: an index lookup, where stats() reads every row of its backlog.
    bool hasQueued(const QString& chargePointId) const;
    qint64 totalQueued() const; // all chargers; -1 when it cannot be read (logged)
    QStringList chargePointsWithBacklog() const; // with at least one queued message, sorted

private:
    QList<OutboxMessage> select(const QString& clauses, const QVariantList& values, const char* purpose) const;
    bool updateOne(qint64 seq, const QString& statement, const QVariantList& values, const char* purpose);
    int removeWhere(const QString& statement, const QVariantList& values, const char* purpose);

    Database& m_db;
};

} // namespace linkray::storage
