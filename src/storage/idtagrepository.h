#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::storage {

struct IdTagRecord {
    QString idTag;
    QString status = QStringLiteral("Accepted"); // Accepted / Blocked / Expired / Invalid
    std::optional<QDateTime> expiryDate;
    QString parentIdTag;
    QString note;
    int version = 0; // whitelist version at which this tag last changed
    bool deleted = false; // tombstone, kept so differential local-list updates can remove it from chargers
};

// The RFID whitelist. Writes that change nothing keep the version, so re-importing the same list sends nothing
// to the chargers; `version` and `deleted` of a record passed in are ignored (the repository sets them).
class IdTagRepository {
public:
    explicit IdTagRepository(Database& db)
        : m_db(db)
    {
    }
    // Each change bumps the whitelist version and stamps the tag with it.
    bool upsert(const IdTagRecord& tag);
    bool remove(const QString& idTag); // leaves a tombstone; removing an unknown tag changes nothing
    // Replace the whole whitelist (configuration import): tags not in `tags` become tombstones.
    // The whole import is one version.
    bool replaceAll(const QList<IdTagRecord>& tags);
    std::optional<IdTagRecord> find(const QString& idTag) const; // tombstones are not found
    QList<IdTagRecord> list() const; // without tombstones
    QList<IdTagRecord> changedSince(int version) const; // with tombstones, for differential updates
    int currentVersion() const; // -1 when it cannot be read (logged)

private:
    Database& m_db;
};

} // namespace linkray::storage
