#include "localcsms/authorization.h"

namespace linkray::localcsms {

TagAuthorization authorizeTag(const std::optional<storage::IdTagRecord>& tag, const QDateTime& now,
    const QList<storage::TransactionRecord>& otherTransactions, UnknownTags unknownTags)
{
    const auto concurrentOr
        = [&](const QString& status) { return otherTransactions.isEmpty() ? status : QStringLiteral("ConcurrentTx"); };
    if (!tag || tag->deleted) {
        return {
            unknownTags == UnknownTags::Accept ? concurrentOr(QStringLiteral("Accepted")) : QStringLiteral("Invalid"),
            std::nullopt, std::nullopt};
    }

    TagAuthorization result;
    result.expiryDate = tag->expiryDate;
    if (!tag->parentIdTag.isEmpty())
        result.parentIdTag = tag->parentIdTag;

    const bool expired = tag->expiryDate && *tag->expiryDate <= now;
    if (tag->status != QLatin1String("Accepted"))
        result.status = tag->status; // Blocked, Invalid or Expired as the operator set it
    else if (expired)
        result.status = QStringLiteral("Expired");
    else
        result.status = concurrentOr(tag->status);
    return result;
}

} // namespace linkray::localcsms
