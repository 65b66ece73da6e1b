#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>
#include <QVariantList>

#include <optional>

class QSqlDriver;
class QSqlError;
struct sqlite3;
struct sqlite3_stmt;

// Helpers shared by the repositories: logged statement execution, write transactions and the column formats
// (times are INTEGER milliseconds since the Unix epoch, UTC).
namespace linkray::storage::sql {

// SQLite's "database or disk is full" (SQLITE_FULL): the file system is full, or the database reached its
// max_page_count (storage.maxDatabaseMegabytes).
bool isFullError(const QSqlError& error);

// Told what a connection's writes meet, so that the Database owning it can say when it is full and when it has room
// again, and knows when its WAL grew. writeCommitted() follows every commit: a WriteTransaction's, or that of a row
// change run on its own. Keyed by the connection's driver, which every QSqlQuery on that connection shares.
class SpaceWatcher {
public:
    virtual ~SpaceWatcher() = default;
    virtual void writeFailedFull() = 0;
    virtual void writeCommitted() = 0;
};
void watchSpace(const QSqlDriver* driver, SpaceWatcher* watcher);
void unwatchSpace(const QSqlDriver* driver);

// Prepares `statement`, binds `values` in order and runs it. On failure logs `purpose` with the SQLite error.
bool execute(QSqlQuery& query, const QString& statement, const QVariantList& values, const char* purpose);

// A row change run for many rows through SQLite's own interface, on a QtSql connection. QtSql formats a placeholder
// name for every value it binds: a message log row cost 2.3 times what SQLite itself takes (docs/performance.md).
// For hot batch writes inside a WriteTransaction; everything else goes through execute(). Failures are logged with
// `purpose`, and a full disk is reported to the connection's SpaceWatcher, as execute() does.
class NativeStatement {
public:
    NativeStatement(const QSqlDatabase& db, const char* statement, const char* purpose);
    ~NativeStatement();
    NativeStatement(const NativeStatement&) = delete;
    NativeStatement& operator=(const NativeStatement&) = delete;

    bool isPrepared() const { return m_statement != nullptr; }
    // Placeholders count from 1. A string is not copied: it must live until run(). A null string binds NULL.
    NativeStatement& bind(int placeholder, qint64 value);
    NativeStatement& bind(int placeholder, const QString& value);
    // Runs the statement with the values bound, then makes it ready for the next row.
    bool run();
    qint64 lastInsertId() const;

private:
    const QSqlDriver* m_driver;
    const char* m_purpose;
    sqlite3* m_connection = nullptr;
    sqlite3_stmt* m_statement = nullptr;
    int m_bindResult = 0; // SQLITE_OK, or the first binding's failure
};

// BEGIN IMMEDIATE … COMMIT, rolled back on destruction unless committed. Failures are logged with `purpose`; a
// commit tells the connection's SpaceWatcher that writes succeed. Opened inside another one on the same
// connection, it is a savepoint: its commit becomes durable with the outer one's, so that a batch of writes that
// each use a WriteTransaction costs one commit.
class WriteTransaction {
public:
    WriteTransaction(QSqlDatabase& db, const char* purpose);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    bool isOpen() const { return m_open; }
    bool commit();

private:
    QSqlDatabase& m_db;
    const char* m_purpose;
    bool m_nested;
    bool m_open = false;
};

// The connection's commits skip the fsync while this lives (WAL with synchronous=NORMAL: still atomic and safe from a
// crash of LinkRay; a power cut can lose them until the next commit at the connection's own level, which syncs the
// log they are in). For writes whose loss costs nothing but a repeat or a diagnostic. Restores the level when it goes.
class UnsyncedCommits {
public:
    explicit UnsyncedCommits(QSqlDatabase& db);
    ~UnsyncedCommits();
    UnsyncedCommits(const UnsyncedCommits&) = delete;
    UnsyncedCommits& operator=(const UnsyncedCommits&) = delete;

private:
    QSqlDatabase& m_db;
    int m_level = 2; // FULL, the level Database sets
};

// Creates the charge_points row that other tables refer to, for a charger seen before its BootNotification.
bool ensureChargePoint(QSqlDatabase& db, const QString& chargePointId);

QVariant fromTime(const QDateTime& time);
QVariant fromTime(const std::optional<QDateTime>& time);
QDateTime toTime(const QVariant& column);
std::optional<QDateTime> toOptionalTime(const QVariant& column);

template<typename T> QVariant fromOptional(const std::optional<T>& value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

template<typename T> std::optional<T> toOptional(const QVariant& column)
{
    if (column.isNull())
        return std::nullopt;
    return column.value<T>();
}

} // namespace linkray::storage::sql
