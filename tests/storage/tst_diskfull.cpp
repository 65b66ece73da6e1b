#include "core/clock.h"
#include "storage/eventrepository.h"
#include "storage/messagelogrepository.h"
#include "storage/outboxrepository.h"
#include "storage/outboxwriter.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace linkray;
using namespace linkray::storage;

namespace {

const QString cp1 = QStringLiteral("CP-1");
constexpr qint64 megabyte = 1024 * 1024;
// Far more than a 1 MB database holds: the loops that fill it end by meeting the limit, never by running out.
constexpr int maxFillMessages = 1000;

int uniqueIdCounter = 0;

// A MeterValues CALL of about 8 KB, so that a 1 MB database fills in about a hundred commits.
OutboxMessage largeMessage()
{
    OutboxMessage message;
    message.chargePointId = cp1;
    message.uniqueId = QStringLiteral("u%1").arg(++uniqueIdCounter);
    message.action = QStringLiteral("MeterValues");
    message.frame = "[2,\"" + message.uniqueId.toUtf8() + "\",\"MeterValues\",{\"connectorId\":1,\"meterValue\":[],"
        + "\"vendor\":\"" + QByteArray(8000, 'x') + "\"}]";
    message.receivedAt = QDateTime(QDate(2026, 3, 3), QTime(7, 30), Qt::UTC).addSecs(uniqueIdCounter);
    return message;
}

// Enqueues one message and commits it; the seq, or nullopt when the writer refused it.
std::optional<qint64> commitOne(OutboxWriter& writer, const OutboxMessage& message)
{
    std::optional<qint64> result;
    writer.enqueue(message, [&](std::optional<qint64> seq) { result = seq; });
    writer.flush();
    return result;
}

QStringList eventKinds(Database& db)
{
    QStringList kinds;
    for (const EventRecord& event : EventRepository(db).recent())
        kinds.prepend(event.kind);
    return kinds;
}

} // namespace

// storage.maxDatabaseMegabytes makes SQLite fail writes with SQLITE_FULL as a full disk does: what the outbox
// writer acknowledges, what it refuses, and how it recovers when the limit is raised (docs/robustness.md).
class TestDiskFull : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_outbox = std::make_unique<OutboxRepository>(m_fresh->db);
        QCOMPARE(m_fresh->db.limitSize(m_clock, megabyte), std::nullopt);
    }

    void cleanup()
    {
        m_outbox.reset();
        m_fresh.reset();
    }

    void aFullDatabaseRefusesWhatItCannotStoreAndKeepsWhatItAcknowledged()
    {
        OutboxWriter writer(*m_outbox);
        QList<OutboxMessage> acknowledged;
        QVERIFY(!m_fresh->db.space().full);
        QCOMPARE(m_fresh->db.writeFailureReason(), QStringLiteral("storage failed"));
        QTest::ignoreMessage(
            QtCriticalMsg, QRegularExpression(QStringLiteral("storage is full \\(the database reached")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("database or disk is full")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("outbox commit failed: 1 messages")));
        std::optional<qint64> seq;
        do {
            const OutboxMessage message = largeMessage();
            seq = commitOne(writer, message);
            if (seq)
                acknowledged.append(message);
        } while (seq && acknowledged.size() < maxFillMessages);

        QVERIFY(!seq);
        QVERIFY2(acknowledged.size() > 50, qPrintable(QString::number(acknowledged.size())));
        QVERIFY(m_fresh->db.space().full);
        QCOMPARE(m_fresh->db.space().refusedWrites, 1);
        QCOMPARE(m_fresh->db.writeFailureReason(), QStringLiteral("storage is full"));
        const QList<OutboxMessage> stored = m_outbox->queued(cp1, maxFillMessages);
        QCOMPARE(stored.size(), acknowledged.size());
        for (qsizetype i = 0; i < stored.size(); ++i)
            QCOMPARE(stored[i].frame, acknowledged[i].frame);
        m_clock.advance(0);
        QCOMPARE(eventKinds(m_fresh->db), QStringList {QStringLiteral("StorageFull")});
    }

    void deliveriesAreRemovedEvenWhenNewMessagesDoNotFit()
    {
        OutboxWriter writer(*m_outbox);
        QList<qint64> seqs;
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("storage is full")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("database or disk is full")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("outbox commit failed")));
        while (seqs.size() < maxFillMessages) {
            const std::optional<qint64> seq = commitOne(writer, largeMessage());
            if (!seq)
                break;
            seqs.append(*seq);
        }
        QVERIFY(m_fresh->db.space().full);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("database or disk is full")));
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(QStringLiteral("outbox commit failed: 1 messages not stored \\(not acknowledged\\), 2 "
                                              "deliveries removed on their own")));
        writer.markDelivered(seqs[0]);
        writer.markDelivered(seqs[1]);
        QCOMPARE(commitOne(writer, largeMessage()), std::nullopt);
        QCOMPARE(m_outbox->queued(cp1, maxFillMessages).size(), seqs.size() - 2);
        QCOMPARE(m_outbox->queued(cp1, 1).value(0).seq, seqs[2]);
    }

    void raisingTheLimitLetsTheNextWriteThrough()
    {
        OutboxWriter writer(*m_outbox);
        const int acknowledged = fillToTheLimit(writer);
        QVERIFY(m_fresh->db.space().full);

        QCOMPARE(m_fresh->db.limitSize(m_clock, 2 * megabyte), std::nullopt);
        QTest::ignoreMessage(
            QtInfoMsg, QRegularExpression(QStringLiteral("storage has room again: 1 writes were refused")));
        QVERIFY(commitOne(writer, largeMessage()));
        QVERIFY(!m_fresh->db.space().full);
        QCOMPARE(m_fresh->db.writeFailureReason(), QStringLiteral("storage failed"));
        QCOMPARE(m_outbox->queued(cp1, maxFillMessages).size(), acknowledged + 1);
        m_clock.advance(0);
        QCOMPARE(
            eventKinds(m_fresh->db), (QStringList {QStringLiteral("StorageFull"), QStringLiteral("StorageAvailable")}));
        const EventRecord available = EventRepository(m_fresh->db).recent(QString(), 1).value(0);
        QCOMPARE(available.details.value(QStringLiteral("refusedWrites")).toInt(), 1);
        QCOMPARE(available.details.value(QStringLiteral("maxDatabaseBytes")).toInteger(), 2 * megabyte);
        QCOMPARE(available.details.value(QStringLiteral("fullSince")).toString(),
            m_clock.nowUtc().toString(Qt::ISODateWithMs));
    }

    // The message log binds through SQLite's own interface (sql::NativeStatement): a full database fails its batch
    // as a whole, counted like any refused write, and the next batch goes in once there is room.
    void aMessageLogBatchThatDoesNotFitIsRefusedWhole()
    {
        OutboxWriter writer(*m_outbox);
        fillToTheLimit(writer);
        QVERIFY(m_fresh->db.space().full);

        MessageLogRepository log(m_fresh->db, 100000);
        QList<MessageLogEntry> batch;
        for (int n = 0; n < 2000; ++n)
            batch.append({0, QDateTime(QDate(2026, 3, 3), QTime(8, 0), Qt::UTC), cp1, QStringLiteral("in"), 2,
                QStringLiteral("log-%1").arg(n), QStringLiteral("MeterValues"), 300});
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("append message log failed: database or disk is full")));
        QVERIFY(!log.append(batch));
        QCOMPARE(m_fresh->db.space().refusedWrites, 2);
        QVERIFY(log.recent().isEmpty());

        QCOMPARE(m_fresh->db.limitSize(m_clock, 2 * megabyte), std::nullopt);
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("storage has room again")));
        QVERIFY(log.append(batch));
        QVERIFY(!m_fresh->db.space().full);
        QCOMPARE(log.recent(QString(), 1).value(0).uniqueId, QStringLiteral("log-1999"));
    }

    void withoutALimitTheDatabaseGrowsPastTheOldOne()
    {
        OutboxWriter writer(*m_outbox);
        QCOMPARE(m_fresh->db.limitSize(m_clock, std::nullopt), std::nullopt);
        for (int i = 0; i < 200; ++i)
            QVERIFY(commitOne(writer, largeMessage()));
        QVERIFY(!m_fresh->db.space().full);
    }

private:
    // Commits outbox messages until the database refuses one; how many it took.
    static int fillToTheLimit(OutboxWriter& writer)
    {
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("storage is full")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("database or disk is full")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("outbox commit failed")));
        int acknowledged = 0;
        while (acknowledged < maxFillMessages && commitOne(writer, largeMessage()))
            ++acknowledged;
        return acknowledged;
    }

    ManualClock m_clock;
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<OutboxRepository> m_outbox;
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
