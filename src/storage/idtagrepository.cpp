#include "storage/idtagrepository.h"

#include "storage/logging.h"
#include "storage/sqlsupport.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <utility>

namespace linkray::storage {

namespace {

const QString selectIdTags
    = QStringLiteral("SELECT id_tag, status, expiry_date, parent_id_tag, note, version, deleted FROM id_tags");

IdTagRecord idTagFrom(const QSqlQuery& query)
{
    IdTagRecord record;
    record.idTag = query.value(0).toString();
    record.status = query.value(1).toString();
    record.expiryDate = sql::toOptionalTime(query.value(2));
    record.parentIdTag = query.value(3).toString();
    record.note = query.value(4).toString();
    record.version = query.value(5).toInt();
    record.deleted = query.value(6).toBool();
    return record;
}

// nullopt when the query fails (logged), so that a write never works from a partial picture.
std::optional<QList<IdTagRecord>> selectTags(
    QSqlDatabase& db, const QString& whereClause, const QVariantList& values, const char* purpose)
{
    QSqlQuery query(db);
    if (!sql::execute(query, selectIdTags + whereClause, values, purpose))
        return std::nullopt;
    QList<IdTagRecord> records;
    while (query.next())
        records.append(idTagFrom(query));
    return records;
}

bool sameContent(const IdTagRecord& stored, const IdTagRecord& wanted)
{
    const auto expiryMs = [](const IdTagRecord& tag) {
        return tag.expiryDate ? std::optional<qint64>(tag.expiryDate->toMSecsSinceEpoch()) : std::nullopt;
    };
    return !stored.deleted && stored.status == wanted.status && expiryMs(stored) == expiryMs(wanted)
        && stored.parentIdTag == wanted.parentIdTag && stored.note == wanted.note;
}

// Applies upserts and tombstones as one whitelist version, inside one transaction; a write that changes
// nothing leaves the version where it was.
bool applyChanges(QSqlDatabase& db, const QList<IdTagRecord>& upserts, const QStringList& removals,
    bool tombstoneOthers, const char* purpose)
{
    sql::WriteTransaction transaction(db, purpose);
    if (!transaction.isOpen())
        return false;
    const auto storedTags = selectTags(db, {}, {}, purpose);
    if (!storedTags)
        return false;
    QHash<QString, IdTagRecord> stored;
    for (const IdTagRecord& tag : *storedTags)
        stored.insert(tag.idTag, tag);

    QHash<QString, IdTagRecord> changed;
    QSet<QString> kept;
    for (const IdTagRecord& tag : upserts) {
        kept.insert(tag.idTag);
        const auto current = stored.constFind(tag.idTag);
        if (current == stored.cend() || !sameContent(*current, tag))
            changed.insert(tag.idTag, tag);
        else
            changed.remove(tag.idTag);
    }
    QStringList tombstones;
    for (const IdTagRecord& tag : std::as_const(stored)) {
        const bool removed = removals.contains(tag.idTag) || (tombstoneOthers && !kept.contains(tag.idTag));
        if (removed && !tag.deleted)
            tombstones.append(tag.idTag);
    }
    if (changed.isEmpty() && tombstones.isEmpty())
        return transaction.commit();

    QSqlQuery bump(db);
    if (!sql::execute(bump,
            QStringLiteral("UPDATE metadata SET value = value + 1 WHERE key = 'whitelist_version' "
                           "RETURNING value"),
            {}, purpose)
        || !bump.next())
        return false;
    const int version = bump.value(0).toInt();
    bump.finish();

    QSqlQuery upsert(db);
    for (const IdTagRecord& tag : std::as_const(changed)) {
        if (!sql::execute(upsert, QStringLiteral(R"(
                INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, note, version, deleted)
                VALUES (?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (id_tag) DO UPDATE SET status = excluded.status, expiry_date = excluded.expiry_date,
                    parent_id_tag = excluded.parent_id_tag, note = excluded.note, version = excluded.version,
                    deleted = 0)"),
                {tag.idTag, tag.status, sql::fromTime(tag.expiryDate), tag.parentIdTag, tag.note, version}, purpose))
            return false;
    }
    QSqlQuery tombstone(db);
    for (const QString& idTag : std::as_const(tombstones)) {
        if (!sql::execute(tombstone, QStringLiteral("UPDATE id_tags SET deleted = 1, version = ? WHERE id_tag = ?"),
                {version, idTag}, purpose))
            return false;
    }
    if (!transaction.commit())
        return false;
    qCInfo(lcStorage, "whitelist version %d: %lld tags changed, %lld removed", version,
        static_cast<long long>(changed.size()), static_cast<long long>(tombstones.size()));
    return true;
}

} // namespace

bool IdTagRepository::upsert(const IdTagRecord& tag)
{
    return applyChanges(m_db.connection(), {tag}, {}, false, "upsert id tag");
}

bool IdTagRepository::remove(const QString& idTag)
{
    return applyChanges(m_db.connection(), {}, {idTag}, false, "remove id tag");
}

bool IdTagRepository::replaceAll(const QList<IdTagRecord>& tags)
{
    return applyChanges(m_db.connection(), tags, {}, true, "replace whitelist");
}

std::optional<IdTagRecord> IdTagRepository::find(const QString& idTag) const
{
    const auto found
        = selectTags(m_db.connection(), QStringLiteral(" WHERE id_tag = ? AND deleted = 0"), {idTag}, "find id tag");
    if (!found || found->isEmpty())
        return std::nullopt;
    return found->first();
}

QList<IdTagRecord> IdTagRepository::list() const
{
    return selectTags(m_db.connection(), QStringLiteral(" WHERE deleted = 0 ORDER BY id_tag"), {}, "list id tags")
        .value_or(QList<IdTagRecord>());
}

QList<IdTagRecord> IdTagRepository::changedSince(int version) const
{
    return selectTags(m_db.connection(), QStringLiteral(" WHERE version > ? ORDER BY version, id_tag"), {version},
        "list changed id tags")
        .value_or(QList<IdTagRecord>());
}

int IdTagRepository::currentVersion() const
{
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral("SELECT value FROM metadata WHERE key = 'whitelist_version'"), {},
            "read whitelist version")
        || !query.next())
        return -1;
    return query.value(0).toInt();
}

} // namespace linkray::storage
