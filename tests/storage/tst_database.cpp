#include "storage/repositories.h"
#include "testdatabase.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace linkray::storage;

namespace {

QVariant pragma(Database& db, const QString& name)
{
    QSqlQuery query(db.connection());
    if (!query.exec(QStringLiteral("PRAGMA ") + name) || !query.next())
        return {};
    return query.value(0);
}

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

const QDateTime startedAt(QDate(2026, 3, 1), QTime(8, 30, 15, 250), Qt::UTC);

TransactionRecord sampleTransaction()
{
    TransactionRecord record;
    record.chargePointId = QStringLiteral("CP-1");
    record.connectorId = 1;
    record.idTag = QStringLiteral("TAG-1");
    record.meterStartWh = 1200;
    record.startedAt = startedAt;
    return record;
}

} // namespace

class TestDatabaseOpen : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensAtLatestVersionWithDurablePragmas()
    {
        TestDatabase fresh;
        QVERIFY2(!fresh.openError, qPrintable(fresh.openError.value_or(QString())));
        QVERIFY(fresh.db.isOpen());
        QCOMPARE(fresh.db.schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(fresh.db.filePath(), fresh.path());
        QCOMPARE(pragma(fresh.db, QStringLiteral("journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(pragma(fresh.db, QStringLiteral("synchronous")).toInt(), 2); // FULL
        QCOMPARE(pragma(fresh.db, QStringLiteral("foreign_keys")).toInt(), 1);
        QVERIFY(pragma(fresh.db, QStringLiteral("busy_timeout")).toInt() > 0);
    }

    void livesInTheDataDirectory()
    {
        QCOMPARE(
            Database::filePathIn(QStringLiteral("/var/lib/linkray")), QStringLiteral("/var/lib/linkray/linkray.db"));
    }

    void twoDatabasesAreIndependentConnections()
    {
        TestDatabase first;
        TestDatabase second;
        QVERIFY(!first.openError && !second.openError);
        QVERIFY(TransactionRepository(first.db).start(sampleTransaction()));
        QCOMPARE(TransactionRepository(first.db).active().size(), 1);
        QCOMPARE(TransactionRepository(second.db).active().size(), 0);
    }

    void unusablePathIsAnError_data()
    {
        QTest::addColumn<QString>("relativePath");
        QTest::addRow("parent is a file") << QStringLiteral("file/linkray.db");
        QTest::addRow("missing directory") << QStringLiteral("missing/linkray.db");
        QTest::addRow("path is a directory") << QStringLiteral("directory");
    }

    void unusablePathIsAnError()
    {
        QFETCH(QString, relativePath);
        QTemporaryDir directory;
        QFile file(directory.filePath(QStringLiteral("file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(QDir(directory.path()).mkdir(QStringLiteral("directory")));
        const QString path = directory.filePath(relativePath);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(path)));
        Database db;
        const auto error = Database::open(db, path);
        QVERIFY(error);
        QVERIFY2(error->contains(path), qPrintable(*error));
        QVERIFY(!db.isOpen());
        QVERIFY(!TransactionRepository(db).start(sampleTransaction()));
    }

    void newerSchemaIsRefusedAndLeftUntouched()
    {
        QTemporaryDir directory;
        const QString path = Database::filePathIn(directory.path());
        {
            Database db;
            QVERIFY(!Database::open(db, path));
            QVERIFY(TransactionRepository(db).start(sampleTransaction()));
            QSqlQuery query(db.connection());
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = %1").arg(Database::latestSchemaVersion() + 1)));
        }
        const QByteArray before = fileHash(path);
        QVERIFY(!before.isEmpty());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("newer than this build")));
        Database db;
        const auto error = Database::open(db, path);
        QVERIFY(error);
        QVERIFY2(error->contains(QStringLiteral("schema version %1").arg(Database::latestSchemaVersion() + 1)),
            qPrintable(*error));
        QVERIFY(!db.isOpen());
        QCOMPARE(fileHash(path), before);
    }

    void writesSurviveDestructionWithoutClose()
    {
        QTemporaryDir directory;
        const QString path = Database::filePathIn(directory.path());
        qint64 id = 0;
        {
            Database db;
            QVERIFY(!Database::open(db, path));
            id = TransactionRepository(db).start(sampleTransaction()).value_or(0);
            QVERIFY(ChargePointRepository(db).touch(QStringLiteral("CP-1"), startedAt));
        }
        Database db;
        QVERIFY(!Database::open(db, path));
        const auto transaction = TransactionRepository(db).find(id);
        QVERIFY(transaction);
        QCOMPARE(transaction->startedAt, startedAt);
        QCOMPARE(ChargePointRepository(db).find(QStringLiteral("CP-1"))->lastSeenAt, startedAt);
    }

    // What a kill -9 leaves behind: the files as they are on disk while the process still holds them open.
    void acknowledgedWritesAreInTheFilesBeforeClose()
    {
        TestDatabase live;
        QVERIFY(!live.openError);
        const auto id = TransactionRepository(live.db).start(sampleTransaction());
        QVERIFY(id);
        QVERIFY(TransactionRepository(live.db).stop(*id, 4200, startedAt.addSecs(3600), {}, QStringLiteral("Local")));

        QTemporaryDir snapshot;
        const QString copy = Database::filePathIn(snapshot.path());
        for (const QString& suffix : {QString(), QStringLiteral("-wal")})
            QVERIFY(QFile::copy(live.path() + suffix, copy + suffix));

        Database recovered;
        QVERIFY(!Database::open(recovered, copy));
        const auto transaction = TransactionRepository(recovered).find(*id);
        QVERIFY(transaction);
        QCOMPARE(transaction->meterStopWh.value_or(0), qint64(4200));
        QCOMPARE(transaction->stopReason, QStringLiteral("Local"));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseOpen)
#include "tst_database.moc"
