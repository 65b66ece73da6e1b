#include "storage/sqlsupport.h"

#include "storage/logging.h"

#include <QHash>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>

namespace linkray::storage::sql {

namespace {

// SQLite's result code; QSQLITE reports it as the native error code.
const QString SqliteFull = QStringLiteral("13");

// One event loop thread uses the database connections (Qt's rule for QSqlDatabase), so no lock.
QHash<const QSqlDriver*, SpaceWatcher*>& spaceWatchers()
{
    static QHash<const QSqlDriver*, SpaceWatcher*> watchers;
    return watchers;
}

SpaceWatcher* watcherOf(const QSqlDriver* driver)
{
    return spaceWatchers().value(driver, nullptr);
}

// How many WriteTransactions are open on a connection, kept on its driver so that every connection counts its own.
const char* const kWriteDepth = "linkray_write_depth";

int writeDepth(const QSqlDriver* driver)
{
    return driver->property(kWriteDepth).toInt();
}

int writeDepth(const QSqlDatabase& db)
{
    return writeDepth(db.driver());
}

void changeWriteDepth(QSqlDatabase& db, int by)
{
    db.driver()->setProperty(kWriteDepth, writeDepth(db) + by);
}

// Outside a WriteTransaction such a statement is a commit of its own (autocommit).
bool changesRows(const QString& statement)
{
    static const QRegularExpression dataChange(
        QStringLiteral("^\\s*(INSERT|UPDATE|DELETE|REPLACE)\\b"), QRegularExpression::CaseInsensitiveOption);
    return dataChange.match(statement).hasMatch();
}

} // namespace

bool isFullError(const QSqlError& error)
{
    return error.nativeErrorCode() == SqliteFull;
}

void watchSpace(const QSqlDriver* driver, SpaceWatcher* watcher)
{
    spaceWatchers().insert(driver, watcher);
}

void unwatchSpace(const QSqlDriver* driver)
{
    spaceWatchers().remove(driver);
}

bool execute(QSqlQuery& query, const QString& statement, const QVariantList& values, const char* purpose)
{
    // A query that runs the same statement again (a batch in a loop) keeps its prepared form: parsing the statement
    // was most of the cost of a small INSERT (docs/performance.md).
    if (query.lastQuery() != statement && !query.prepare(statement)) {
        qCWarning(lcStorage, "%s: cannot prepare statement: %s", purpose, qPrintable(query.lastError().text()));
        return false;
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(static_cast<int>(i), values[i]);
    if (!query.exec()) {
        qCWarning(lcStorage, "%s failed: %s", purpose, qPrintable(query.lastError().text()));
        if (SpaceWatcher* watcher = watcherOf(query.driver()); watcher && isFullError(query.lastError()))
            watcher->writeFailedFull();
        return false;
    }
    if (SpaceWatcher* watcher = watcherOf(query.driver());
        watcher && writeDepth(query.driver()) == 0 && changesRows(statement))
        watcher->writeCommitted();
    return true;
}

WriteTransaction::WriteTransaction(QSqlDatabase& db, const char* purpose)
    : m_db(db)
    , m_purpose(purpose)
    , m_nested(writeDepth(db) > 0)
{
    QSqlQuery begin(m_db);
    m_open = execute(
        begin, m_nested ? QStringLiteral("SAVEPOINT nested_write") : QStringLiteral("BEGIN IMMEDIATE"), {}, m_purpose);
    if (m_open)
        changeWriteDepth(m_db, +1);
}

WriteTransaction::~WriteTransaction()
{
    if (!m_open)
        return;
    changeWriteDepth(m_db, -1);
    QSqlQuery rollback(m_db);
    if (!m_nested) {
        execute(rollback, QStringLiteral("ROLLBACK"), {}, m_purpose);
        return;
    }
    QSqlQuery release(m_db);
    if (execute(rollback, QStringLiteral("ROLLBACK TO nested_write"), {}, m_purpose))
        execute(release, QStringLiteral("RELEASE nested_write"), {}, m_purpose);
}

bool WriteTransaction::commit()
{
    if (!m_open)
        return false;
    QSqlQuery commitQuery(m_db);
    if (!execute(
            commitQuery, m_nested ? QStringLiteral("RELEASE nested_write") : QStringLiteral("COMMIT"), {}, m_purpose))
        return false;
    m_open = false;
    changeWriteDepth(m_db, -1);
    if (SpaceWatcher* watcher = watcherOf(m_db.driver()); watcher && !m_nested)
        watcher->writeCommitted();
    return true;
}

UnsyncedCommits::UnsyncedCommits(QSqlDatabase& db)
    : m_db(db)
{
    QSqlQuery query(m_db);
    if (execute(query, QStringLiteral("PRAGMA synchronous"), {}, "read the sync level") && query.next())
        m_level = query.value(0).toInt();
    QSqlQuery relax(m_db);
    execute(relax, QStringLiteral("PRAGMA synchronous = NORMAL"), {}, "relax the sync level");
}

UnsyncedCommits::~UnsyncedCommits()
{
    QSqlQuery restore(m_db);
    execute(restore, QStringLiteral("PRAGMA synchronous = %1").arg(m_level), {}, "restore the sync level");
}

bool ensureChargePoint(QSqlDatabase& db, const QString& chargePointId)
{
    QSqlQuery query(db);
    return execute(query, QStringLiteral("INSERT OR IGNORE INTO charge_points (id) VALUES (?)"), {chargePointId},
        "create charge point row");
}

QVariant fromTime(const QDateTime& time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant();
}

QVariant fromTime(const std::optional<QDateTime>& time)
{
    return time ? fromTime(*time) : QVariant();
}

QDateTime toTime(const QVariant& column)
{
    return column.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(column.toLongLong(), Qt::UTC);
}

std::optional<QDateTime> toOptionalTime(const QVariant& column)
{
    if (column.isNull())
        return std::nullopt;
    return toTime(column);
}

} // namespace linkray::storage::sql
