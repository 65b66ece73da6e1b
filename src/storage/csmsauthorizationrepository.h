#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace linkray::storage {

// An OCPP IdTagInfo as the CSMS gave it, with its tag. Not IdTagRecord: that one defaults to Accepted, while an
// entry of a differential SendLocalList without a status removes the tag.
struct CsmsIdTagInfo {
    QString idTag;
    QString status; // Accepted / Blocked / Expired / Invalid / ConcurrentTx; empty only in a local list = remove
    std::optional<QDateTime> expiryDate;
    QString parentIdTag;
};

// What the CSMS said about id tags, so that LinkRay can authorise during an outage after its own whitelist: the
// answers it gave to Authorize and StartTransaction (site-wide cache), and the local list it pushed to each charger
// with SendLocalList. Entries are returned as stored, expired or not: the caller compares expiryDate with its clock.
class CsmsAuthorizationRepository {
public:
    explicit CsmsAuthorizationRepository(Database& db)
        : m_db(db)
    {
    }

    // The CSMS's latest answer for `idTag` replaces the one cached before.
    bool remember(const QString& idTag, const QString& status, const std::optional<QDateTime>& expiry,
        const QString& parentIdTag, const QDateTime& at);
    std::optional<CsmsIdTagInfo> cached(const QString& idTag) const;

    // A SendLocalList the charger accepted, in one transaction: `full` replaces the charger's list; otherwise each
    // entry is upserted, or removed when its status is empty. The charger's list version becomes `version`.
    bool applyLocalList(const QString& chargePointId, int version, bool full, const QList<CsmsIdTagInfo>& entries);
    std::optional<CsmsIdTagInfo> localListEntry(const QString& chargePointId, const QString& idTag) const;
    std::optional<int> localListVersion(const QString& chargePointId) const; // nullopt: no list seen

private:
    Database& m_db;
};

} // namespace linkray::storage
