#include "sim/chargingprofiles.h"

#include <algorithm>
#include <cmath>

namespace linkray::sim {

namespace v16 = ocpp::v16;

namespace {

const QLatin1String ChargePointMax("ChargePointMaxProfile");
const QLatin1String TxDefault("TxDefaultProfile");
const QLatin1String Tx("TxProfile");

qint64 recurrenceSeconds(const v16::ChargingProfile& profile)
{
    if (profile.chargingProfileKind != QLatin1String("Recurring"))
        return 0;
    return profile.recurrencyKind == QLatin1String("Weekly") ? 7 * 86400 : 86400;
}

// When the schedule's occurrence that covers `at` began.
QDateTime scheduleStart(const v16::ChargingProfile& profile, const QDateTime& at, const QDateTime& relativeStart)
{
    if (profile.chargingProfileKind == QLatin1String("Relative"))
        return relativeStart;
    QDateTime start = profile.chargingSchedule.startSchedule.value_or(profile.validFrom.value_or(relativeStart));
    const qint64 recurrence = recurrenceSeconds(profile);
    if (recurrence == 0)
        return start;
    const qint64 elapsed = start.secsTo(at);
    const qint64 occurrences = elapsed >= 0 ? elapsed / recurrence : -((-elapsed + recurrence - 1) / recurrence);
    return start.addSecs(occurrences * recurrence);
}

} // namespace

void ChargingProfiles::install(qint64 connectorId, const v16::ChargingProfile& profile)
{
    m_installed.erase(std::remove_if(m_installed.begin(), m_installed.end(),
                          [&](const Installed& installed) {
                              const v16::ChargingProfile& old = installed.profile;
                              return old.chargingProfileId == profile.chargingProfileId
                                  || (installed.connectorId == connectorId
                                      && old.chargingProfilePurpose == profile.chargingProfilePurpose
                                      && old.stackLevel == profile.stackLevel);
                          }),
        m_installed.end());
    m_installed.append(Installed {connectorId, profile});
}

bool ChargingProfiles::clear(const v16::ClearChargingProfileRequest& filter)
{
    const auto before = m_installed.size();
    m_installed.erase(std::remove_if(m_installed.begin(), m_installed.end(),
                          [&](const Installed& installed) {
                              const v16::ChargingProfile& profile = installed.profile;
                              if (filter.id)
                                  return profile.chargingProfileId == *filter.id;
                              return (!filter.connectorId || installed.connectorId == *filter.connectorId)
                                  && (!filter.chargingProfilePurpose
                                      || profile.chargingProfilePurpose == *filter.chargingProfilePurpose)
                                  && (!filter.stackLevel || profile.stackLevel == *filter.stackLevel);
                          }),
        m_installed.end());
    return m_installed.size() != before;
}

void ChargingProfiles::clearTxProfiles(qint64 connectorId)
{
    v16::ClearChargingProfileRequest filter;
    filter.connectorId = connectorId;
    filter.chargingProfilePurpose = QString(Tx);
    clear(filter);
}

std::optional<double> ChargingProfiles::limitAmps(
    qint64 connectorId, const QDateTime& at, const std::optional<TransactionRef>& transaction) const
{
    return limitAmps(connectorId, at, transaction, transaction ? transaction->start : at);
}

std::optional<double> ChargingProfiles::limitAmps(qint64 connectorId, const QDateTime& at,
    const std::optional<TransactionRef>& transaction, const QDateTime& relativeStart) const
{
    const auto highestStackLevel = [&](const QString& purpose, const auto& applies) -> std::optional<double> {
        const Installed* chosen = nullptr;
        std::optional<double> limit;
        for (const Installed& installed : m_installed) {
            if (installed.profile.chargingProfilePurpose != purpose || !applies(installed))
                continue;
            const std::optional<double> candidate = profileLimitAmps(installed.profile, at, relativeStart);
            const bool higher = !chosen || installed.profile.stackLevel > chosen->profile.stackLevel
                || (installed.profile.stackLevel == chosen->profile.stackLevel
                    && installed.connectorId > chosen->connectorId);
            if (candidate && higher) {
                chosen = &installed;
                limit = candidate;
            }
        }
        return limit;
    };
    const std::optional<double> chargePointMax
        = highestStackLevel(ChargePointMax, [](const Installed& installed) { return installed.connectorId == 0; });
    std::optional<double> transactionLimit;
    if (transaction && connectorId > 0) {
        transactionLimit = highestStackLevel(Tx, [&](const Installed& installed) {
            return installed.connectorId == connectorId
                && (!installed.profile.transactionId || installed.profile.transactionId == transaction->id);
        });
    }
    if (!transactionLimit) {
        transactionLimit = highestStackLevel(TxDefault, [&](const Installed& installed) {
            return installed.connectorId == 0 || installed.connectorId == connectorId;
        });
    }
    if (chargePointMax && transactionLimit)
        return std::min(*chargePointMax, *transactionLimit);
    return chargePointMax ? chargePointMax : transactionLimit;
}

std::optional<double> ChargingProfiles::profileLimitAmps(
    const v16::ChargingProfile& profile, const QDateTime& at, const QDateTime& relativeStart) const
{
    if ((profile.validFrom && at < *profile.validFrom) || (profile.validTo && at >= *profile.validTo))
        return std::nullopt;
    const v16::ChargingSchedule& schedule = profile.chargingSchedule;
    const qint64 elapsedMs = scheduleStart(profile, at, relativeStart).msecsTo(at);
    if (elapsedMs < 0 || (schedule.duration && elapsedMs >= *schedule.duration * 1000))
        return std::nullopt;
    const v16::ChargingSchedulePeriod* current = nullptr;
    for (const v16::ChargingSchedulePeriod& period : schedule.chargingSchedulePeriod) {
        if (period.startPeriod * 1000 <= elapsedMs && (!current || period.startPeriod > current->startPeriod))
            current = &period;
    }
    if (!current)
        return std::nullopt;
    if (schedule.chargingRateUnit == QLatin1String("W"))
        return m_rating.ampsFromWatts(current->limit, current->numberPhases);
    return current->limit;
}

QList<QDateTime> ChargingProfiles::boundaries(const v16::ChargingProfile& profile, const QDateTime& from,
    const QDateTime& to, const QDateTime& relativeStart) const
{
    QList<QDateTime> instants;
    for (const std::optional<QDateTime>& edge : {profile.validFrom, profile.validTo}) {
        if (edge)
            instants.append(*edge);
    }
    const qint64 recurrence = recurrenceSeconds(profile);
    for (QDateTime occurrence = scheduleStart(profile, from, relativeStart); occurrence < to;
         occurrence = occurrence.addSecs(recurrence)) {
        for (const v16::ChargingSchedulePeriod& period : profile.chargingSchedule.chargingSchedulePeriod)
            instants.append(occurrence.addSecs(period.startPeriod));
        if (profile.chargingSchedule.duration)
            instants.append(occurrence.addSecs(*profile.chargingSchedule.duration));
        if (recurrence == 0)
            break;
    }
    return instants;
}

v16::ChargingSchedule ChargingProfiles::composite(qint64 connectorId, const QDateTime& from, qint64 durationSeconds,
    const QString& unit, const std::optional<TransactionRef>& transaction, double maxAmps) const
{
    const QDateTime to = from.addSecs(durationSeconds);
    const QDateTime relativeStart = transaction ? transaction->start : from;
    QList<QDateTime> instants {from};
    for (const Installed& installed : m_installed)
        instants.append(boundaries(installed.profile, from, to, relativeStart));
    std::sort(instants.begin(), instants.end());

    v16::ChargingSchedule schedule;
    schedule.duration = durationSeconds;
    schedule.startSchedule = from;
    schedule.chargingRateUnit = unit;
    for (const QDateTime& instant : instants) {
        if (instant < from || instant >= to)
            continue;
        const double amps
            = std::min(maxAmps, limitAmps(connectorId, instant, transaction, relativeStart).value_or(maxAmps));
        const double limit = std::round((unit == QLatin1String("W") ? m_rating.wattsFromAmps(amps) : amps) * 10) / 10;
        if (schedule.chargingSchedulePeriod.isEmpty() || schedule.chargingSchedulePeriod.last().limit != limit) {
            v16::ChargingSchedulePeriod period;
            period.startPeriod = from.secsTo(instant);
            period.limit = limit;
            schedule.chargingSchedulePeriod.append(period);
        }
    }
    return schedule;
}

} // namespace linkray::sim
