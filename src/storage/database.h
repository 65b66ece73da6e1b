#pragma once

#include "storage/sqlsupport.h"
#include "storage/walcheckpointer.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

namespace linkray {
class Clock;
class Timer;
} // namespace linkray

// The SQLite database in the data directory: opened in WAL mode with synchronous=FULL, migrated on open.
namespace linkray::storage {

// Whether writes are refused for want of room (docs/robustness.md, "Disk full").
struct SpaceStatus {
    bool full = false;
    std::optional<QDateTime> fullSince; // set when a clock was given to limitSize()
    qint64 refusedWrites = 0; // statements that met SQLITE_FULL in this episode
    std::optional<qint64> maxBytes; // storage.maxDatabaseMegabytes; unset = only the disk limits the database
};

class Database : private sql::SpaceWatcher {
public:
    // Opens (creating if needed) `filePath` and migrates it to the latest schema version.
    // Returns an error message on failure (cannot open, newer schema than this build, migration failed).
    static std::optional<QString> open(Database& db, const QString& filePath);
    // For tests of migrations: migrate only up to `version`.
    static std::optional<QString> openAtVersion(Database& db, const QString& filePath, int version);
    // Where the database lives in LinkRay's data directory: <dataDirectory>/linkray.db.
    static QString filePathIn(const QString& dataDirectory);

    Database();
    ~Database() override;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    QSqlDatabase& connection() { return m_db; }
    int schemaVersion() const;
    static int latestSchemaVersion();
    QString filePath() const { return m_filePath; }
    bool isOpen() const { return m_db.isOpen(); }
    void close();

    // Caps the database file at `maxBytes` (nullopt = no cap but the disk's) with PRAGMA max_page_count: a write
    // that needs more pages then fails with SQLITE_FULL, exactly as on a full disk. From now on the moments writes
    // start failing for want of room and succeed again are recorded as StorageFull / StorageAvailable events stamped
    // by `clock`. A cap below the current size holds the database at its current size.
    std::optional<QString> limitSize(Clock& clock, std::optional<qint64> maxBytes);
    const SpaceStatus& space() const { return m_space; }

    // From now on a thread of its own copies the WAL into the database file (WalCheckpointer); this connection
    // checkpoints only when the WAL outgrows a backstop, should that thread fall behind.
    std::optional<QString> checkpointInBackground(Clock& clock, WalCheckpointer::Options options = {});
    WalCheckpointer* checkpointer() { return m_checkpointer.get(); }
    // What a charger is told when a write it depends on failed: names a full storage when that is the cause.
    QString writeFailureReason() const;

private:
    void writeFailedFull() override;
    void writeCommitted() override;
    struct SpaceEvent {
        QDateTime at;
        QString kind;
        QJsonObject details;
    };

    std::optional<qint64> pragmaValue(const QString& pragma);
    bool hasRoomAgain();
    bool setMaxPageCount(qint64 pages);
    void queueSpaceEvent(const QString& kind, QJsonObject details);
    void writeSpaceEvents();

    QString m_connectionName;
    QString m_filePath;
    QSqlDatabase m_db;
    Clock* m_clock = nullptr;
    std::unique_ptr<Timer> m_spaceEventTimer;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    QList<SpaceEvent> m_pendingSpaceEvents;
    SpaceStatus m_space;
    std::optional<qint64> m_limitPages;
    qint64 m_pageSize = 0;
    bool m_writingSpaceEvents = false;
};

} // namespace linkray::storage
