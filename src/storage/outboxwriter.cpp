#include "storage/outboxwriter.h"

#include "storage/logging.h"

#include <utility>

namespace linkray::storage {

namespace {

bool isStorable(const OutboxMessage& message)
{
    return !message.chargePointId.isEmpty() && !message.uniqueId.isEmpty() && !message.action.isEmpty()
        && !message.frame.isEmpty() && message.receivedAt.isValid();
}

} // namespace

OutboxWriter::OutboxWriter(OutboxRepository& repository, QObject* parent)
    : QObject(parent)
    , m_repository(repository)
{
}

OutboxWriter::~OutboxWriter()
{
    flush();
}

void OutboxWriter::enqueue(OutboxMessage message, Committed committed)
{
    const bool storable = isStorable(message);
    if (!storable) {
        qCWarning(lcStorage, "outbox: refused an incomplete %s message of charge point %s", qPrintable(message.action),
            qPrintable(message.chargePointId));
    }
    m_pending.append({std::move(message), std::move(committed), storable});
    scheduleCommit();
}

void OutboxWriter::markDelivered(qint64 seq)
{
    m_delivered.append(seq);
    scheduleCommit();
}

bool OutboxWriter::flush()
{
    m_commitScheduled = false;
    m_deliveryTurns = 0;
    if (m_pending.isEmpty() && m_delivered.isEmpty())
        return true;
    // Taken out first: a callback may enqueue again, which belongs to the next batch.
    const QList<Pending> batch = std::exchange(m_pending, {});
    const QList<qint64> delivered = std::exchange(m_delivered, {});
    QList<OutboxMessage> messages;
    for (const Pending& pending : batch) {
        if (pending.storable)
            messages.append(pending.message);
    }
    // During a replay most commits only remove what the CSMS answered: losing one to a power cut only sends those
    // messages again, so they do not wait for the disk, which would stall the event loop once per turn.
    const std::optional<QList<qint64>> seqs = messages.isEmpty()
        ? (m_repository.removeDelivered(delivered) ? std::optional<QList<qint64>>(QList<qint64>()) : std::nullopt)
        : m_repository.appendAndRemove(messages, delivered);
    if (!seqs) {
        // Removing delivered rows needs no new room and frees some: on a full disk the replay must still drain.
        const bool removed = !messages.isEmpty() && !delivered.isEmpty() && m_repository.removeDelivered(delivered);
        qCWarning(lcStorage, "outbox commit failed: %lld messages not stored (not acknowledged), %lld deliveries %s",
            static_cast<long long>(messages.size()), static_cast<long long>(delivered.size()),
            removed ? "removed on their own" : "to be re-sent");
    }
    qsizetype stored = 0;
    for (const Pending& pending : batch) {
        const std::optional<qint64> seq
            = seqs && pending.storable ? std::optional<qint64>(seqs->at(stored++)) : std::nullopt;
        if (pending.committed)
            pending.committed(seq);
    }
    return seqs.has_value();
}

void OutboxWriter::scheduleCommit()
{
    if (m_commitScheduled)
        return;
    m_commitScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            const bool deliveriesWait = !m_delivered.isEmpty() && m_delivered.size() < DeliveredBatch;
            if (m_pending.isEmpty() && deliveriesWait && ++m_deliveryTurns < DeliveredBatch) {
                m_commitScheduled = false;
                scheduleCommit();
                return;
            }
            flush();
        },
        Qt::QueuedConnection);
}

} // namespace linkray::storage
