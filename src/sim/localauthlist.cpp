#include "sim/localauthlist.h"

namespace linkray::sim {

QString LocalAuthList::apply(const ocpp::v16::SendLocalListRequest& request)
{
    const bool full = request.updateType == QLatin1String("Full");
    const QList<ocpp::v16::AuthorizationData> changes
        = request.localAuthorizationList.value_or(QList<ocpp::v16::AuthorizationData> {});
    if (!full && request.listVersion <= m_version)
        return QStringLiteral("VersionMismatch");
    QHash<QString, ocpp::v16::IdTagInfo> entries = full ? QHash<QString, ocpp::v16::IdTagInfo> {} : m_entries;
    for (const ocpp::v16::AuthorizationData& change : changes) {
        if (change.idTagInfo)
            entries.insert(change.idTag, *change.idTagInfo);
        else
            entries.remove(change.idTag);
    }
    if (entries.size() > m_maxLength || changes.size() > m_maxLength)
        return QStringLiteral("Failed");
    m_entries = entries;
    m_version = request.listVersion;
    return QStringLiteral("Accepted");
}

} // namespace linkray::sim
