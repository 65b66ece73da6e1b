#include "balancer/chargingprofile.h"

#include <algorithm>
#include <cmath>

namespace linkray::balancer {

double roundDownLimit(double limit)
{
    return std::max(0.0, std::floor(limit * 10.0 + 1e-6) / 10.0);
}

namespace {

QString purposeName(ProfilePurpose purpose)
{
    switch (purpose) {
    case ProfilePurpose::TxDefault:
        return QStringLiteral("TxDefaultProfile");
    case ProfilePurpose::Tx:
        return QStringLiteral("TxProfile");
    case ProfilePurpose::ChargePointMax:
        break;
    }
    return QStringLiteral("ChargePointMaxProfile");
}

} // namespace

ocpp::v16::SetChargingProfileRequest balancingProfile(const ProfileSpec& spec)
{
    const bool ac = spec.unit == RateUnit::Amperes;
    ocpp::v16::ChargingSchedulePeriod limitPeriod;
    limitPeriod.startPeriod = 0;
    limitPeriod.limit = roundDownLimit(spec.limit);
    if (ac && spec.numberPhases != 3)
        limitPeriod.numberPhases = spec.numberPhases;
    // The fail-safe period runs on all phases the charger has: it must not depend on LinkRay's 1-phase decision.
    ocpp::v16::ChargingSchedulePeriod failSafePeriod;
    failSafePeriod.startPeriod = spec.failSafeAfterS;
    failSafePeriod.limit = roundDownLimit(spec.failSafeLimit);

    ocpp::v16::SetChargingProfileRequest request;
    request.connectorId = spec.connectorId;
    ocpp::v16::ChargingProfile& profile = request.csChargingProfiles;
    profile.chargingProfileId = spec.chargingProfileId;
    profile.transactionId = spec.transactionId;
    profile.stackLevel = spec.stackLevel;
    profile.chargingProfilePurpose = purposeName(spec.purpose);
    profile.chargingProfileKind = QStringLiteral("Absolute");
    profile.chargingSchedule.startSchedule = spec.start.toUTC();
    profile.chargingSchedule.chargingRateUnit = ac ? QStringLiteral("A") : QStringLiteral("W");
    profile.chargingSchedule.chargingSchedulePeriod = {limitPeriod, failSafePeriod};
    return request;
}

} // namespace linkray::balancer
