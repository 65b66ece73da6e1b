#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <memory>

namespace linkray {
class Clock;
class Timer;
} // namespace linkray

namespace linkray::storage {

// What one checkpoint did (SQLite's PRAGMA wal_checkpoint answer).
struct CheckpointResult {
    bool ok = false; // false: the statement failed (logged), nothing is known of the WAL
    int walFrames = 0; // frames in the WAL when it ran
    int checkpointedFrames = 0; // of those, copied into the database file; fewer when a reader still needs the rest
};

class CheckpointWorker;

// Copies the write-ahead log into the database file on a thread of its own. SQLite otherwise does it inside the
// commit that takes the WAL past wal_autocheckpoint pages, on the event loop: during a replay that was dozens of
// checkpoints a second, each writing and fsyncing the database file (2–36 ms on the development VM's disk) while no
// charger was served (docs/performance.md, docs/decisions.md). A checkpoint is PASSIVE: it never waits for the
// event loop's connection, which keeps writing meanwhile.
class WalCheckpointer : public QObject {
    Q_OBJECT
public:
    struct Options {
        // After a commit, the next checkpoint runs within this delay: it bounds the WAL's growth, not its safety (a
        // committed frame in the WAL is as durable as one in the database file).
        qint64 delayMs = 200;
    };

    WalCheckpointer(Clock& clock, const QString& databasePath, Options options);
    ~WalCheckpointer() override; // waits for a checkpoint in progress, then closes the thread's connection

    // A commit on the event loop's connection: the WAL has grown.
    void walGrew();

Q_SIGNALS:
    void checkpointed(const linkray::storage::CheckpointResult& result);

private:
    void requestCheckpoint();
    void checkpointFinished(const CheckpointResult& result);

    Options m_options;
    std::unique_ptr<Timer> m_delay;
    QThread m_thread;
    CheckpointWorker* m_worker = nullptr; // lives in m_thread, deleted when it finishes
    bool m_running = false;
    bool m_grewSinceRequest = false;
};

// Runs in the checkpointer's thread with a connection of its own (a QtSql connection belongs to its thread).
class CheckpointWorker : public QObject {
    Q_OBJECT
public:
    explicit CheckpointWorker(const QString& databasePath);
    ~CheckpointWorker() override;

    void checkpoint();

Q_SIGNALS:
    void finished(const linkray::storage::CheckpointResult& result);

private:
    bool openConnection();

    QString m_databasePath;
    QString m_connectionName;
};

} // namespace linkray::storage

Q_DECLARE_METATYPE(linkray::storage::CheckpointResult)
