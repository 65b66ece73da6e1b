// The message log's batch commit, which the relay of the frame filling a batch waits for (docs/performance.md,
// "Turn by turn"). Measured: 500 rows as MessageLogRepository writes them (sql::NativeStatement); the baseline, in the
// same run, is the same rows and trim through sql::execute, the QSqlQuery path every other repository takes, also
// without an fsync.
#include "benchresult.h"
#include "storage/database.h"
#include "storage/messagelogrepository.h"
#include "storage/sqlsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace linkray::storage;

namespace {

constexpr int batchSize = 500; // MessageLogWriter's default batch
constexpr int repetitions = 200;
constexpr int maxEntries = 100000;

// A relayed MeterValues CALL of one of 100 chargers, as the proxy logs it.
QList<MessageLogEntry> relayedBatch()
{
    const QDateTime at = QDateTime::currentDateTimeUtc();
    QList<MessageLogEntry> batch;
    for (int n = 0; n < batchSize; ++n)
        batch.append({0, at, QStringLiteral("CP-%1").arg(n % 100, 4, 10, QLatin1Char('0')), QStringLiteral("in"), 2,
            QString::number(100000 + n), QStringLiteral("MeterValues"), 300});
    return batch;
}

bool appendThroughQSqlQuery(Database& db, const QList<MessageLogEntry>& batch)
{
    QSqlDatabase& connection = db.connection();
    const sql::UnsyncedCommits unsynced(connection);
    sql::WriteTransaction transaction(connection, "baseline");
    QSqlQuery insert(connection);
    for (const MessageLogEntry& entry : batch) {
        if (!sql::execute(insert, QStringLiteral(R"(
               INSERT INTO message_log (at, charge_point_id, direction, message_type, unique_id, action, size_bytes)
               VALUES (?, ?, ?, ?, ?, ?, ?))"),
                {sql::fromTime(entry.at), entry.chargePointId, entry.direction, entry.messageType, entry.uniqueId,
                    entry.action, entry.sizeBytes},
                "baseline"))
            return false;
    }
    QSqlQuery trim(connection);
    return sql::execute(trim, QStringLiteral("DELETE FROM message_log WHERE id <= ?"),
               {insert.lastInsertId().toLongLong() - maxEntries}, "baseline")
        && transaction.commit();
}

// Median milliseconds of one batch, the table emptied before each (not timed) so that both start alike.
double medianMs(Database& db, const std::function<bool()>& appendBatch)
{
    std::vector<double> samples;
    for (int rep = 0; rep < repetitions; ++rep) {
        QSqlQuery empty(db.connection());
        sql::execute(empty, QStringLiteral("DELETE FROM message_log"), {}, "empty the message log");
        QElapsedTimer timer;
        timer.start();
        if (!appendBatch())
            std::abort();
        samples.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::nth_element(samples.begin(), samples.begin() + repetitions / 2, samples.end());
    return samples[repetitions / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("linkray.storage.info=false")); // the migrations of a new database
    QTemporaryDir directory;
    Database db;
    if (const std::optional<QString> error = Database::open(db, Database::filePathIn(directory.path()))) {
        std::fprintf(stderr, "%s\n", qPrintable(*error));
        return 1;
    }
    MessageLogRepository repository(db, maxEntries);
    const QList<MessageLogEntry> batch = relayedBatch();
    const double baselineMs = medianMs(db, [&] { return appendThroughQSqlQuery(db, batch); });
    const double measuredMs = medianMs(db, [&] { return repository.append(batch); });
    std::printf("message log, a batch of %d rows (median of %d): %.3f ms; through QSqlQuery %.3f ms (%.1f x)\n",
        batchSize, repetitions, measuredMs, baselineMs, baselineMs / measuredMs);
    linkray::bench::printResult("message log: a batch of 500 rows committed",
        linkray::bench::format("%.3f ms (%.2f us a row)", measuredMs, measuredMs * 1000 / batchSize), "",
        linkray::bench::format("through QSqlQuery %.3f ms", baselineMs), std::nullopt);
    return 0;
}
