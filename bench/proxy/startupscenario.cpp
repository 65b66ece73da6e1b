// Start-up with a large database (issue "Evidence of speed and robustness"): linkray creates its schema, the
// benchmark fills the meter values and the message log until the file reaches --database-mb, and linkray starts
// again on it, first with the file out of the page cache (as after a reboot), then with it cached. The baseline is
// the same two starts on the empty database, in the same run.
#include "benchresult.h"
#include "proxyscenario.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace linkray::bench {

namespace {

constexpr qint64 kRowsPerTransaction = 500000;
constexpr qint64 kMessageLogRows = 100000; // storage.messageLogMaxEntries' default: linkray trims nothing at start

// Rows as a site writes them over the years, made by SQLite itself (a recursive CTE) so that the filling takes
// seconds, not the benchmark's CPU. The ids continue from what is there.
const QString kMeterValueChunk = QStringLiteral(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
    "INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, timestamp, measurand, unit, context, "
    "raw_value, value) "
    "SELECT 'CP-' || (1000 + i % 100), 1, i / 120, 1700000000000 + (%2 + i) * 60000, "
    "'Energy.Active.Import.Register', 'Wh', 'Sample.Periodic', CAST(i AS TEXT), i FROM n");
const QString kMessageLogChunk = QStringLiteral(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
    "INSERT INTO message_log (at, charge_point_id, direction, message_type, unique_id, action, size_bytes) "
    "SELECT 1700000000000 + i * 1000, 'CP-' || (1000 + i % 100), CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, "
    "2 + i % 2, 'id-' || i, 'MeterValues', 180 FROM n");

bool execute(QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    if (query.exec(statement))
        return true;
    std::fprintf(stderr, "filling the database: %s\n", qPrintable(query.lastError().text()));
    return false;
}

// Fills linkray's (stopped) database until its file holds `megabytes`. Synchronous off and a rollback journal: the
// filling need not survive a crash, and a WAL would double what is written. linkray turns its WAL on again at start.
void fillDatabase(const QString& path, int megabytes)
{
    const qint64 targetBytes = static_cast<qint64>(megabytes) * 1024 * 1024;
    const QString connectionName = QStringLiteral("bench-fill");
    bool filled = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(path);
        filled = db.open() && execute(db, QStringLiteral("PRAGMA journal_mode=DELETE"))
            && execute(db, QStringLiteral("PRAGMA synchronous=OFF"))
            && execute(db, kMessageLogChunk.arg(kMessageLogRows));
        // Bounded: each chunk adds tens of MB.
        for (qint64 chunk = 0; filled && QFileInfo(path).size() < targetBytes && chunk < 10000; ++chunk) {
            filled = db.transaction()
                && execute(db, kMeterValueChunk.arg(kRowsPerTransaction).arg(chunk * kRowsPerTransaction))
                && db.commit();
        }
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!filled)
        fail(QStringLiteral("could not fill %1").arg(path));
}

// Evicts the file's pages from the page cache (written back first), as after a reboot; no privileges needed.
void dropFromPageCache(const QString& path)
{
    for (const QString& file : {path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
        const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY);
        if (fd < 0)
            continue;
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

struct Starts {
    double coldMs = 0; // launch to listening, database file out of the page cache
    double warmMs = 0;
    qint64 coldReportedMs = 0; // linkray's own "started in"
    qint64 warmReportedMs = 0;
};

Starts coldThenWarm(LinkRayProcess& linkray, const QJsonObject& config)
{
    Starts starts;
    dropFromPageCache(linkray.databasePath());
    if (!linkray.start(config))
        fail(QStringLiteral("linkray did not start"));
    starts.coldMs = linkray.launchToListeningMs();
    starts.coldReportedMs = linkray.reportedStartupMs();
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
    if (!linkray.start(config))
        fail(QStringLiteral("linkray did not start"));
    starts.warmMs = linkray.launchToListeningMs();
    starts.warmReportedMs = linkray.reportedStartupMs();
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
    return starts;
}

} // namespace

void runStartup(const ProxyOptions& options)
{
    // No CSMS: its upstreams retrying play no part in the start.
    const QJsonObject config = onlineConfig(unusedPort());
    LinkRayProcess linkray(options.linkray, options.dataParent);
    if (!linkray.start(config) || !linkray.stop())
        fail(QStringLiteral("linkray did not create its database"));
    const Starts empty = coldThenWarm(linkray, config);

    const qint64 fillStartNs = benchClock().nsecsElapsed();
    fillDatabase(linkray.databasePath(), options.databaseMegabytes);
    const double fillSeconds = secondsSince(fillStartNs);
    const double sizeMb = static_cast<double>(QFileInfo(linkray.databasePath()).size()) / (1024 * 1024);
    const Starts large = coldThenWarm(linkray, config);

    std::printf("\n6. Start-up: launch to listening (linkray's own \"started in\"), in ms\n");
    std::printf("%-28s %18s %18s\n", "", "cold (not cached)", "warm (cached)");
    std::printf("%-28s %11.0f (%4lld) %11.0f (%4lld)\n", "empty database", empty.coldMs,
        static_cast<long long>(empty.coldReportedMs), empty.warmMs, static_cast<long long>(empty.warmReportedMs));
    std::printf("%-28s %11.0f (%4lld) %11.0f (%4lld)\n",
        qPrintable(QStringLiteral("database of %1 MB").arg(sizeMb, 0, 'f', 0)), large.coldMs,
        static_cast<long long>(large.coldReportedMs), large.warmMs, static_cast<long long>(large.warmReportedMs));
    std::printf("(filled in %.0f s: %lld message log rows and meter values)\n", fillSeconds,
        static_cast<long long>(kMessageLogRows));

    printResult(format("start-up, %.0f MB database, not cached (linkray's own figure)", sizeMb),
        format("%.0f ms (%lld)", large.coldMs, static_cast<long long>(large.coldReportedMs)), "",
        format("empty database %.0f ms (%lld)", empty.coldMs, static_cast<long long>(empty.coldReportedMs)),
        std::nullopt);
    printResult(format("start-up, %.0f MB database, cached", sizeMb),
        format("%.0f ms (%lld)", large.warmMs, static_cast<long long>(large.warmReportedMs)), "",
        format("empty database %.0f ms (%lld)", empty.warmMs, static_cast<long long>(empty.warmReportedMs)),
        std::nullopt);
}

} // namespace linkray::bench
