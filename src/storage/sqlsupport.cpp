#include "storage/sqlsupport.h"

#include "storage/logging.h"

#include <QHash>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

namespace linkray::storage::sql {

namespace {

// SQLite's result code; QSQLITE reports it as the native error code.
const QString SqliteFull = QStringLiteral("13");

// What the helpers below keep per connection, keyed by its driver. One event loop thread uses the database
// connections (Qt's rule for QSqlDatabase), so no lock. An entry lives while a watcher is set or a write is open.
struct ConnectionState {
    SpaceWatcher* watcher = nullptr;
    int writeDepth = 0; // how many WriteTransactions are open on the connection
};

QHash<const QSqlDriver*, ConnectionState>& connectionStates()
{
    static QHash<const QSqlDriver*, ConnectionState> states;
    return states;
}

ConnectionState stateOf(const QSqlDriver* driver)
{
    return connectionStates().value(driver);
}

void forgetIfIdle(QHash<const QSqlDriver*, ConnectionState>::iterator state)
{
    if (!state->watcher && state->writeDepth == 0)
        connectionStates().erase(state);
}

int writeDepth(const QSqlDatabase& db)
{
    return stateOf(db.driver()).writeDepth;
}

void changeWriteDepth(QSqlDatabase& db, int by)
{
    auto state = connectionStates().find(db.driver());
    if (state == connectionStates().end())
        state = connectionStates().insert(db.driver(), {});
    state->writeDepth += by;
    forgetIfIdle(state);
}

// Outside a WriteTransaction such a statement is a commit of its own (autocommit). Runs after every statement that
// has a watcher, so a plain comparison of the first word rather than a regular expression.
bool changesRows(const QString& statement)
{
    static const QLatin1String rowChanges[]
        = {QLatin1String("INSERT"), QLatin1String("UPDATE"), QLatin1String("DELETE"), QLatin1String("REPLACE")};
    const QStringView trimmed = QStringView(statement).trimmed();
    for (const QLatin1String& keyword : rowChanges) {
        if (trimmed.startsWith(keyword, Qt::CaseInsensitive)
            && (trimmed.size() == keyword.size() || !trimmed[keyword.size()].isLetterOrNumber()))
            return true;
    }
    return false;
}

} // namespace

bool isFullError(const QSqlError& error)
{
    return error.nativeErrorCode() == SqliteFull;
}

void watchSpace(const QSqlDriver* driver, SpaceWatcher* watcher)
{
    connectionStates()[driver].watcher = watcher;
}

void unwatchSpace(const QSqlDriver* driver)
{
    if (auto state = connectionStates().find(driver); state != connectionStates().end()) {
        state->watcher = nullptr;
        forgetIfIdle(state);
    }
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
        if (SpaceWatcher* watcher = stateOf(query.driver()).watcher; watcher && isFullError(query.lastError()))
            watcher->writeFailedFull();
        return false;
    }
    if (const ConnectionState state = stateOf(query.driver());
        state.watcher && state.writeDepth == 0 && changesRows(statement))
        state.watcher->writeCommitted();
    return true;
}

namespace {

// The connection QSQLITE opened (the same libsqlite3 as ours: Debian's plugin links the system library).
sqlite3* nativeConnection(const QSqlDatabase& db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

} // namespace

NativeStatement::NativeStatement(const QSqlDatabase& db, const char* statement, const char* purpose)
    : m_driver(db.driver())
    , m_purpose(purpose)
    , m_connection(nativeConnection(db))
{
    if (!m_connection) {
        qCWarning(lcStorage, "%s: the connection is not SQLite's", purpose);
        return;
    }
    if (sqlite3_prepare_v2(m_connection, statement, -1, &m_statement, nullptr) != SQLITE_OK) {
        qCWarning(lcStorage, "%s: cannot prepare statement: %s", purpose, sqlite3_errmsg(m_connection));
        m_statement = nullptr;
    }
}

NativeStatement::~NativeStatement()
{
    sqlite3_finalize(m_statement);
}

NativeStatement& NativeStatement::bind(int placeholder, qint64 value)
{
    if (m_statement && m_bindResult == SQLITE_OK)
        m_bindResult = sqlite3_bind_int64(m_statement, placeholder, value);
    return *this;
}

NativeStatement& NativeStatement::bind(int placeholder, const QString& value)
{
    if (!m_statement || m_bindResult != SQLITE_OK)
        return *this;
    m_bindResult = value.isNull() ? sqlite3_bind_null(m_statement, placeholder)
                                  : sqlite3_bind_text16(m_statement, placeholder, value.utf16(),
                                      static_cast<int>(value.size() * sizeof(QChar)), SQLITE_STATIC);
    return *this;
}

bool NativeStatement::run()
{
    if (!m_statement)
        return false;
    const int result = m_bindResult == SQLITE_OK ? sqlite3_step(m_statement) : m_bindResult;
    m_bindResult = SQLITE_OK;
    if (result != SQLITE_DONE)
        qCWarning(lcStorage, "%s failed: %s", m_purpose, sqlite3_errmsg(m_connection));
    sqlite3_reset(m_statement);
    if (result != SQLITE_DONE) {
        if (SpaceWatcher* watcher = stateOf(m_driver).watcher; watcher && (result & 0xff) == SQLITE_FULL)
            watcher->writeFailedFull();
        return false;
    }
    if (const ConnectionState state = stateOf(m_driver); state.watcher && state.writeDepth == 0)
        state.watcher->writeCommitted();
    return true;
}

qint64 NativeStatement::lastInsertId() const
{
    return m_connection ? sqlite3_last_insert_rowid(m_connection) : 0;
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
    if (SpaceWatcher* watcher = stateOf(m_db.driver()).watcher; watcher && !m_nested)
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
