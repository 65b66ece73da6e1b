#pragma once

#include "balancer/chargingprofile.h"
#include "ocpp/messages.h"

#include <QDateTime>
#include <QHash>

#include <optional>
#include <vector>

namespace linkray::balancer {

// How a limit in A per phase and in W convert into each other.
struct RateConversion {
    RateUnit unit = RateUnit::Amperes; // the unit the caps are wanted in
    double voltageV = 230.0; // phase to neutral
    int maxPhases = 3; // a 1-phase charger draws a W limit on its one phase
};

// The limits others set on one charge point in force at one time, in the charge point's unit.
struct ChargePointCaps {
    std::optional<double> chargePoint; // the CSMS's own ChargePointMaxProfile, or an operator's manual limit
    QHash<int, double> connectors; // per connector id: its TxProfile, or else its TxDefaultProfile

    bool isEmpty() const { return !chargePoint && connectors.isEmpty(); }
    friend bool operator==(const ChargePointCaps& a, const ChargePointCaps& b)
    {
        return a.chargePoint == b.chargePoint && a.connectors == b.connectors;
    }
    friend bool operator!=(const ChargePointCaps& a, const ChargePointCaps& b) { return !(a == b); }
};

// The limit one profile sets at `now`, none while it sets none (outside validFrom/validTo, before its schedule
// starts, after its duration). `receivedAt` stands in for a missing startSchedule. A Relative schedule counts from a
// transaction start LinkRay does not see, so it counts at the lowest of its periods.
std::optional<double> profileLimitAt(const ocpp::v16::ChargingProfile& profile, const QDateTime& receivedAt,
    const QDateTime& now, const RateConversion& conversion);

// The next time after `now` at which profileLimitAt() may change; none when it never will.
std::optional<QDateTime> nextProfileChange(
    const ocpp::v16::ChargingProfile& profile, const QDateTime& receivedAt, const QDateTime& now);

// The charging profiles the CSMS set on one charge point (and the charger accepted), as LinkRay sees them pass, and
// the caps they put on it now. Pure: time is an argument. docs/balancing.md ("The CSMS's profiles") has the rules.
class CsmsProfiles {
public:
    // Replaces a profile with the same id, or with the same purpose, stack level and connector (as the charger does).
    void set(const ocpp::v16::SetChargingProfileRequest& request, const QDateTime& receivedAt);
    // A RemoteStartTransaction carried this TxProfile: it applies to the transaction the charger then starts on
    // `connectorId` (none: on the connector the charger chooses). It has no transaction id until then.
    void remoteStartAccepted(
        std::optional<int> connectorId, const ocpp::v16::ChargingProfile& profile, const QDateTime& receivedAt);
    // Removes what the clear matches: the profile with its id, or every profile matching the fields it gives.
    void clear(const ocpp::v16::ClearChargingProfileRequest& request);
    // The connector's transaction ended: its TxProfiles are gone.
    void transactionEnded(int connectorId);
    // A transaction started on the connector (its id none while unknown): the TxProfiles there for another
    // transaction, or for none named, belonged to an earlier one and are gone; a RemoteStartTransaction's profile
    // waiting for it now applies to it.
    void transactionStarted(int connectorId, std::optional<qint64> transactionId);
    // StopTransaction of `transactionId`: the TxProfiles for it are gone, and so are those without a transaction id
    // on the connector it ran on (known from a TxProfile that named it).
    void transactionStopped(qint64 transactionId);

    ChargePointCaps capsAt(
        const QDateTime& now, const RateConversion& conversion, const std::vector<int>& connectorIds) const;
    std::optional<QDateTime> nextChange(const QDateTime& now) const;

private:
    struct Installed {
        int connectorId = 0;
        ocpp::v16::ChargingProfile profile;
        QDateTime receivedAt;
        bool awaitsTransactionId = false; // a RemoteStartTransaction's, on a transaction whose id is not known yet
    };
    void install(Installed incomingProfile);
    // The limit of the highest stack level in force among the profiles `applies` selects.
    template<typename Predicate>
    std::optional<double> highestInForce(
        const QDateTime& now, const RateConversion& conversion, Predicate applies) const;

    std::vector<Installed> m_profiles;
    // RemoteStartTransactions' TxProfiles waiting for their transaction; connector 0: whichever the charger chooses.
    std::vector<Installed> m_remoteStarts;
};

} // namespace linkray::balancer
