#pragma once

#include "storage/database.h"
#include "web/roles.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::web {

struct UserRecord {
    QString name;
    Role role = Role::Viewer;
    QString passwordHash; // core/passwordhash format
    QDateTime createdAt;
    QDateTime updatedAt;
};

// The web users (table users, migration 8). Errors are logged (linkray.storage) and reported as false / nullopt.
class UserRepository {
public:
    enum class Creation { Created, Exists, Failed };

    explicit UserRepository(storage::Database& db)
        : m_db(db)
    {
    }
    std::optional<int> count() const;
    std::optional<int> adminCount() const;
    std::optional<UserRecord> find(const QString& name) const;
    QList<UserRecord> list() const; // by name
    // `onlyIfNoUsers`: the setup of the first admin, refused (Exists) once any user exists.
    Creation create(const UserRecord& user, bool onlyIfNoUsers = false);
    bool update(const UserRecord& user); // role, password hash and updatedAt of an existing user
    bool remove(const QString& name); // the user's sessions go with it

private:
    storage::Database& m_db;
};

} // namespace linkray::web
