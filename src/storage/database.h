#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

// The SQLite database in the data directory: opened in WAL mode with synchronous=FULL, migrated on open.
namespace linkray::storage {

class Database {
public:
    // Opens (creating if needed) `filePath` and migrates it to the latest schema version.
    // Returns an error message on failure (cannot open, newer schema than this build, migration failed).
    static std::optional<QString> open(Database& db, const QString& filePath);
    // For tests of migrations: migrate only up to `version`.
    static std::optional<QString> openAtVersion(Database& db, const QString& filePath, int version);
    // Where the database lives in LinkRay's data directory: <dataDirectory>/linkray.db.
    static QString filePathIn(const QString& dataDirectory);

    Database();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    QSqlDatabase& connection() { return m_db; }
    int schemaVersion() const;
    static int latestSchemaVersion();
    QString filePath() const { return m_filePath; }
    bool isOpen() const { return m_db.isOpen(); }
    void close();

private:
    QString m_connectionName;
    QString m_filePath;
    QSqlDatabase m_db;
};

} // namespace linkray::storage
