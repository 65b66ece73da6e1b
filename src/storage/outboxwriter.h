#pragma once

#include "storage/outboxrepository.h"

#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace linkray::storage {

// Group commit for the outbox. With synchronous=FULL each commit costs an fsync, and during an outage hundreds of
// chargers must each have their message on disk before they are answered: what is enqueued during one turn of the
// event loop is written in one transaction at the start of the next, then every caller is told. The slower the disk,
// the more arrives during a commit and the larger the next batch; an idle site waits for no timer.
class OutboxWriter : public QObject {
    Q_OBJECT
public:
    // Runs once the message is durable with its seq, or with nullopt when it could not be stored (nothing may then
    // be acknowledged to the charger).
    using Committed = std::function<void(std::optional<qint64> seq)>;
    static constexpr int DeliveredBatch = 16;

    explicit OutboxWriter(OutboxRepository& repository, QObject* parent = nullptr);
    ~OutboxWriter() override; // flushes, so callbacks must not outlive the writer

    // A message missing its charge point, unique id, action, frame or reception time is refused (nullopt, logged)
    // without failing the rest of its batch.
    void enqueue(OutboxMessage message, Committed committed);
    // The CSMS has answered `seq`: its row is deleted in a later commit. A crash before then only re-sends it, so
    // deliveries alone wait until DeliveredBatch of them have gathered or DeliveredBatch turns of the event loop have
    // passed (a fraction of a millisecond when it is idle); a message enqueued meanwhile takes them along at once.
    // One commit per CSMS answer took 40 % of the event loop during a replay and held live frames behind it
    // (docs/performance.md).
    void markDelivered(qint64 seq);
    // Commits what is pending now (shutdown), then runs its callbacks. False when the commit failed.
    bool flush();
    // True while the row of `seq`, answered by the CSMS, waits for the commit that deletes it: a replay that starts
    // over skips it instead of sending it again. Cheaper than committing at every link-up, which for a hundred
    // chargers reconnecting during a drain lengthened the live charger's slowest turns (docs/performance.md).
    bool isDeliveryPending(qint64 seq) const { return m_delivered.contains(seq); }
    int pendingCount() const { return static_cast<int>(m_pending.size() + m_delivered.size()); }

private:
    struct Pending {
        OutboxMessage message;
        Committed committed;
        bool storable = true;
    };

    void scheduleCommit();

    OutboxRepository& m_repository;
    QList<Pending> m_pending;
    QList<qint64> m_delivered;
    bool m_commitScheduled = false;
    int m_deliveryTurns = 0; // turns of the event loop the pending deliveries have waited
};

} // namespace linkray::storage
