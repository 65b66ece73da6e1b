#include "localcsms/locallistsync.h"

#include "localcsms/authorization.h"
#include "localcsms/handlers.h"
#include "localcsms/logging.h"
#include "storage/repositories.h"

namespace linkray::localcsms {

namespace v16 = ocpp::v16;

namespace {

// A tombstone becomes an entry without idTagInfo, which removes the tag from the charger's list.
v16::AuthorizationData toAuthorizationData(const storage::IdTagRecord& tag, const QDateTime& now)
{
    v16::AuthorizationData entry;
    entry.idTag = tag.idTag;
    if (!tag.deleted)
        entry.idTagInfo = toIdTagInfo(authorizeTag(tag, now, {}, UnknownTags::Reject));
    return entry;
}

bool meansNotSupported(const CommandResult<v16::SendLocalListResponse>& result)
{
    if (result.failure == CommandFailure::CallError)
        return result.errorCode == QLatin1String("NotSupported") || result.errorCode == QLatin1String("NotImplemented");
    return result.response && result.response->status == QLatin1String("NotSupported");
}

} // namespace

LocalListSync::LocalListSync(LocalCsms& csms, RemoteCommands& commands, QObject* parent)
    : QObject(parent)
    , m_csms(csms)
    , m_commands(commands)
{
    connect(&m_csms, &LocalCsms::chargePointReady, this,
        [this](const QString& chargePointId) { sync(chargePointId, Update::Differential); });
}

void LocalListSync::whitelistChanged()
{
    for (const QString& chargePointId : m_csms.attachedChargePoints())
        sync(chargePointId, Update::Differential);
}

// `Update::Differential` means "as little as possible": a charger that never confirmed a version gets the full list.
void LocalListSync::sync(const QString& chargePointId, Update update)
{
    if (!m_csms.policy().pushLocalList)
        return;
    if (inFlight(chargePointId)) {
        m_triggeredWhileInFlight.insert(chargePointId);
        return;
    }
    const auto chargePoint = storage::ChargePointRepository(m_csms.database()).find(chargePointId);
    if (!chargePoint || !chargePoint->supportsLocalList || chargePoint->bootStatus != QLatin1String("Accepted"))
        return;
    const storage::IdTagRepository tags(m_csms.database());
    const int version = tags.currentVersion();
    if (chargePoint->localListVersion >= version && update == Update::Differential)
        return;
    if (chargePoint->localListVersion <= 0)
        update = Update::Full;

    const QDateTime now = m_csms.clock().nowUtc();
    v16::SendLocalListRequest request;
    request.listVersion = version;
    QList<v16::AuthorizationData> entries;
    const auto changed = update == Update::Full ? tags.list() : tags.changedSince(chargePoint->localListVersion);
    for (const auto& tag : changed)
        entries.append(toAuthorizationData(tag, now));
    request.localAuthorizationList = entries;
    request.updateType = update == Update::Full ? QStringLiteral("Full") : QStringLiteral("Differential");

    qCInfo(lcLocalCsms) << "sending local list" << request.updateType << "version" << version << "with"
                        << entries.size() << "entries to" << chargePointId;
    const QPointer<ocpp::Endpoint> endpoint = m_csms.endpoint(chargePointId);
    m_inFlight.insert(chargePointId, endpoint);
    const int confirmedVersion = chargePoint->localListVersion;
    m_commands.send(chargePointId, request,
        [this, chargePointId, endpoint, version, confirmedVersion](
            const CommandResult<v16::SendLocalListResponse>& result) {
            if (m_inFlight.value(chargePointId) == endpoint)
                m_inFlight.remove(chargePointId);
            onAnswer(chargePointId, version, confirmedVersion, result);
        });
}

bool LocalListSync::inFlight(const QString& chargePointId) const
{
    const QPointer<ocpp::Endpoint> endpoint = m_inFlight.value(chargePointId);
    return endpoint && endpoint == m_csms.endpoint(chargePointId);
}

void LocalListSync::onAnswer(const QString& chargePointId, int version, int confirmedVersion,
    const CommandResult<v16::SendLocalListResponse>& result)
{
    const bool triggered = m_triggeredWhileInFlight.remove(chargePointId);
    storage::ChargePointRepository chargePoints(m_csms.database());

    if (meansNotSupported(result)) {
        qCInfo(lcLocalCsms) << chargePointId << "has no local authorisation list: no more pushes";
        if (!chargePoints.setLocalListState(chargePointId, confirmedVersion, false))
            qCWarning(lcLocalCsms) << "could not store the local list state of" << chargePointId;
        return;
    }
    const QString status = result.response ? result.response->status : QString();
    if (status == QLatin1String("Accepted")) {
        if (!chargePoints.setLocalListState(chargePointId, version, true)) {
            qCWarning(lcLocalCsms) << "could not store the local list state of" << chargePointId;
            return;
        }
        Q_EMIT synchronised(chargePointId, version);
        if (triggered)
            sync(chargePointId, Update::Differential);
        return;
    }
    if (status == QLatin1String("VersionMismatch")) {
        qCInfo(lcLocalCsms) << chargePointId << "reported a local list version mismatch: sending the full list";
        sync(chargePointId, Update::Full);
        return;
    }
    qCWarning(lcLocalCsms) << "local list update of" << chargePointId
                           << "failed:" << (result.ok() ? status : result.description)
                           << "- retrying on the next change";
    if (triggered)
        sync(chargePointId, Update::Differential);
}

} // namespace linkray::localcsms
