#include "storage/sqlsupport.h"

#include "storage/logging.h"

#include <QSqlError>

namespace linkray::storage::sql {

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
        return false;
    }
    return true;
}

WriteTransaction::WriteTransaction(QSqlDatabase& db, const char* purpose)
    : m_db(db)
    , m_purpose(purpose)
{
    QSqlQuery begin(m_db);
    m_open = execute(begin, QStringLiteral("BEGIN IMMEDIATE"), {}, m_purpose);
}

WriteTransaction::~WriteTransaction()
{
    if (!m_open)
        return;
    QSqlQuery rollback(m_db);
    execute(rollback, QStringLiteral("ROLLBACK"), {}, m_purpose);
}

bool WriteTransaction::commit()
{
    if (!m_open)
        return false;
    QSqlQuery commitQuery(m_db);
    if (!execute(commitQuery, QStringLiteral("COMMIT"), {}, m_purpose))
        return false;
    m_open = false;
    return true;
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
