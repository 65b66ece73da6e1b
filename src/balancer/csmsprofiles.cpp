#include "balancer/csmsprofiles.h"

#include "balancer/logging.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace linkray::balancer {

namespace v16 = ocpp::v16;

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000LL;
// Chargers hold a handful of profiles (MaxChargingProfilesInstalled); this only bounds what a peer can make us keep.
constexpr size_t kMaxProfiles = 64;

bool hasPurpose(const v16::ChargingProfile& profile, const char* purpose)
{
    return profile.chargingProfilePurpose == QLatin1String(purpose);
}

bool isKind(const v16::ChargingProfile& profile, const char* kind)
{
    return profile.chargingProfileKind == QLatin1String(kind);
}

std::optional<qint64> recurrenceMs(const v16::ChargingProfile& profile)
{
    if (!isKind(profile, "Recurring"))
        return std::nullopt;
    return profile.recurrencyKind == QLatin1String("Weekly") ? 7 * kDayMs : kDayMs;
}

double inUnit(const v16::ChargingSchedulePeriod& period, const QString& rateUnit, const RateConversion& conversion)
{
    const bool watts = rateUnit == QLatin1String("W");
    if (watts == (conversion.unit == RateUnit::Watts))
        return period.limit;
    const auto phases
        = static_cast<double>(std::clamp<qint64>(period.numberPhases.value_or(3), 1, conversion.maxPhases));
    return watts ? period.limit / (conversion.voltageV * phases) : period.limit * phases * conversion.voltageV;
}

bool validAt(const v16::ChargingProfile& profile, const QDateTime& now)
{
    return (!profile.validFrom || *profile.validFrom <= now) && (!profile.validTo || now < *profile.validTo);
}

// When the schedule that covers `now` started: its startSchedule, or for a recurring one the latest recurrence.
QDateTime scheduleStart(const v16::ChargingProfile& profile, const QDateTime& receivedAt, const QDateTime& now)
{
    const QDateTime start = profile.chargingSchedule.startSchedule.value_or(receivedAt);
    const std::optional<qint64> recurrence = recurrenceMs(profile);
    if (!recurrence)
        return start;
    const qint64 elapsedMs = start.msecsTo(now);
    qint64 cycles = elapsedMs / *recurrence;
    if (elapsedMs < 0 && elapsedMs % *recurrence != 0)
        --cycles; // rounded towards minus infinity: the recurrence before `now`
    return start.addMSecs(cycles * *recurrence);
}

} // namespace

std::optional<double> profileLimitAt(const v16::ChargingProfile& profile, const QDateTime& receivedAt,
    const QDateTime& now, const RateConversion& conversion)
{
    const v16::ChargingSchedule& schedule = profile.chargingSchedule;
    if (!validAt(profile, now) || schedule.chargingSchedulePeriod.isEmpty())
        return std::nullopt;
    if (isKind(profile, "Relative")) {
        std::optional<double> lowest;
        for (const v16::ChargingSchedulePeriod& period : schedule.chargingSchedulePeriod) {
            const double limit = inUnit(period, schedule.chargingRateUnit, conversion);
            lowest = lowest ? std::min(*lowest, limit) : limit;
        }
        return lowest;
    }
    const QDateTime start = scheduleStart(profile, receivedAt, now);
    const qint64 elapsedS = start.msecsTo(now) / 1000;
    if (start > now || (schedule.duration && elapsedS >= *schedule.duration))
        return std::nullopt;
    const v16::ChargingSchedulePeriod* current = nullptr;
    for (const v16::ChargingSchedulePeriod& period : schedule.chargingSchedulePeriod) {
        if (period.startPeriod <= elapsedS && (!current || period.startPeriod > current->startPeriod))
            current = &period;
    }
    return current ? std::optional(inUnit(*current, schedule.chargingRateUnit, conversion)) : std::nullopt;
}

std::optional<QDateTime> nextProfileChange(
    const v16::ChargingProfile& profile, const QDateTime& receivedAt, const QDateTime& now)
{
    std::optional<QDateTime> next;
    const auto consider = [&](const QDateTime& at) {
        if (at > now && (!next || at < *next))
            next = at;
    };
    if (profile.validFrom)
        consider(*profile.validFrom);
    if (profile.validTo)
        consider(*profile.validTo);
    if (isKind(profile, "Relative"))
        return next;
    const QDateTime start = scheduleStart(profile, receivedAt, now);
    consider(start);
    if (const std::optional<qint64> recurrence = recurrenceMs(profile))
        consider(start.addMSecs(*recurrence));
    for (const v16::ChargingSchedulePeriod& period : profile.chargingSchedule.chargingSchedulePeriod)
        consider(start.addSecs(period.startPeriod));
    if (profile.chargingSchedule.duration)
        consider(start.addSecs(*profile.chargingSchedule.duration));
    return next;
}

void CsmsProfiles::set(const v16::SetChargingProfileRequest& request, const QDateTime& receivedAt)
{
    install({static_cast<int>(request.connectorId), request.csChargingProfiles, receivedAt});
}

void CsmsProfiles::install(Installed incomingProfile)
{
    const v16::ChargingProfile& incoming = incomingProfile.profile;
    const int connectorId = incomingProfile.connectorId;
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(),
                         [&](const Installed& installed) {
                             const v16::ChargingProfile& profile = installed.profile;
                             return profile.chargingProfileId == incoming.chargingProfileId
                                 || (installed.connectorId == connectorId && profile.stackLevel == incoming.stackLevel
                                     && profile.chargingProfilePurpose == incoming.chargingProfilePurpose);
                         }),
        m_profiles.end());
    if (m_profiles.size() >= kMaxProfiles) {
        qCWarning(lcBalancer) << "more than" << kMaxProfiles << "CSMS profiles on one charge point: forgetting"
                              << m_profiles.front().profile.chargingProfileId;
        m_profiles.erase(m_profiles.begin());
    }
    m_profiles.push_back(std::move(incomingProfile));
}

void CsmsProfiles::remoteStartAccepted(
    std::optional<int> connectorId, const v16::ChargingProfile& profile, const QDateTime& receivedAt)
{
    const int key = connectorId.value_or(0);
    m_remoteStarts.erase(std::remove_if(m_remoteStarts.begin(), m_remoteStarts.end(),
                             [key](const Installed& waiting) { return waiting.connectorId == key; }),
        m_remoteStarts.end());
    m_remoteStarts.push_back({key, profile, receivedAt});
}

void CsmsProfiles::clear(const v16::ClearChargingProfileRequest& request)
{
    const auto matches = [&](const Installed& installed) {
        const v16::ChargingProfile& profile = installed.profile;
        if (request.id)
            return profile.chargingProfileId == *request.id;
        return (!request.connectorId || installed.connectorId == *request.connectorId)
            && (!request.chargingProfilePurpose || profile.chargingProfilePurpose == *request.chargingProfilePurpose)
            && (!request.stackLevel || profile.stackLevel == *request.stackLevel);
    };
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(), matches), m_profiles.end());
    m_remoteStarts.erase(std::remove_if(m_remoteStarts.begin(), m_remoteStarts.end(), matches), m_remoteStarts.end());
}

void CsmsProfiles::transactionEnded(int connectorId)
{
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(),
                         [&](const Installed& installed) {
                             return installed.connectorId == connectorId && hasPurpose(installed.profile, "TxProfile");
                         }),
        m_profiles.end());
    // A remote start that ends without a transaction (the car never came) leaves nothing waiting on its connector.
    m_remoteStarts.erase(std::remove_if(m_remoteStarts.begin(), m_remoteStarts.end(),
                             [connectorId](const Installed& waiting) { return waiting.connectorId == connectorId; }),
        m_remoteStarts.end());
}

void CsmsProfiles::transactionStarted(int connectorId, std::optional<qint64> transactionId)
{
    // Online the id comes later (the CSMS's answer) than the start: a remote start's profile learns it then.
    for (Installed& installed : m_profiles) {
        if (installed.connectorId == connectorId && installed.awaitsTransactionId && transactionId) {
            installed.profile.transactionId = transactionId;
            installed.awaitsTransactionId = false;
        }
    }
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(),
                         [&](const Installed& installed) {
                             return installed.connectorId == connectorId && hasPurpose(installed.profile, "TxProfile")
                                 && (!transactionId || installed.profile.transactionId != transactionId);
                         }),
        m_profiles.end());
    // The remote start for this connector, or else one that left the connector to the charger.
    auto waiting = std::find_if(m_remoteStarts.begin(), m_remoteStarts.end(),
        [connectorId](const Installed& remote) { return remote.connectorId == connectorId; });
    if (waiting == m_remoteStarts.end())
        waiting = std::find_if(m_remoteStarts.begin(), m_remoteStarts.end(),
            [](const Installed& remote) { return remote.connectorId == 0; });
    if (waiting == m_remoteStarts.end())
        return;
    Installed started = std::move(*waiting);
    m_remoteStarts.erase(waiting);
    started.connectorId = connectorId;
    started.profile.transactionId = transactionId;
    started.awaitsTransactionId = !transactionId;
    install(std::move(started));
}

void CsmsProfiles::transactionStopped(qint64 transactionId)
{
    QSet<int> connectorsOfTransaction;
    for (const Installed& installed : m_profiles) {
        if (installed.profile.transactionId == transactionId)
            connectorsOfTransaction.insert(installed.connectorId);
    }
    m_profiles.erase(
        std::remove_if(m_profiles.begin(), m_profiles.end(),
            [&](const Installed& installed) {
                const v16::ChargingProfile& profile = installed.profile;
                return hasPurpose(profile, "TxProfile")
                    && (profile.transactionId == transactionId
                        || (!profile.transactionId && connectorsOfTransaction.contains(installed.connectorId)));
            }),
        m_profiles.end());
}

template<typename Predicate>
std::optional<double> CsmsProfiles::highestInForce(
    const QDateTime& now, const RateConversion& conversion, Predicate applies) const
{
    const Installed* winner = nullptr;
    std::optional<double> limit;
    for (const Installed& installed : m_profiles) {
        if (!applies(installed))
            continue;
        const std::optional<double> own = profileLimitAt(installed.profile, installed.receivedAt, now, conversion);
        // Within a purpose the highest stack level wins; at the same level a connector's own beats connector 0's.
        if (own
            && (!winner
                || std::tuple(installed.profile.stackLevel, installed.connectorId != 0)
                    > std::tuple(winner->profile.stackLevel, winner->connectorId != 0))) {
            winner = &installed;
            limit = own;
        }
    }
    return limit;
}

ChargePointCaps CsmsProfiles::capsAt(
    const QDateTime& now, const RateConversion& conversion, const std::vector<int>& connectorIds) const
{
    ChargePointCaps caps;
    caps.chargePoint = highestInForce(
        now, conversion, [](const Installed& i) { return hasPurpose(i.profile, "ChargePointMaxProfile"); });
    for (int connectorId : connectorIds) {
        // A TxProfile overrules the TxDefaultProfile for its transaction.
        std::optional<double> limit = highestInForce(now, conversion, [connectorId](const Installed& i) {
            return i.connectorId == connectorId && hasPurpose(i.profile, "TxProfile");
        });
        if (!limit)
            limit = highestInForce(now, conversion, [connectorId](const Installed& i) {
                return (i.connectorId == connectorId || i.connectorId == 0)
                    && hasPurpose(i.profile, "TxDefaultProfile");
            });
        if (limit)
            caps.connectors.insert(connectorId, *limit);
    }
    return caps;
}

std::optional<QDateTime> CsmsProfiles::nextChange(const QDateTime& now) const
{
    std::optional<QDateTime> next;
    for (const Installed& installed : m_profiles) {
        const std::optional<QDateTime> own = nextProfileChange(installed.profile, installed.receivedAt, now);
        if (own && (!next || *own < *next))
            next = own;
    }
    return next;
}

} // namespace linkray::balancer
