#include "web/userrepository.h"

#include "storage/sqlsupport.h"

namespace linkray::web {

namespace sql = storage::sql;

namespace {

const QString kSelectUsers = QStringLiteral("SELECT name, role, password_hash, created_at, updated_at FROM users");

std::optional<int> countWhere(QSqlDatabase& db, const QString& condition, const QVariantList& values)
{
    QSqlQuery query(db);
    if (!sql::execute(query, QStringLiteral("SELECT count(*) FROM users") + condition, values, "count users")
        || !query.next())
        return std::nullopt;
    return query.value(0).toInt();
}

UserRecord userFrom(const QSqlQuery& query)
{
    return UserRecord {query.value(0).toString(), roleFromName(query.value(1).toString()).value_or(Role::Viewer),
        query.value(2).toString(), sql::toTime(query.value(3)), sql::toTime(query.value(4))};
}

} // namespace

std::optional<int> UserRepository::count() const
{
    return countWhere(m_db.connection(), {}, {});
}

std::optional<int> UserRepository::adminCount() const
{
    return countWhere(m_db.connection(), QStringLiteral(" WHERE role = ?"), {roleName(Role::Admin)});
}

std::optional<UserRecord> UserRepository::find(const QString& name) const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, kSelectUsers + QStringLiteral(" WHERE name = ?"), {name}, "find user") || !query.next())
        return std::nullopt;
    return userFrom(query);
}

QList<UserRecord> UserRepository::list() const
{
    QList<UserRecord> users;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, kSelectUsers + QStringLiteral(" ORDER BY name"), {}, "list users"))
        return users;
    while (query.next())
        users.append(userFrom(query));
    return users;
}

UserRepository::Creation UserRepository::create(const UserRecord& user, bool onlyIfNoUsers)
{
    sql::WriteTransaction transaction(m_db.connection(), "create user");
    if (!transaction.isOpen())
        return Creation::Failed;
    const auto existing
        = onlyIfNoUsers ? count() : countWhere(m_db.connection(), QStringLiteral(" WHERE name = ?"), {user.name});
    if (!existing)
        return Creation::Failed;
    if (*existing > 0)
        return Creation::Exists;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query,
            QStringLiteral(
                "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"),
            {user.name, roleName(user.role), user.passwordHash, sql::fromTime(user.createdAt),
                sql::fromTime(user.updatedAt)},
            "create user"))
        return Creation::Failed;
    return transaction.commit() ? Creation::Created : Creation::Failed;
}

bool UserRepository::update(const UserRecord& user)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query,
               QStringLiteral("UPDATE users SET role = ?, password_hash = ?, updated_at = ? WHERE name = ?"),
               {roleName(user.role), user.passwordHash, sql::fromTime(user.updatedAt), user.name}, "update user")
        && query.numRowsAffected() == 1;
}

bool UserRepository::remove(const QString& name)
{
    QSqlQuery query(m_db.connection());
    return sql::execute(query, QStringLiteral("DELETE FROM users WHERE name = ?"), {name}, "remove user")
        && query.numRowsAffected() == 1;
}

} // namespace linkray::web
