#pragma once

#include "localcsms/policy.h"
#include "storage/repositories.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// The whitelist decision for Authorize, StartTransaction and StopTransaction: a pure function of the stored tag,
// the time and the tag's other running transactions, so it is tested with a table.
namespace linkray::localcsms {

// What the charger receives as idTagInfo.
struct TagAuthorization {
    QString status; // Accepted / Blocked / Expired / Invalid / ConcurrentTx
    std::optional<QDateTime> expiryDate;
    std::optional<QString> parentIdTag;
};

// `otherTransactions` are the tag's running transactions that forbid a new one (pass none when stopping).
TagAuthorization authorizeTag(const std::optional<storage::IdTagRecord>& tag, const QDateTime& now,
    const QList<storage::TransactionRecord>& otherTransactions, UnknownTags unknownTags);

} // namespace linkray::localcsms
