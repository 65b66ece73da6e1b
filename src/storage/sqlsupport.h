#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>
#include <QVariantList>

#include <optional>

// Helpers shared by the repositories: logged statement execution, write transactions and the column formats
// (times are INTEGER milliseconds since the Unix epoch, UTC).
namespace linkray::storage::sql {

// Prepares `statement`, binds `values` in order and runs it. On failure logs `purpose` with the SQLite error.
bool execute(QSqlQuery& query, const QString& statement, const QVariantList& values, const char* purpose);

// BEGIN IMMEDIATE … COMMIT, rolled back on destruction unless committed. Failures are logged with `purpose`.
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
    bool m_open = false;
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
