#include "storage/database.h"
#include "storage/migrations.h"
#include "testdatabase.h"

#include <QHash>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace linkray::storage;

namespace {

using Row = QHash<QString, QVariant>; // column name -> value

QStringList userTables(QSqlDatabase& db)
{
    QStringList tables;
    QSqlQuery query(db);
    if (query.exec(QStringLiteral(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))) {
        while (query.next())
            tables.append(query.value(0).toString());
    }
    return tables;
}

// The same value for every column of a type, so that every foreign key finds its parent row.
QVariant seedValueFor(const QString& declaredType)
{
    if (declaredType.contains(QLatin1String("INT"), Qt::CaseInsensitive))
        return qint64(7);
    if (declaredType.contains(QLatin1String("REAL"), Qt::CaseInsensitive))
        return 1.5;
    return QStringLiteral("seed");
}

// Inserts one row into every table of the schema as it is at this version, without knowing that schema.
// Foreign keys are checked once after the upgrade rather than in table order here.
QHash<QString, Row> seedEveryTable(QSqlDatabase& db)
{
    QHash<QString, Row> seeded;
    QSqlQuery foreignKeysOff(db);
    if (!foreignKeysOff.exec(QStringLiteral("PRAGMA foreign_keys = OFF")))
        return {};
    for (const QString& table : userTables(db)) {
        QSqlQuery columns(db);
        if (!columns.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
            return {};
        Row row;
        while (columns.next())
            row.insert(columns.value(1).toString(), seedValueFor(columns.value(2).toString()));
        QStringList placeholders;
        for (int i = 0; i < row.size(); ++i)
            placeholders.append(QStringLiteral("?"));
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                           .arg(table, row.keys().join(QLatin1Char(',')), placeholders.join(QLatin1Char(','))));
        for (const QVariant& value : row)
            insert.addBindValue(value);
        if (!insert.exec())
            return {};
        seeded.insert(table, row);
    }
    return seeded;
}

// How many rows of `table` still hold the seeded values in the columns the table still has.
int matchingRows(QSqlDatabase& db, const QString& table, const Row& seeded)
{
    const QSqlRecord current = db.record(table);
    QStringList conditions;
    QVariantList values;
    for (auto column = seeded.cbegin(); column != seeded.cend(); ++column) {
        if (current.contains(column.key())) {
            conditions.append(column.key() + QStringLiteral(" IS ?"));
            values.append(column.value());
        }
    }
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, conditions.join(QStringLiteral(" AND "))));
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec() || !query.next())
        return -1;
    return query.value(0).toInt();
}

} // namespace

class TestMigrations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionsAreNumberedFromOneWithoutGaps()
    {
        int expected = 1;
        for (const Migration& migration : migrations()) {
            QCOMPARE(migration.version, expected++);
            QVERIFY(!migration.statements.empty());
        }
        QCOMPARE(Database::latestSchemaVersion(), expected - 1);
    }

    void upgradeKeepsRows_data()
    {
        QTest::addColumn<int>("fromVersion");
        for (int version = 0; version < Database::latestSchemaVersion(); ++version)
            QTest::addRow("from version %d", version) << version;
    }

    void upgradeKeepsRows()
    {
        QFETCH(int, fromVersion);
        QTemporaryDir directory;
        const QString path = Database::filePathIn(directory.path());
        QHash<QString, Row> seeded;
        {
            Database old;
            const auto error = Database::openAtVersion(old, path, fromVersion);
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
            QCOMPARE(old.schemaVersion(), fromVersion);
            seeded = seedEveryTable(old.connection());
            QCOMPARE(seeded.size(), userTables(old.connection()).size());
        }

        Database upgraded;
        const auto error = Database::open(upgraded, path);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QCOMPARE(upgraded.schemaVersion(), Database::latestSchemaVersion());
        const QStringList tables = userTables(upgraded.connection());
        for (auto table = seeded.cbegin(); table != seeded.cend(); ++table) {
            if (tables.contains(table.key()))
                QVERIFY2(matchingRows(upgraded.connection(), table.key(), table.value()) == 1, qPrintable(table.key()));
        }
        QSqlQuery violations(upgraded.connection());
        QVERIFY(violations.exec(QStringLiteral("PRAGMA foreign_key_check")));
        QVERIFY(!violations.next());
    }

    // Migration 8: deleting a web user ends its sessions, and a session cannot name a user that does not exist.
    void sessionsGoWithTheirUser()
    {
        TestDatabase fresh;
        QVERIFY(!fresh.openError);
        QSqlQuery query(fresh.db.connection());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO users (name, role, password_hash, created_at, updated_at) "
                                          "VALUES ('ann', 'admin', 'h', 1, 1)")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, "
                                          "last_used_at) VALUES ('t', 'ann', 'c', 1, 1)")));
        QVERIFY(!query.exec(QStringLiteral("INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, "
                                           "last_used_at) VALUES ('u', 'bob', 'c', 1, 1)")));
        QVERIFY(query.exec(QStringLiteral("DELETE FROM users WHERE name = 'ann'")));
        QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM sessions")) && query.next());
        QCOMPARE(query.value(0).toInt(), 0);
    }

    // Migration 7: the proxy keeps messages and ids of a charger that is not in charge_points yet (no foreign keys),
    // and a new outbox row is queued with no attempts.
    void onlineModeRowsNeedNoChargePointRow()
    {
        QTemporaryDir directory;
        const QString path = Database::filePathIn(directory.path());
        {
            Database old;
            QVERIFY(!Database::openAtVersion(old, path, 6));
            QVERIFY(!seedEveryTable(old.connection()).isEmpty());
        }
        Database upgraded;
        QVERIFY(!Database::open(upgraded, path));
        QSqlQuery query(upgraded.connection());
        for (const char* insert : {
                 "INSERT INTO outbox (charge_point_id, unique_id, action, frame, received_at) "
                 "VALUES ('NEW-CP', 'u1', 'BootNotification', '[2,\"u1\",\"BootNotification\",{}]', 1)",
                 "INSERT INTO transaction_id_map (provisional_id, csms_id, charge_point_id, mapped_at) "
                 "VALUES (2000000000, 51, 'NEW-CP', 1)",
                 "INSERT INTO csms_local_list (charge_point_id, id_tag, status) VALUES ('NEW-CP', 'TAG', 'Accepted')",
                 "INSERT INTO csms_local_list_version (charge_point_id, version) VALUES ('NEW-CP', 1)",
             })
            QVERIFY2(query.exec(QString::fromUtf8(insert)), insert);
        QVERIFY(query.exec(QStringLiteral("SELECT state, attempts FROM outbox WHERE charge_point_id = 'NEW-CP'")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("queued"));
        QCOMPARE(query.value(1).toInt(), 0);
        QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM charge_points WHERE id = 'NEW-CP'")) && query.next());
        QCOMPARE(query.value(0).toInt(), 0);
        QVERIFY(query.exec(QStringLiteral("PRAGMA foreign_key_check")));
        QVERIFY(!query.next());
    }

    void reopeningAtLatestChangesNothing()
    {
        TestDatabase fresh;
        QVERIFY(!fresh.openError);
        const QStringList tables = userTables(fresh.db.connection());
        QVERIFY(!fresh.reopen());
        QCOMPARE(fresh.db.schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(userTables(fresh.db.connection()), tables);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
