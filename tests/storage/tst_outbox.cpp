#include "storage/outboxrepository.h"
#include "storage/outboxwriter.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 3), QTime(7, 30, 0, 250), Qt::UTC);
const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");
const QString boot = QStringLiteral("BootNotification");
const QString status = QStringLiteral("StatusNotification");

int uniqueIdCounter = 0;

// An OCPP-J CALL as a charger writes it; the spacing and the non-ASCII text are kept to check byte-for-byte storage.
OutboxMessage messageOf(const QString& chargePointId, const QString& action, const QByteArray& payload = "{}")
{
    OutboxMessage message;
    message.chargePointId = chargePointId;
    message.uniqueId = QStringLiteral("u%1").arg(++uniqueIdCounter);
    message.action = action;
    message.frame = "[2, \"" + message.uniqueId.toUtf8() + "\",\"" + action.toUtf8() + "\", " + payload + "]";
    message.receivedAt = t0.addMSecs(uniqueIdCounter);
    return message;
}

OutboxMessage statusOf(const QString& chargePointId, int connectorId, const QString& connectorStatus)
{
    return messageOf(chargePointId, status,
        QStringLiteral(R"({"connectorId": %1, "errorCode": "NoError", "status": "%2", "info": "Zähler"})")
            .arg(connectorId)
            .arg(connectorStatus)
            .toUtf8());
}

QStringList uniqueIdsOf(const QList<OutboxMessage>& messages)
{
    QStringList ids;
    for (const OutboxMessage& message : messages)
        ids.append(message.uniqueId);
    return ids;
}

} // namespace

class TestOutbox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_outbox = std::make_unique<OutboxRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_outbox.reset();
        m_fresh.reset();
    }

    void queuedKeepsOrderAndEveryByte()
    {
        OutboxMessage first = statusOf(cp1, 1, QStringLiteral("Preparing"));
        first.state = QStringLiteral("held");
        first.attempts = 4;
        const OutboxMessage other = messageOf(cp2, boot);
        const OutboxMessage second = messageOf(cp1, QStringLiteral("StartTransaction"));
        const OutboxMessage third = messageOf(cp1, QStringLiteral("MeterValues"));
        QList<qint64> seqs;
        for (const OutboxMessage& message : {first, other, second, third})
            seqs.append(m_outbox->append(message).value_or(0));
        QVERIFY(seqs[0] > 0 && seqs[0] < seqs[1] && seqs[1] < seqs[2] && seqs[2] < seqs[3]);

        const QList<OutboxMessage> queued = m_outbox->queued(cp1, 10);
        QCOMPARE(uniqueIdsOf(queued), (QStringList {first.uniqueId, second.uniqueId, third.uniqueId}));
        QCOMPARE(queued[0].seq, seqs[0]);
        QCOMPARE(queued[0].chargePointId, cp1);
        QCOMPARE(queued[0].action, status);
        QCOMPARE(queued[0].frame, first.frame);
        QCOMPARE(queued[0].receivedAt, first.receivedAt);
        QCOMPARE(queued[0].state, QStringLiteral("queued")); // a new row is always queued, afresh
        QCOMPARE(queued[0].attempts, 0);
        QVERIFY(queued[0].lastError.isEmpty());
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp1, 2)), (QStringList {first.uniqueId, second.uniqueId}));
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp1, 10, seqs[2])), QStringList {third.uniqueId});
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp2, 10)), QStringList {other.uniqueId});
    }

    void failedAttemptsThenHeldForTheOperator()
    {
        const qint64 seq = m_outbox->append(messageOf(cp1, QStringLiteral("StopTransaction"))).value_or(0);
        const qint64 next = m_outbox->append(messageOf(cp1, QStringLiteral("MeterValues"))).value_or(0);
        QVERIFY(m_outbox->recordFailedAttempt(seq, QStringLiteral("timeout")));
        QVERIFY(m_outbox->recordFailedAttempt(seq, QStringLiteral("CALLERROR InternalError")));
        OutboxMessage retried = m_outbox->queued(cp1, 1).value(0);
        QCOMPARE(retried.attempts, 2);
        QCOMPARE(retried.lastError, QStringLiteral("CALLERROR InternalError"));

        QVERIFY(m_outbox->hold(seq, QStringLiteral("3 attempts without an answer")));
        QCOMPARE(m_outbox->queued(cp1, 10).value(0).seq, next); // the queue moves on
        const QList<OutboxMessage> held = m_outbox->held(cp1);
        QCOMPARE(held.size(), 1);
        QCOMPARE(held[0].seq, seq);
        QCOMPARE(held[0].state, QStringLiteral("held"));
        QCOMPARE(held[0].attempts, 2);
        QCOMPARE(held[0].lastError, QStringLiteral("3 attempts without an answer"));
    }

    void updatesOfAnUnknownSeqFail()
    {
        const qint64 seq = m_outbox->append(messageOf(cp1, boot)).value_or(0);
        QVERIFY(m_outbox->remove(seq));
        QVERIFY(m_outbox->queued(cp1, 10).isEmpty());
        const QRegularExpression unknown(QStringLiteral("no outbox message with seq %1$").arg(seq));
        QTest::ignoreMessage(QtWarningMsg, unknown);
        QVERIFY(!m_outbox->remove(seq));
        QTest::ignoreMessage(QtWarningMsg, unknown);
        QVERIFY(!m_outbox->recordFailedAttempt(seq, QStringLiteral("timeout")));
        QTest::ignoreMessage(QtWarningMsg, unknown);
        QVERIFY(!m_outbox->hold(seq, QStringLiteral("given up")));
    }

    void statsAndBacklog()
    {
        const OutboxStats empty = m_outbox->stats(cp1);
        QCOMPARE(empty.queued, 0);
        QCOMPARE(empty.held, 0);
        QVERIFY(!empty.oldestReceivedAt);
        QCOMPARE(m_outbox->totalQueued(), qint64(0));
        QVERIFY(m_outbox->chargePointsWithBacklog().isEmpty());
        QVERIFY(!m_outbox->hasQueued(cp1));

        const OutboxMessage oldest = messageOf(cp2, boot);
        const qint64 heldSeq = m_outbox->append(oldest).value_or(0);
        const OutboxMessage oldestQueued = messageOf(cp2, status);
        QVERIFY(m_outbox->append(oldestQueued));
        QVERIFY(m_outbox->append(messageOf(cp2, QStringLiteral("MeterValues"))));
        const qint64 onlyCp1 = m_outbox->append(messageOf(cp1, boot)).value_or(0);
        QVERIFY(m_outbox->hold(heldSeq, QStringLiteral("rejected")));

        const OutboxStats ofCp2 = m_outbox->stats(cp2);
        QCOMPARE(ofCp2.queued, 2);
        QCOMPARE(ofCp2.held, 1);
        QCOMPARE(ofCp2.oldestReceivedAt.value_or(QDateTime()), oldestQueued.receivedAt);
        QCOMPARE(m_outbox->totalQueued(), qint64(3));
        QCOMPARE(m_outbox->chargePointsWithBacklog(), (QStringList {cp1, cp2}));
        QVERIFY(m_outbox->hasQueued(cp1));
        QVERIFY(m_outbox->hold(onlyCp1, QStringLiteral("rejected")));
        QCOMPARE(m_outbox->chargePointsWithBacklog(), QStringList {cp2});
        QVERIFY(!m_outbox->hasQueued(cp1)); // held only
        QVERIFY(m_outbox->hasQueued(cp2));
    }

    void supersededBootNotificationsAreRemoved()
    {
        const OutboxMessage firstBoot = messageOf(cp1, boot);
        QVERIFY(m_outbox->append(firstBoot));
        const OutboxMessage statusMessage = statusOf(cp1, 1, QStringLiteral("Available"));
        QVERIFY(m_outbox->append(statusMessage));
        QVERIFY(m_outbox->append(messageOf(cp1, boot)));
        const OutboxMessage otherCharger = messageOf(cp2, boot);
        QVERIFY(m_outbox->append(otherCharger));
        const OutboxMessage lastBoot = messageOf(cp1, boot);
        QVERIFY(m_outbox->append(lastBoot));

        const auto latest = m_outbox->latestQueuedBoot(cp1);
        QVERIFY(latest);
        QCOMPARE(latest->uniqueId, lastBoot.uniqueId);
        QVERIFY(!m_outbox->latestQueuedBoot(QStringLiteral("CP-WITHOUT-BOOT")));
        QCOMPARE(m_outbox->removeQueuedBootsExcept(cp1, latest->seq), 2);
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp1, 10)), (QStringList {statusMessage.uniqueId, lastBoot.uniqueId}));
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp2, 10)), QStringList {otherCharger.uniqueId});
        QCOMPARE(m_outbox->removeQueuedBootsExcept(cp1, latest->seq), 0);
    }

    void coalescingKeepsTheNewestStatusPerConnector()
    {
        const OutboxMessage heldStatus = statusOf(cp1, 1, QStringLiteral("Faulted"));
        const qint64 heldSeq = m_outbox->append(heldStatus).value_or(0);
        QVERIFY(m_outbox->hold(heldSeq, QStringLiteral("rejected")));
        const QList<OutboxMessage> sequence {
            statusOf(cp1, 1, QStringLiteral("Preparing")), // superseded
            statusOf(cp1, 2, QStringLiteral("Available")),
            messageOf(cp1, QStringLiteral("StartTransaction"), R"({"connectorId": 1, "idTag": "A"})"),
            statusOf(cp1, 1, QStringLiteral("Charging")), // superseded
            messageOf(cp1, QStringLiteral("MeterValues"), R"({"connectorId": 1, "meterValue": []})"),
            messageOf(cp1, status, "{\"connectorId\": 1, \"status\": \"Faul"), // not JSON: never coalesced
            statusOf(cp2, 1, QStringLiteral("Available")),
            statusOf(cp1, 0, QStringLiteral("Available")),
            messageOf(cp1, QStringLiteral("StopTransaction"), R"({"connectorId": 1, "transactionId": 9})"),
            statusOf(cp1, 1, QStringLiteral("Finishing")),
        };
        for (const OutboxMessage& message : sequence)
            QVERIFY(m_outbox->append(message));

        QCOMPARE(m_outbox->coalesceStatusNotifications(cp1), 2);
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp1, 20)),
            (QStringList {sequence[1].uniqueId, sequence[2].uniqueId, sequence[4].uniqueId, sequence[5].uniqueId,
                sequence[7].uniqueId, sequence[8].uniqueId, sequence[9].uniqueId}));
        QCOMPARE(uniqueIdsOf(m_outbox->held(cp1)), QStringList {heldStatus.uniqueId});
        QCOMPARE(uniqueIdsOf(m_outbox->queued(cp2, 20)), QStringList {sequence[6].uniqueId});
        QCOMPARE(m_outbox->coalesceStatusNotifications(cp1), 0);
    }

    void writerCommitsOneTurnTogetherBeforeAnyCallback()
    {
        Database reader; // a second connection sees only what is committed
        QVERIFY(!Database::open(reader, m_fresh->path()));
        OutboxRepository committedView(reader);
        OutboxWriter writer(*m_outbox);

        QList<OutboxMessage> batch;
        for (int n = 0; n < 6; ++n)
            batch.append(
                n % 2 ? messageOf(cp2, QStringLiteral("MeterValues")) : statusOf(cp1, n, QStringLiteral("Available")));
        QList<qint64> seqs;
        QList<qint64> committedWhenTold;
        for (const OutboxMessage& message : batch) {
            writer.enqueue(message, [&](std::optional<qint64> seq) {
                seqs.append(seq.value_or(0));
                committedWhenTold.append(committedView.totalQueued());
            });
        }
        QCOMPARE(writer.pendingCount(), 6);
        QCOMPARE(committedView.totalQueued(), qint64(0)); // not before the next turn of the event loop
        QVERIFY(seqs.isEmpty());

        QTRY_COMPARE(seqs.size(), 6);
        QCOMPARE(committedWhenTold, QList<qint64>(6, 6));
        QCOMPARE(writer.pendingCount(), 0);
        for (int n = 1; n < seqs.size(); ++n)
            QCOMPARE(seqs[n], seqs[n - 1] + 1);
        QCOMPARE(committedView.queued(cp1, 10).value(0).seq, seqs[0]);
        QCOMPARE(committedView.queued(cp2, 10).value(0).frame, batch[1].frame);
    }

    void deliveredRowsGoInTheNextCommit()
    {
        const qint64 delivered = m_outbox->append(messageOf(cp1, boot)).value_or(0);
        OutboxWriter writer(*m_outbox);
        writer.markDelivered(delivered);
        QCOMPARE(m_outbox->totalQueued(), qint64(1));
        QVERIFY(writer.isDeliveryPending(delivered));
        std::optional<qint64> appended;
        std::optional<qint64> queuedWhenTold;
        writer.enqueue(messageOf(cp1, status), [&](std::optional<qint64> seq) {
            appended = seq;
            queuedWhenTold = m_outbox->totalQueued();
        });
        QTRY_VERIFY(appended);
        QCOMPARE(queuedWhenTold.value_or(-1), qint64(1)); // the new row in, the delivered one out, in one commit
        QCOMPARE(m_outbox->queued(cp1, 10).value(0).seq, *appended);
        QVERIFY(!writer.isDeliveryPending(delivered));
    }

    // A replay's commits mostly only remove delivered rows; they skip the fsync, and the connection's other commits
    // keep synchronous=FULL.
    void deliveriesAloneAreCommittedAndLeaveTheSyncLevelAsItWas()
    {
        const qint64 first = m_outbox->append(messageOf(cp1, status)).value_or(0);
        const qint64 second = m_outbox->append(messageOf(cp1, status)).value_or(0);
        const qint64 kept = m_outbox->append(messageOf(cp2, status)).value_or(0);
        OutboxWriter writer(*m_outbox);
        writer.markDelivered(first);
        writer.markDelivered(second);
        QTRY_COMPARE(m_outbox->totalQueued(), qint64(1));
        QSqlQuery level(m_fresh->db.connection());
        QVERIFY(level.exec(QStringLiteral("PRAGMA synchronous")) && level.next());
        QCOMPARE(level.value(0).toInt(), 2); // FULL
        QVERIFY(!m_fresh->reopen());
        QCOMPARE(OutboxRepository(m_fresh->db).queued(cp1, 10).size(), 0);
        QCOMPARE(OutboxRepository(m_fresh->db).queued(cp2, 10).value(0).seq, kept);
    }

    // Deliveries alone wait for a batch, or for as many turns of the event loop (posted events only here: a replaying
    // loop seldom waits), before they are committed.
    void deliveriesAloneWaitForABatchOrSomeTurns()
    {
        QList<qint64> seqs;
        for (int n = 0; n < OutboxWriter::DeliveredBatch + 1; ++n)
            seqs.append(m_outbox->append(messageOf(cp1, status)).value_or(0));
        const auto queued = static_cast<qint64>(seqs.size());
        OutboxWriter writer(*m_outbox);
        for (int n = 0; n < OutboxWriter::DeliveredBatch - 1; ++n) {
            writer.markDelivered(seqs[n]);
            QCoreApplication::sendPostedEvents();
        }
        QCOMPARE(m_outbox->totalQueued(), queued);
        writer.markDelivered(seqs[OutboxWriter::DeliveredBatch - 1]);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_outbox->totalQueued(), qint64(1));

        writer.markDelivered(seqs.last());
        for (int turn = 1; turn < OutboxWriter::DeliveredBatch; ++turn)
            QCoreApplication::sendPostedEvents();
        QCOMPARE(m_outbox->totalQueued(), qint64(1));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_outbox->totalQueued(), qint64(0));
    }

    void anIncompleteMessageFailsAloneNotItsBatch()
    {
        OutboxWriter writer(*m_outbox);
        OutboxMessage incomplete = messageOf(cp1, status);
        incomplete.receivedAt = QDateTime();
        QList<std::optional<qint64>> results;
        const auto record = [&](std::optional<qint64> seq) { results.append(seq); };
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                QStringLiteral("refused an incomplete StatusNotification message of charge point CP-1")));
        writer.enqueue(messageOf(cp1, boot), record);
        writer.enqueue(incomplete, record);
        writer.enqueue(messageOf(cp1, status), record);
        QTRY_COMPARE(results.size(), 3);
        QVERIFY(results[0] && !results[1] && results[2]);
        QCOMPARE(m_outbox->queued(cp1, 10).size(), 2);
    }

    void aFailedCommitAcknowledgesNothing()
    {
        const qint64 delivered = m_outbox->append(messageOf(cp1, boot)).value_or(0);
        OutboxWriter writer(*m_outbox);
        QSqlQuery readOnly(m_fresh->db.connection());
        QVERIFY(readOnly.exec(QStringLiteral("PRAGMA query_only = ON")));
        QList<std::optional<qint64>> results;
        const auto record = [&](std::optional<qint64> seq) { results.append(seq); };
        writer.enqueue(messageOf(cp1, status), record);
        writer.enqueue(messageOf(cp2, status), record);
        writer.markDelivered(delivered);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: attempt to write a readonly")));
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                QStringLiteral("outbox commit failed: 2 messages not stored \\(not acknowledged\\), 1 deliveries")));
        QVERIFY(!writer.flush());
        QCOMPARE(results, (QList<std::optional<qint64>> {std::nullopt, std::nullopt}));
        QVERIFY(readOnly.exec(QStringLiteral("PRAGMA query_only = OFF")));
        QCOMPARE(m_outbox->queued(cp1, 10).value(0).seq, delivered); // stays, to be re-sent
        QVERIFY(m_outbox->queued(cp2, 10).isEmpty());
    }

    void flushedAndDestroyedWritersLeaveRowsThatSurviveAReopen()
    {
        const OutboxMessage flushed = messageOf(cp1, QStringLiteral("StartTransaction"));
        const OutboxMessage atDestruction = messageOf(cp1, QStringLiteral("StopTransaction"));
        {
            OutboxWriter writer(*m_outbox);
            std::optional<qint64> seq;
            writer.enqueue(flushed, [&](std::optional<qint64> committed) { seq = committed; });
            QVERIFY(writer.flush());
            QVERIFY(seq); // synchronously, without the event loop
            writer.enqueue(atDestruction, {});
        }
        m_outbox.reset();
        QVERIFY(!m_fresh->reopen());
        m_outbox = std::make_unique<OutboxRepository>(m_fresh->db);
        const QList<OutboxMessage> kept = m_outbox->queued(cp1, 10);
        QCOMPARE(uniqueIdsOf(kept), (QStringList {flushed.uniqueId, atDestruction.uniqueId}));
        QCOMPARE(kept[1].frame, atDestruction.frame);
        QCOMPARE(kept[1].receivedAt, atDestruction.receivedAt);
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<OutboxRepository> m_outbox;
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
