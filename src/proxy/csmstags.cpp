#include "proxy/csmstags.h"

#include "storage/csmsauthorizationrepository.h"

namespace linkray::proxy {

std::optional<storage::IdTagRecord> tagFromCsms(
    storage::Database& database, const QString& chargePointId, const QString& idTag)
{
    storage::CsmsAuthorizationRepository answers(database);
    std::optional<storage::CsmsIdTagInfo> info = answers.cached(idTag);
    if (!info)
        info = answers.localListEntry(chargePointId, idTag);
    if (!info)
        return std::nullopt;
    storage::IdTagRecord tag;
    tag.idTag = info->idTag;
    tag.status = info->status == QLatin1String("ConcurrentTx") ? QStringLiteral("Accepted") : info->status;
    tag.expiryDate = info->expiryDate;
    tag.parentIdTag = info->parentIdTag;
    return tag;
}

} // namespace linkray::proxy
