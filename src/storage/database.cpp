#include "storage/database.h"

#include "storage/logging.h"
#include "storage/migrations.h"
#include "storage/sqlsupport.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace linkray::storage {

namespace {

constexpr int busyTimeoutMs = 5000;

QString nextConnectionName()
{
    static std::atomic<int> counter {0};
    return QStringLiteral("linkray.storage.%1").arg(counter++);
}

std::optional<QVariant> queryValue(QSqlDatabase& db, const QString& statement, const char* purpose)
{
    QSqlQuery query(db);
    if (!sql::execute(query, statement, {}, purpose) || !query.next())
        return std::nullopt;
    return query.value(0);
}

std::optional<QString> applyMigration(QSqlDatabase& db, const Migration& migration)
{
    const auto failure = QStringLiteral("migration %1 (%2) failed")
                             .arg(migration.version)
                             .arg(QString::fromUtf8(migration.description));
    sql::WriteTransaction transaction(db, "apply migration");
    if (!transaction.isOpen())
        return failure;
    for (const char* statement : migration.statements) {
        QSqlQuery query(db);
        if (!sql::execute(query, QString::fromUtf8(statement), {}, "migration statement"))
            return failure + QStringLiteral(": ") + query.lastError().text();
    }
    QSqlQuery setVersion(db);
    if (!sql::execute(
            setVersion, QStringLiteral("PRAGMA user_version = %1").arg(migration.version), {}, "set schema version")
        || !transaction.commit())
        return failure;
    qCInfo(lcStorage, "applied migration %d: %s", migration.version, migration.description);
    return std::nullopt;
}

// Connection settings and the version check come before anything that could write to the file, so that a
// database from a newer build is left exactly as it was.
std::optional<QString> prepareConnection(QSqlDatabase& db, const QString& filePath, int& version)
{
    QSqlQuery busy(db);
    if (!sql::execute(busy, QStringLiteral("PRAGMA busy_timeout = %1").arg(busyTimeoutMs), {}, "set busy timeout"))
        return QStringLiteral("cannot use %1: %2").arg(filePath, busy.lastError().text());
    const auto userVersion = queryValue(db, QStringLiteral("PRAGMA user_version"), "read schema version");
    if (!userVersion)
        return QStringLiteral("cannot read the schema version of %1").arg(filePath);
    version = userVersion->toInt();
    if (version > Database::latestSchemaVersion())
        return QStringLiteral("%1 has schema version %2, newer than this build's latest (%3): refusing to open it; "
                              "run a LinkRay version that knows it or restore a backup")
            .arg(filePath)
            .arg(version)
            .arg(Database::latestSchemaVersion());

    const auto journalMode = queryValue(db, QStringLiteral("PRAGMA journal_mode = WAL"), "set journal mode");
    if (!journalMode || journalMode->toString() != QLatin1String("wal"))
        return QStringLiteral("cannot switch %1 to WAL journal mode").arg(filePath);
    for (const auto& pragma :
        {QStringLiteral("PRAGMA synchronous = FULL"), QStringLiteral("PRAGMA foreign_keys = ON")}) {
        QSqlQuery query(db);
        if (!sql::execute(query, pragma, {}, "set connection pragma"))
            return QStringLiteral("cannot configure %1: %2").arg(filePath, query.lastError().text());
    }
    return std::nullopt;
}

} // namespace

Database::Database()
    : m_connectionName(nextConnectionName())
{
}

Database::~Database()
{
    close();
}

std::optional<QString> Database::open(Database& db, const QString& filePath)
{
    return openAtVersion(db, filePath, latestSchemaVersion());
}

std::optional<QString> Database::openAtVersion(Database& db, const QString& filePath, int version)
{
    db.close();
    db.m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db.m_connectionName);
    db.m_db.setDatabaseName(filePath);
    std::optional<QString> error;
    int currentVersion = 0;
    if (!db.m_db.open())
        error = QStringLiteral("cannot open %1: %2").arg(filePath, db.m_db.lastError().text());
    else
        error = prepareConnection(db.m_db, filePath, currentVersion);
    for (const Migration& migration : migrations()) {
        if (error || migration.version > version)
            break;
        if (migration.version > currentVersion)
            error = applyMigration(db.m_db, migration);
    }
    if (error) {
        qCWarning(lcStorage, "%s", qPrintable(*error));
        db.close();
        return error;
    }
    db.m_filePath = filePath;
    return std::nullopt;
}

QString Database::filePathIn(const QString& dataDirectory)
{
    return QDir(dataDirectory).filePath(QStringLiteral("linkray.db"));
}

int Database::schemaVersion() const
{
    QSqlQuery query(m_db);
    if (!sql::execute(query, QStringLiteral("PRAGMA user_version"), {}, "read schema version") || !query.next())
        return -1;
    return query.value(0).toInt();
}

int Database::latestSchemaVersion()
{
    return migrations().back().version;
}

void Database::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_filePath.clear();
}

} // namespace linkray::storage
