#pragma once

#include "balancer/sitemodel.h"
#include "ocpp/messages.h"

#include <QDateTime>

#include <optional>

namespace linkray::balancer {

// Everything LinkRay's own profile says (docs/balancing.md, "Control loop and fail-safe").
struct ProfileSpec {
    qint64 chargingProfileId = 90210;
    qint64 stackLevel = 8;
    ProfilePurpose purpose = ProfilePurpose::ChargePointMax;
    int connectorId = 0; // a TxProfile's: the connector its transaction runs on
    std::optional<qint64> transactionId; // a TxProfile's: the id the charger knows its transaction by
    QDateTime start; // startSchedule: when the limit takes effect (now)
    RateUnit unit = RateUnit::Amperes;
    double limit = 0.0;
    int numberPhases = 3; // AC only; written into the period only when it is not the default 3
    double failSafeLimit = 0.0; // what the charger falls back to when LinkRay stops refreshing the profile
    qint64 failSafeAfterS = 900;
};

// Limits are sent in steps of 0.1 (the schema's multipleOf), rounded down so that a limit never exceeds what
// was decided; a value a hair below a step (6 A computed as 5.9999999) still counts as that step.
double roundDownLimit(double limit);

// SetChargingProfile for spec.connectorId (0 but for a TxProfile): an Absolute profile of spec.purpose starting at
// spec.start with two periods, the limit from 0 s and the fail-safe limit from spec.failSafeAfterS. A TxDefaultProfile
// on connector 0 applies to every connector, as the ChargePointMaxProfile does.
ocpp::v16::SetChargingProfileRequest balancingProfile(const ProfileSpec& spec);

} // namespace linkray::balancer
