#include "storage/database.h"

#include "core/clock.h"
#include "storage/eventrepository.h"
#include "storage/logging.h"
#include "storage/migrations.h"
#include "storage/sqlsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>

#include <atomic>
#include <utility>

namespace linkray::storage {

namespace {

constexpr int busyTimeoutMs = 5000;
// Kept below the configured size limit so that the StorageFull event itself still has room (docs/robustness.md).
constexpr qint64 spaceEventReservePages = 8;
// Full lasts until at least this much is free again, so that a small row that still fits in a page does not end it.
constexpr qint64 roomAgainBytes = 256 * 1024;
// With checkpoints on their own thread, the event loop's connection checkpoints only past this many WAL pages
// (SQLite's default is 1,000): about 40 MB with 4 KiB pages, reached only if that thread falls behind.
constexpr int backstopCheckpointPages = 10000;
// SQLite's largest max_page_count; a larger value is clamped to the build's own maximum.
constexpr qint64 unlimitedPages = 4294967294;

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

std::optional<QString> Database::limitSize(Clock& clock, std::optional<qint64> maxBytes)
{
    if (m_clock != &clock) {
        m_clock = &clock;
        m_spaceEventTimer = clock.createTimer();
        m_spaceEventTimer->setSingleShot(true);
        QObject::connect(m_spaceEventTimer.get(), &Timer::timeout, [this] { writeSpaceEvents(); });
    }
    m_space.maxBytes = maxBytes;
    m_limitPages.reset();
    if (!maxBytes) {
        if (!setMaxPageCount(unlimitedPages))
            return QStringLiteral("cannot lift the size limit of %1").arg(m_filePath);
        return std::nullopt;
    }
    const std::optional<qint64> pageSize = pragmaValue(QStringLiteral("PRAGMA page_size"));
    const std::optional<qint64> pageCount = pragmaValue(QStringLiteral("PRAGMA page_count"));
    if (!pageSize || *pageSize <= 0 || !pageCount)
        return QStringLiteral("cannot read the page size of %1").arg(m_filePath);
    m_pageSize = *pageSize;
    m_limitPages = *maxBytes / *pageSize;
    if (!setMaxPageCount(*m_limitPages - spaceEventReservePages))
        return QStringLiteral("cannot limit %1 to %2 bytes").arg(m_filePath).arg(*maxBytes);
    if (*pageCount >= *m_limitPages - spaceEventReservePages) {
        qCWarning(lcStorage,
            "the database is %lld bytes, at or above its limit of %lld bytes: writes that need more "
            "room will be refused until storage.maxDatabaseMegabytes is raised",
            *pageCount * *pageSize, *maxBytes);
    }
    return std::nullopt;
}

QString Database::writeFailureReason() const
{
    if (m_space.full)
        return QStringLiteral("storage is full");
    return QStringLiteral("storage failed");
}

void Database::writeFailedFull()
{
    if (m_writingSpaceEvents)
        return;
    ++m_space.refusedWrites;
    if (m_space.full)
        return;
    m_space.full = true;
    if (m_clock)
        m_space.fullSince = m_clock->nowUtc();
    qCCritical(lcStorage, "storage is full (%s): LinkRay refuses what it cannot store until there is room again",
        m_limitPages ? "the database reached storage.maxDatabaseMegabytes" : "the disk holding the database is full");
    queueSpaceEvent(QStringLiteral("StorageFull"), {});
}

bool Database::hasRoomAgain()
{
    if (!m_limitPages)
        return QStorageInfo(QFileInfo(m_filePath).absolutePath()).bytesAvailable() >= roomAgainBytes;
    const std::optional<qint64> pageCount = pragmaValue(QStringLiteral("PRAGMA page_count"));
    const std::optional<qint64> freePages = pragmaValue(QStringLiteral("PRAGMA freelist_count"));
    if (!pageCount || !freePages)
        return false;
    return (*m_limitPages - spaceEventReservePages - *pageCount + *freePages) * m_pageSize >= roomAgainBytes;
}

std::optional<QString> Database::checkpointInBackground(Clock& clock, WalCheckpointer::Options options)
{
    QSqlQuery query(m_db);
    if (!sql::execute(query, QStringLiteral("PRAGMA wal_autocheckpoint = %1").arg(backstopCheckpointPages), {},
            "raise the automatic checkpoint"))
        return QStringLiteral("cannot configure checkpoints of %1").arg(m_filePath);
    m_checkpointer = std::make_unique<WalCheckpointer>(clock, m_filePath, options);
    return std::nullopt;
}

void Database::writeCommitted()
{
    if (m_checkpointer)
        m_checkpointer->walGrew();
    if (!m_space.full || !hasRoomAgain())
        return;
    qCInfo(lcStorage, "storage has room again: %lld writes were refused while it was full", m_space.refusedWrites);
    QJsonObject details {{QStringLiteral("refusedWrites"), m_space.refusedWrites}};
    if (m_space.fullSince)
        details.insert(QStringLiteral("fullSince"), m_space.fullSince->toString(Qt::ISODateWithMs));
    m_space.full = false;
    m_space.fullSince.reset();
    m_space.refusedWrites = 0;
    queueSpaceEvent(QStringLiteral("StorageAvailable"), details);
}

std::optional<qint64> Database::pragmaValue(const QString& pragma)
{
    const std::optional<QVariant> value = queryValue(m_db, pragma, "read database size");
    if (!value)
        return std::nullopt;
    return value->toLongLong();
}

bool Database::setMaxPageCount(qint64 pages)
{
    QSqlQuery query(m_db);
    return sql::execute(query, QStringLiteral("PRAGMA max_page_count = %1").arg(pages), {}, "limit database size");
}

// Written on the next turn of the event loop: the write that met SQLITE_FULL may still be inside its transaction,
// whose rollback would take the event with it.
void Database::queueSpaceEvent(const QString& kind, QJsonObject details)
{
    if (!m_clock)
        return;
    if (m_limitPages)
        details.insert(QStringLiteral("maxDatabaseBytes"), *m_space.maxBytes);
    m_pendingSpaceEvents.append({m_clock->nowUtc(), kind, details});
    m_spaceEventTimer->start(0);
}

void Database::writeSpaceEvents()
{
    m_writingSpaceEvents = true;
    if (m_limitPages)
        setMaxPageCount(*m_limitPages);
    for (const SpaceEvent& pending : std::exchange(m_pendingSpaceEvents, {})) {
        EventRecord event;
        event.at = pending.at;
        event.chargePointId = QStringLiteral(""); // the site's, not a charger's: empty, as the column is NOT NULL
        event.kind = pending.kind;
        event.details = pending.details;
        if (!EventRepository(*this).append(event))
            qCWarning(lcStorage, "the %s event could not be recorded", qPrintable(pending.kind));
    }
    // SQLite keeps max_page_count at least at the current size: the reserve shrinks only by what the events took.
    if (m_limitPages)
        setMaxPageCount(*m_limitPages - spaceEventReservePages);
    m_writingSpaceEvents = false;
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
    sql::watchSpace(db.m_db.driver(), &db);
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
    m_checkpointer.reset();
    if (!m_db.isValid())
        return;
    sql::unwatchSpace(m_db.driver());
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_filePath.clear();
}

} // namespace linkray::storage
