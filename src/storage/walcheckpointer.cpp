#include "storage/walcheckpointer.h"

#include "core/clock.h"
#include "storage/logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <optional>

namespace linkray::storage {

namespace {

constexpr int busyTimeoutMs = 5000;

QString nextConnectionName()
{
    static std::atomic<int> counter {0};
    return QStringLiteral("linkray.storage.checkpoint.%1").arg(counter++);
}

// Not sql::execute: its registry of space watchers belongs to the event loop's thread. A checkpoint that meets a full
// disk leaves the frames in the WAL, where they are as safe, and the next one tries again.
std::optional<QSqlQuery> run(const QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        qCWarning(lcStorage, "checkpoints: %s failed: %s", qPrintable(statement), qPrintable(query.lastError().text()));
        return std::nullopt;
    }
    return query;
}

} // namespace

WalCheckpointer::WalCheckpointer(Clock& clock, const QString& databasePath, Options options)
    : m_options(options)
    , m_delay(clock.createTimer())
    , m_worker(new CheckpointWorker(databasePath))
{
    qRegisterMetaType<CheckpointResult>();
    m_thread.setObjectName(QStringLiteral("linkray checkpoints"));
    m_delay->setSingleShot(true);
    connect(m_delay.get(), &Timer::timeout, this, &WalCheckpointer::requestCheckpoint);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CheckpointWorker::finished, this, &WalCheckpointer::checkpointFinished);
    m_thread.start();
}

WalCheckpointer::~WalCheckpointer()
{
    m_thread.quit();
    m_thread.wait();
}

void WalCheckpointer::walGrew()
{
    if (m_running)
        m_grewSinceRequest = true;
    else if (!m_delay->isActive())
        m_delay->start(m_options.delayMs);
}

void WalCheckpointer::requestCheckpoint()
{
    m_running = true;
    m_grewSinceRequest = false;
    QMetaObject::invokeMethod(m_worker, &CheckpointWorker::checkpoint, Qt::QueuedConnection);
}

void WalCheckpointer::checkpointFinished(const CheckpointResult& result)
{
    m_running = false;
    if (m_grewSinceRequest)
        m_delay->start(m_options.delayMs);
    Q_EMIT checkpointed(result);
}

CheckpointWorker::CheckpointWorker(const QString& databasePath)
    : m_databasePath(databasePath)
    , m_connectionName(nextConnectionName())
{
}

CheckpointWorker::~CheckpointWorker()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    QSqlDatabase::database(m_connectionName, false).close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool CheckpointWorker::openConnection()
{
    if (QSqlDatabase::contains(m_connectionName))
        return QSqlDatabase::database(m_connectionName, false).isOpen();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_databasePath);
    if (!db.open()) {
        qCWarning(lcStorage, "checkpoints: cannot open %s: %s", qPrintable(m_databasePath),
            qPrintable(db.lastError().text()));
        return false;
    }
    return run(db, QStringLiteral("PRAGMA busy_timeout = %1").arg(busyTimeoutMs)).has_value();
}

void CheckpointWorker::checkpoint()
{
    CheckpointResult result;
    if (openConnection()) {
        const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (std::optional<QSqlQuery> query = run(db, QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
            query && query->next()) {
            result.ok = true;
            result.walFrames = query->value(1).toInt();
            result.checkpointedFrames = query->value(2).toInt();
        }
    }
    Q_EMIT finished(result);
}

} // namespace linkray::storage
