#pragma once

#include "balancer/allocation.h"
#include "balancer/chargepointlimits.h"
#include "balancer/connectortracker.h"
#include "balancer/csmsprofiles.h"
#include "balancer/limitstep.h"
#include "core/clock.h"
#include "ocpp/messages.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace linkray::balancer {

// Sends a SetChargingProfile to a charge point; `done` runs exactly once: true for Accepted, false for Rejected,
// NotSupported, a CALLERROR, a timeout or a closed connection.
using ProfileSender = std::function<void(const QString& chargePointId,
    const ocpp::v16::SetChargingProfileRequest& request, std::function<void(bool accepted)> done)>;

// Tuning of the control loop; docs/balancing.md ("Control loop and fail-safe") explains each value.
struct ControllerOptions {
    qint64 chargingProfileId = 90210; // reserved for LinkRay's own profile, whatever its purpose
    qint64 stackLevel = 8;
    double hysteresisA = 1.0;
    double hysteresisW = 500.0; // DC
    qint64 increaseDelaySeconds = 20;
    double rampStepA = 4.0; // DC: the same at three phases and the nominal voltage
    qint64 rampIntervalSeconds = 10;
    qint64 failSafeAfterSeconds = 900; // second period of every profile; refreshed after half of it
    qint64 overLimitGraceSeconds = 30;
    double overLimitToleranceA = 2.0; // DC: the same at three phases and the nominal voltage
    qint64 retryInitialSeconds = 30; // doubled after each further failure ...
    qint64 retryMaxSeconds = 300; // ... up to this
    qint64 rotationIntervalSeconds = 900;
    qint64 tickMs = 1000; // re-evaluation without new input: ramps, rotation, refresh, retries
    bool siteHasMeter = true; // with a meter, fail-safe until the first reading
};

// The limit last applied to a charge point: what the application persists and gives back to restoreLimits().
struct AppliedLimit {
    double limit = 0.0;
    int numberPhases = 3;
};

// An operator's limit on one charge point, in its unit (A per phase, W with a DC connector), until `expiresAt`.
struct ManualLimit {
    double limit = 0.0;
    QDateTime expiresAt;
};

// An operator's limit on one group (circuit), per site phase (A), on top of its configured one until `expiresAt`.
struct GroupLimit {
    PhaseValues limitA {};
    QDateTime expiresAt;
};

// How the controller stands with one charge point, for the UI.
struct ChargerControlStatus {
    std::optional<ChargePointLimit> target; // what the allocation wants now
    std::optional<ChargePointLimit> lastSent;
    std::optional<QDateTime> lastSentAt;
    std::optional<bool> lastAccepted; // none: no answer yet
    int consecutiveFailures = 0;
    bool overLimit = false; // accepted its limit but draws above it
};

// The control loop (issue 5 items 4 and 5): allocates on every input and turns the allocation into LinkRay's own
// ChargePointMaxProfile (or TxDefaultProfile) per charge point, or a TxProfile per running transaction, with
// hysteresis, ramps and a fail-safe period. No socket: profiles go out through the ProfileSender.
class ChargingController : public QObject {
    Q_OBJECT
public:
    struct Context {
        Clock& clock;
        ProfileSender sender;
        ControllerOptions options;
    };

    ChargingController(Context context, SiteModel site, QObject* parent = nullptr);
    ~ChargingController() override;

    void setSite(SiteModel site);
    void setDynamicLimit(std::optional<DynamicLimit> limit);
    // Online mode: the charger accepted a SetChargingProfile from the CSMS. The limits its profiles set now cap
    // LinkRay's, re-evaluated as their periods pass.
    void csmsProfileSet(const QString& chargePointId, const ocpp::v16::SetChargingProfileRequest& request);
    // Online mode: the charger accepted a RemoteStartTransaction of the CSMS. A TxProfile it carries caps the
    // transaction that then starts, as one set for it would.
    void csmsRemoteStartAccepted(const QString& chargePointId, const ocpp::v16::RemoteStartTransactionRequest& request);
    // The limits in force before a restart; each is re-sent when its charge point connects.
    void restoreLimits(const QHash<QString, AppliedLimit>& limits);

    // A phase without a value is not measured: it gets the fail-safe limit (docs/balancing.md, "Fail-safe").
    void meterReading(const MeteredPhaseValues& currentA, const QDateTime& at);
    // A reading with all three phases measured.
    void meterReading(const PhaseValues& currentA, const QDateTime& at)
    {
        meterReading(MeteredPhaseValues {currentA[0], currentA[1], currentA[2]}, at);
    }
    void meterStale();
    void connectorObserved(const ConnectorId& id, const ConnectorObservation& observation);
    void chargerConnected(const QString& chargePointId);
    void chargerDisconnected(const QString& chargePointId);
    // A transaction started on a connector, with the id the charger knows it by (none while unknown: in online mode
    // until the CSMS answers). The CSMS's TxProfiles of earlier transactions there end; a charger whose purpose is
    // TxProfile gets LinkRay's limit as a TxProfile for this transaction once its id is known.
    void transactionStarted(const ConnectorId& id, std::optional<qint64> transactionId);
    // StopTransaction: the CSMS's TxProfiles for the transaction end, and so does LinkRay's.
    void transactionStopped(const QString& chargePointId, qint64 transactionId);
    // An operator's limit, on top of the allocation and the CSMS's caps, until it expires; none removes it.
    void setManualLimit(const QString& chargePointId, std::optional<ManualLimit> limit);
    // An operator's limit on a group: lowers the group's configured limit until it expires; none removes it.
    void setGroupLimit(const QString& groupId, std::optional<GroupLimit> limit);
    // A ClearChargingProfile went to the charger: the CSMS profiles it matches are gone, and LinkRay's may be too.
    void profilesCleared(const QString& chargePointId, const ocpp::v16::ClearChargingProfileRequest& request);

    ChargerControlStatus status(const QString& chargePointId) const;
    // What the charger draws now by its own MeterValues, in its limit's unit (A per phase, or W); none when unknown.
    std::optional<double> measuredDraw(const QString& chargePointId) const;
    const Allocation& allocation() const { return m_allocation; }

Q_SIGNALS:
    void limitApplied(const QString& chargePointId, double limit, int numberPhases);
    void profileNotAccepted(const QString& chargePointId, double limit, int consecutiveFailures);
    void chargerOverLimit(const QString& chargePointId, double measured, double limit);
    void manualLimitExpired(const QString& chargePointId);
    void groupLimitExpired(const QString& groupId);
    void statusChanged(const QString& chargePointId);

private:
    // One profile of LinkRay's on a charger: on connector 0 (ChargePointMaxProfile, TxDefaultProfile), or the
    // TxProfile of one connector's transaction.
    struct Lane {
        std::optional<qint64> transactionId; // a TxProfile's
        bool forceSend = true; // send even when the limit is unchanged: new, (re)connected, cleared, failed before
        std::optional<ChargePointLimit> inForce; // last accepted (or restored after a restart)
        std::optional<qint64> inForceSinceMs; // when the accepted profile's schedule started; none: restored
        std::optional<qint64> limitSinceMs; // when the charger accepted this limit value: the over-limit grace
        std::optional<ChargePointLimit> lastSent;
        RampState ramp;
        std::optional<qint64> retryAtMs;
        std::optional<qint64> overSinceMs;
        bool overLimit = false;

        // The charger holds no limit of LinkRay's here that still counts (it was in the other unit): the next one
        // goes out at once, as to a charger just connected.
        void forgetLimitInForce()
        {
            inForce.reset();
            inForceSinceMs.reset();
            limitSinceMs.reset();
            ramp = {};
            forceSend = true;
        }
    };
    // The profile on its way to a charger, and which lane it is for.
    struct InFlight {
        int connectorId = 0;
        std::optional<qint64> transactionId;
        ChargePointLimit limit;
        qint64 sentMs = 0;
    };
    // The controller's dealings with one charge point.
    struct ChargePoint {
        ChargePointPlan plan;
        bool connected = false;
        QHash<int, Lane> lanes; // by the connector id LinkRay's profile goes to
        std::optional<InFlight> inFlight;
        quint64 sequence = 0; // tells the current request's answer from one of a closed connection
        ChargerControlStatus status;
    };
    // A lane LinkRay's profiles should have now: the connector its profile goes to, the transaction (TxProfile), and
    // the part of the charge point it limits (all of it on connector 0, one connector for a TxProfile).
    struct LaneTarget {
        int connectorId = 0;
        std::optional<qint64> transactionId;
        ChargePointPlan scope;
    };

    void evaluate();
    void tick();
    void decideAll();
    bool meterFresh() const { return m_options.siteHasMeter && !m_meterStale; }
    void decide(ChargePoint& point);
    void send(ChargePoint& point, const LaneTarget& wanted, const ChargePointLimit& limit);
    void answered(const QString& chargePointId, quint64 sequence, bool accepted);
    void checkOverLimit(ChargePoint& point);
    void checkOverLimit(ChargePoint& point, Lane& lane, const ChargePointPlan& scope);
    void rebuildPlans();
    // Re-reads the CSMS's and the operator's limits in force now (dropping expired manual limits); true when they
    // changed. Arms the timer for the next change.
    bool refreshCaps();
    // Drops the group limits that expired (true when any did) and moves `next` to the earliest expiry left.
    bool expireGroupLimits(const QDateTime& now, std::optional<QDateTime>& next);
    void applyCaps();
    StepRules stepRules(const ChargePointPlan& plan) const;
    // The profiles LinkRay's should have on the charge point now: one on connector 0, or with the TxProfile purpose
    // one per balanced connector with a running transaction whose id is known. Drops the lanes no longer wanted.
    std::vector<LaneTarget> wantedLanes(ChargePoint& point) const;
    // The plan narrowed to one connector: what a TxProfile on it limits.
    ChargePointPlan connectorScope(const ChargePointPlan& plan, int connectorId) const;
    // The limit a lane holds its scope to for the current allocation, within the charge point's cap.
    ChargePointLimit laneTarget(const ChargePointPlan& scope) const;
    double inUnit(const ChargePointPlan& plan, double amperes) const;

    Clock& m_clock;
    ProfileSender m_sender;
    ControllerOptions m_options;
    SiteModel m_site; // as configured
    SiteModel m_allocationSite; // with the caps applied to the connectors' maxima and the group limits
    QHash<QString, CsmsProfiles> m_csmsProfiles;
    QHash<QString, ManualLimit> m_manualLimits;
    QHash<QString, GroupLimit> m_groupLimits;
    QHash<QString, ChargePointCaps> m_caps; // in force now, in each charge point's unit
    std::unique_ptr<Timer> m_capsTimer;
    ConnectorTracker m_tracker;
    Allocation m_allocation;
    std::optional<MeteredPhaseValues> m_siteCurrentA;
    std::optional<QDateTime> m_lastReadingAt;
    bool m_meterStale = true;
    std::optional<DynamicLimit> m_dynamicLimit;
    QHash<QString, ChargePoint> m_points;
    QHash<ConnectorId, std::optional<qint64>> m_transactions; // running, by connector; none: id not known yet
    std::unique_ptr<Timer> m_tick;
};

} // namespace linkray::balancer
