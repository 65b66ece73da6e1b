#pragma once

#include "storage/database.h"

#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace linkray::storage {

// A fresh database file in its own temporary directory; the directory outlives the connection.
struct TestDatabase {
    QTemporaryDir directory;
    Database db;
    std::optional<QString> openError = Database::open(db, path());

    QString path() const { return Database::filePathIn(directory.path()); }
    std::optional<QString> reopen()
    {
        db.close();
        return Database::open(db, path());
    }
};

} // namespace linkray::storage
