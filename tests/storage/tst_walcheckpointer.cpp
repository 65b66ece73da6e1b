#include "core/clock.h"
#include "storage/eventrepository.h"
#include "storage/walcheckpointer.h"
#include "testdatabase.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace linkray;
using namespace linkray::storage;

namespace {

constexpr qint64 delayMs = 200;

bool appendEvents(Database& db, int count, int firstNumber = 0)
{
    EventRepository events(db);
    for (int i = 0; i < count; ++i) {
        EventRecord event;
        event.at = QDateTime::fromMSecsSinceEpoch(1'780'000'000'000 + i, Qt::UTC);
        event.chargePointId = QStringLiteral("");
        event.kind = QStringLiteral("Test");
        event.details = {{QStringLiteral("number"), firstNumber + i}};
        if (!events.append(event))
            return false;
    }
    return true;
}

// What a copy of the database file alone holds: only what has been checkpointed out of the WAL.
int eventsInFileAlone(const QString& databasePath, const QString& copyPath)
{
    if (!QFile::copy(databasePath, copyPath))
        return -1;
    int count = -1;
    {
        QSqlDatabase copy = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("file alone"));
        copy.setDatabaseName(copyPath);
        if (copy.open()) {
            QSqlQuery query(copy);
            if (query.exec(QStringLiteral("SELECT count(*) FROM events WHERE kind = 'Test'")) && query.next())
                count = query.value(0).toInt();
        }
        copy.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("file alone"));
    return count;
}

// A fresh database whose checkpoints run on the checkpointer's thread. The schema the migrations wrote goes into the
// file first, so that a copy of the file alone can be read.
struct CheckpointedDatabase {
    ManualClock clock; // outlives the database, whose checkpointer holds one of its timers
    TestDatabase test;
    Database& db = test.db;
    std::optional<QString> error = start();

    std::optional<QString> start()
    {
        if (test.openError)
            return test.openError;
        QSqlQuery truncate(db.connection());
        if (!truncate.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
            return truncate.lastError().text();
        return db.checkpointInBackground(clock, {delayMs});
    }
    int eventsInFileAlone(const QString& copyName)
    {
        return ::eventsInFileAlone(test.path(), test.directory.filePath(copyName));
    }
};

CheckpointResult nextCheckpoint(QSignalSpy& spy)
{
    if (!spy.wait(10000))
        return {};
    return spy.takeFirst().at(0).value<CheckpointResult>();
}

} // namespace

class TestWalCheckpointer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commitsReachTheDatabaseFileAfterTheDelay();
    void writesGoOnWhileCheckpointsRun();
    void theEventLoopsConnectionLeavesCheckpointsToTheThread();
};

void TestWalCheckpointer::commitsReachTheDatabaseFileAfterTheDelay()
{
    CheckpointedDatabase database;
    QVERIFY2(!database.error, qPrintable(database.error.value_or(QString())));
    QSignalSpy checkpointed(database.db.checkpointer(), &WalCheckpointer::checkpointed);

    QVERIFY(appendEvents(database.db, 50));
    QCOMPARE(database.eventsInFileAlone(QStringLiteral("before.db")), 0);

    database.clock.advance(delayMs);
    const CheckpointResult result = nextCheckpoint(checkpointed);
    QVERIFY(result.ok);
    QVERIFY(result.walFrames > 0);
    QCOMPARE(result.checkpointedFrames, result.walFrames);
    QCOMPARE(database.eventsInFileAlone(QStringLiteral("after.db")), 50);
}

void TestWalCheckpointer::writesGoOnWhileCheckpointsRun()
{
    CheckpointedDatabase database;
    QVERIFY2(!database.error, qPrintable(database.error.value_or(QString())));
    QSignalSpy checkpointed(database.db.checkpointer(), &WalCheckpointer::checkpointed);

    constexpr int rounds = 20;
    constexpr int perRound = 100;
    for (int round = 0; round < rounds; ++round) {
        QVERIFY(appendEvents(database.db, perRound, round * perRound));
        database.clock.advance(delayMs);
        // Writes of the next round race the checkpoint just requested on the other thread.
        QVERIFY(appendEvents(database.db, 1, -1 - round));
        const CheckpointResult result = nextCheckpoint(checkpointed);
        QVERIFY2(result.ok, qPrintable(QStringLiteral("round %1").arg(round)));
    }
    database.clock.advance(delayMs);
    QVERIFY(nextCheckpoint(checkpointed).ok);

    QSqlQuery query(database.db.connection());
    QVERIFY(query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("ok"));
    QVERIFY(database.test.reopen() == std::nullopt);
    QSqlQuery count(database.db.connection());
    QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM events WHERE kind = 'Test'")) && count.next());
    QCOMPARE(count.value(0).toInt(), rounds * perRound + rounds);
}

void TestWalCheckpointer::theEventLoopsConnectionLeavesCheckpointsToTheThread()
{
    CheckpointedDatabase database;
    QVERIFY2(!database.error, qPrintable(database.error.value_or(QString())));

    // SQLite's default would checkpoint inside the commit that passes 1,000 WAL pages (4 MB): write 8 MB.
    {
        EventRepository events(database.db);
        EventRecord large;
        large.at = QDateTime::fromMSecsSinceEpoch(1'780'000'000'000, Qt::UTC);
        large.chargePointId = QStringLiteral("");
        large.kind = QStringLiteral("Test");
        large.details = {{QStringLiteral("padding"), QString(100'000, QLatin1Char('x'))}};
        for (int i = 0; i < 80; ++i)
            QVERIFY(events.append(large));
    }
    QCOMPARE(database.eventsInFileAlone(QStringLiteral("copy.db")), 0);
}

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
