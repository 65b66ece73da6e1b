#include "controllersite.h"

#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::balancer;
using namespace linkray::balancer::test;

namespace {

// cp1 charging at 16 A, house at 10 A: connected and holding its 22 A limit.
std::unique_ptr<Site> chargingAt22()
{
    auto site = std::make_unique<Site>();
    site->house(10);
    site->draws(QStringLiteral("cp1"), 16);
    site->controller->chargerConnected(QStringLiteral("cp1"));
    return site;
}

// cp1 and cp2 each charging at 16 A on the 32 A site, connected and holding 16 A.
std::unique_ptr<Site> twoChargingAt16()
{
    auto site = std::make_unique<Site>(
        std::vector<ChargerConfig> {acCharger(QStringLiteral("cp1")), acCharger(QStringLiteral("cp2"))});
    site->draws(QStringLiteral("cp1"), 16);
    site->draws(QStringLiteral("cp2"), 16);
    site->controller->chargerConnected(QStringLiteral("cp1"));
    site->controller->chargerConnected(QStringLiteral("cp2"));
    return site;
}

// The CSMS's TxDefaultProfile for connector 1: `limitA` from `start` for `durationS`.
ocpp::v16::SetChargingProfileRequest csmsTxDefault(double limitA, const QDateTime& start, qint64 durationS)
{
    ocpp::v16::SetChargingProfileRequest request;
    request.connectorId = 1;
    ocpp::v16::ChargingProfile& profile = request.csChargingProfiles;
    profile.chargingProfileId = 7;
    profile.stackLevel = 0;
    profile.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    profile.chargingProfileKind = QStringLiteral("Absolute");
    profile.chargingSchedule.startSchedule = start;
    profile.chargingSchedule.duration = durationS;
    profile.chargingSchedule.chargingRateUnit = QStringLiteral("A");
    profile.chargingSchedule.chargingSchedulePeriod = {ocpp::v16::ChargingSchedulePeriod {0, limitA, std::nullopt}};
    return request;
}

// The CSMS's TxProfile for transaction `transactionId` on connector 1: `limitA` from `start`, without an end.
ocpp::v16::SetChargingProfileRequest csmsTxProfile(double limitA, const QDateTime& start, qint64 transactionId)
{
    ocpp::v16::SetChargingProfileRequest request = csmsTxDefault(limitA, start, 0);
    request.csChargingProfiles.chargingProfileId = 8;
    request.csChargingProfiles.chargingProfilePurpose = QStringLiteral("TxProfile");
    request.csChargingProfiles.transactionId = transactionId;
    request.csChargingProfiles.chargingSchedule.duration.reset();
    return request;
}

} // namespace

class TestController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void connectedChargerGetsItsLimit();
    void baseLoadRiseLowersAtOnce();
    void baseLoadFallRaisesAfterDelayInSteps();
    void hysteresis_data();
    void hysteresis();
    void oneInFlightNewestWins();
    void decreaseSupersedesIncreaseInFlight();
    void clearedProfileIsReapplied();
    void restoredLimitSentOnConnect();
    void staleMeterFailsSafeAtOnce();
    void failSafePeriodRefreshedBeforeItStarts();
    void overLimitFlaggedAfterGrace_data();
    void overLimitFlaggedAfterGrace();
    void rejectedRetriedWithBackoff();
    void dcChargerLimitedInWatts();
    void onePhaseFallbackSendsNumberPhases();
    void txDefaultPurposeForChargersThatNeedIt();
    void txPurposeSentOnlyForARunningTransaction();
    void txPurposeGivesEachTransactionItsOwnProfile();
    void csmsTxProfileCapsUntilItsTransactionStops();
    void remoteStartTxProfileCapsTheTransactionItStarts();
    void csmsProfileCapsUntilItsScheduleEnds();
    void clearedCsmsProfileNoLongerCaps();
    void manualLimitUntilItExpires();
    void groupLimitCapsItsChargersUntilItExpires();
    void rateUnitChangeSendsTheLimitInTheNewUnitAtOnce();
};

void TestController::connectedChargerGetsItsLimit()
{
    Site site;
    site.house(10);
    site.draws(QStringLiteral("cp1"), 16);
    QVERIFY(site.chargers.received.empty()); // not connected: nothing to send to
    QSignalSpy applied(site.controller.get(), &ChargingController::limitApplied);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
    QCOMPARE(applied.count(), 1);
    QCOMPARE(applied.at(0).at(1).toDouble(), 22.0);
    QCOMPARE(applied.at(0).at(2).toInt(), 3);

    site.controller->chargerDisconnected(QStringLiteral("cp1"));
    site.house(12);
    QVERIFY(site.chargers.received.empty());
    // A charger that reconnects (or rebooted) may have lost its profile: it gets the current one.
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.take(), QList<double>({20.0}));
}

void TestController::baseLoadRiseLowersAtOnce()
{
    auto site = chargingAt22();
    site->chargers.take();
    site->house(20);
    QCOMPARE(site->chargers.take(), QList<double>({12.0}));
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).lastSent->limit, 12.0);
}

void TestController::baseLoadFallRaisesAfterDelayInSteps()
{
    auto site = chargingAt22();
    site->house(20);
    site->draws(QStringLiteral("cp1"), 12);
    site->chargers.take();

    site->house(0); // room for 32 A
    site->advanceSeconds(19);
    QVERIFY(site->chargers.take().isEmpty());
    site->advanceSeconds(1); // stayed higher for 20 s: the first step
    QCOMPARE(site->chargers.take(), QList<double>({16.0}));
    site->advanceSeconds(9);
    QVERIFY(site->chargers.take().isEmpty());
    site->advanceSeconds(1);
    QCOMPARE(site->chargers.take(), QList<double>({20.0}));
    site->advanceSeconds(30);
    QCOMPARE(site->chargers.take(), QList<double>({24.0, 28.0, 32.0}));
    site->advanceSeconds(60);
    QVERIFY(site->chargers.take().isEmpty());
}

void TestController::hysteresis_data()
{
    QTest::addColumn<double>("houseA");
    QTest::addColumn<QList<double>>("atOnce");
    QTest::addColumn<QList<double>>("after20s");

    QTest::newRow("0.5 A more: not worth a profile") << 9.5 << QList<double>() << QList<double>();
    QTest::newRow("1.5 A more: after the delay") << 8.5 << QList<double>() << QList<double>({23.5});
    QTest::newRow("0.3 A less: at once") << 10.3 << QList<double>({21.7}) << QList<double>();
}

void TestController::hysteresis()
{
    QFETCH(double, houseA);
    QFETCH(QList<double>, atOnce);
    QFETCH(QList<double>, after20s);
    auto site = chargingAt22();
    site->chargers.take();
    site->house(houseA);
    QCOMPARE(site->chargers.take(), atOnce);
    site->advanceSeconds(20);
    QCOMPARE(site->chargers.take(), after20s);
    site->advanceSeconds(120);
    QVERIFY(site->chargers.take().isEmpty());
}

void TestController::oneInFlightNewestWins()
{
    Site site;
    site.chargers.answer = FakeChargers::Answer::Never;
    site.house(10);
    site.draws(QStringLiteral("cp1"), 16);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
    site.house(20);
    site.house(24);
    site.advanceSeconds(5);
    QVERIFY(site.chargers.take().isEmpty()); // the first is still unanswered
    site.chargers.answer = FakeChargers::Answer::Accepted;
    site.chargers.held.front()(true);
    QCOMPARE(site.chargers.take(), QList<double>({8.0})); // the newest only, 12 A is skipped
}

void TestController::decreaseSupersedesIncreaseInFlight()
{
    auto site = chargingAt22();
    site->house(20);
    site->chargers.take();
    site->house(0);
    site->chargers.answer = FakeChargers::Answer::Never;
    site->advanceSeconds(20);
    QCOMPARE(site->chargers.take(), QList<double>({16.0})); // an increase in flight
    site->house(26);
    QVERIFY(site->chargers.take().isEmpty());
    site->chargers.answer = FakeChargers::Answer::Accepted;
    site->chargers.held.front()(true);
    // The answer came: the decrease goes out at once, without waiting for anything else.
    QCOMPARE(site->chargers.take(), QList<double>({6.0}));
}

void TestController::clearedProfileIsReapplied()
{
    auto site = chargingAt22();
    site->chargers.take();
    site->controller->profilesCleared(QStringLiteral("cp1"), {});
    QCOMPARE(site->chargers.take(), QList<double>({22.0}));
}

void TestController::restoredLimitSentOnConnect()
{
    Site site;
    site.house(10);
    site.draws(QStringLiteral("cp1"), 16);
    site.controller->restoreLimits({{QStringLiteral("cp1"), AppliedLimit {18.0, 3}}});
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.take(), QList<double>({18.0})); // the limit it had; the 22 A comes after the delay
    site.advanceSeconds(20);
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
}

void TestController::staleMeterFailsSafeAtOnce()
{
    Site site({acCharger(QStringLiteral("cp1")), acCharger(QStringLiteral("cp2"))});
    site.house(0);
    site.draws(QStringLiteral("cp1"), 16);
    site.draws(QStringLiteral("cp2"), 16);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    site.controller->chargerConnected(QStringLiteral("cp2"));
    QCOMPARE(site.chargers.take(QStringLiteral("cp1")), QList<double>({16.0}));
    QCOMPARE(site.chargers.take(QStringLiteral("cp2")), QList<double>({16.0}));

    site.controller->meterStale();
    QVERIFY(site.controller->allocation().failSafe);
    QCOMPARE(site.chargers.take(QStringLiteral("cp1")), QList<double>({8.0}));
    QCOMPARE(site.chargers.take(QStringLiteral("cp2")), QList<double>({8.0}));
    site.advanceSeconds(120);
    QVERIFY(site.chargers.received.empty()); // no reading, no way back

    site.read(); // readings resume: back to normal, ramped like any increase
    QVERIFY(!site.controller->allocation().failSafe);
    QVERIFY(site.chargers.received.empty());
    site.advanceSeconds(20);
    QCOMPARE(site.chargers.take(QStringLiteral("cp1")), QList<double>({12.0}));
    QCOMPARE(site.chargers.take(QStringLiteral("cp2")), QList<double>({12.0}));
}

void TestController::failSafePeriodRefreshedBeforeItStarts()
{
    Site site({acCharger(QStringLiteral("cp1")), acCharger(QStringLiteral("cp2"))});
    site.house(0);
    site.draws(QStringLiteral("cp1"), 16);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    const auto check = [&](const QDateTime& sentAt) {
        QCOMPARE(site.chargers.received.size(), size_t(1));
        const auto& schedule = site.chargers.received.front().request.csChargingProfiles.chargingSchedule;
        QCOMPARE(schedule.startSchedule, sentAt);
        QCOMPARE(schedule.chargingSchedulePeriod.size(), 2);
        // Two balanced chargers share the 16 A fail-safe limit: 8 A each from 900 s on.
        QCOMPARE(schedule.chargingSchedulePeriod.at(1).startPeriod, 900);
        QCOMPARE(schedule.chargingSchedulePeriod.at(1).limit, 8.0);
        site.chargers.received.clear();
    };
    check(site.clock.nowUtc());
    site.advanceSeconds(449);
    QVERIFY(site.chargers.received.empty());
    site.advanceSeconds(1); // half the fail-safe time: sent again, starting now
    check(site.clock.nowUtc());
    site.advanceSeconds(450);
    check(site.clock.nowUtc());
}

void TestController::overLimitFlaggedAfterGrace_data()
{
    QTest::addColumn<double>("drawA");
    QTest::addColumn<bool>("flagged");
    QTest::newRow("within the 2 A tolerance") << 13.9 << false;
    QTest::newRow("above it") << 16.0 << true;
}

void TestController::overLimitFlaggedAfterGrace()
{
    QFETCH(double, drawA);
    QFETCH(bool, flagged);
    auto site = chargingAt22();
    site->chargers.take();
    site->house(20);
    QCOMPARE(site->chargers.take(), QList<double>({12.0}));
    QSignalSpy overLimit(site->controller.get(), &ChargingController::chargerOverLimit);
    site->draws(QStringLiteral("cp1"), drawA); // the house load keeps the limit at 12 A
    site->advanceSeconds(29); // chargers need 5-15 s to follow: not yet
    QCOMPARE(overLimit.count(), 0);
    QVERIFY(!site->controller->status(QStringLiteral("cp1")).overLimit);
    site->advanceSeconds(1);
    QCOMPARE(overLimit.count(), flagged ? 1 : 0);
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).overLimit, flagged);
    site->advanceSeconds(60);
    QCOMPARE(overLimit.count(), flagged ? 1 : 0); // once per episode
    if (flagged)
        QCOMPARE(overLimit.at(0).at(2).toDouble(), 12.0);
    site->draws(QStringLiteral("cp1"), 12);
    QVERIFY(!site->controller->status(QStringLiteral("cp1")).overLimit);
}

void TestController::rejectedRetriedWithBackoff()
{
    Site site;
    site.chargers.answer = FakeChargers::Answer::Rejected;
    QSignalSpy notAccepted(site.controller.get(), &ChargingController::profileNotAccepted);
    site.house(10);
    site.draws(QStringLiteral("cp1"), 16);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
    QCOMPARE(notAccepted.count(), 1);
    QCOMPARE(site.controller->status(QStringLiteral("cp1")).lastAccepted, std::optional<bool>(false));
    site.advanceSeconds(29);
    QVERIFY(site.chargers.take().isEmpty());
    site.advanceSeconds(1);
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
    QCOMPARE(notAccepted.count(), 2);
    QCOMPARE(notAccepted.at(1).at(2).toInt(), 2);
    site.advanceSeconds(59); // the backoff doubles
    QVERIFY(site.chargers.take().isEmpty());
    site.chargers.answer = FakeChargers::Answer::Accepted;
    site.advanceSeconds(1);
    QCOMPARE(site.chargers.take(), QList<double>({22.0}));
    QCOMPARE(site.controller->status(QStringLiteral("cp1")).consecutiveFailures, 0);
    QCOMPARE(site.controller->status(QStringLiteral("cp1")).lastAccepted, std::optional<bool>(true));
}

void TestController::dcChargerLimitedInWatts()
{
    ChargerConfig dc = acCharger(QStringLiteral("cp1"));
    dc.kind = ChargerKind::Dc;
    Site site({dc});
    site.house(10);
    site.draws(QStringLiteral("cp1"), 10000);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.received.size(), size_t(1));
    const auto& schedule = site.chargers.received.front().request.csChargingProfiles.chargingSchedule;
    QCOMPARE(schedule.chargingRateUnit, QStringLiteral("W"));
    QCOMPARE(schedule.chargingSchedulePeriod.at(0).limit, 22.0 * 3 * 230); // 15180 W: 22 A free per phase
    QVERIFY(!schedule.chargingSchedulePeriod.at(0).numberPhases);
    QCOMPARE(schedule.chargingSchedulePeriod.at(1).limit, 16.0 * 3 * 230);
    site.chargers.received.clear();
    site.house(9.5); // 345 W more: below the 500 W hysteresis
    site.advanceSeconds(60);
    QVERIFY(site.chargers.received.empty());
}

void TestController::onePhaseFallbackSendsNumberPhases()
{
    ChargerConfig charger = acCharger(QStringLiteral("cp1"));
    charger.onePhaseFallback = true;
    Site site({charger});
    site.model.gridLimitA = {32, 10, 10}; // L2 and L3 cannot take 6 A more beside the house load
    site.controller->setSite(site.model);
    site.house(5);
    site.draws(QStringLiteral("cp1"), 0);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    QCOMPARE(site.chargers.received.size(), size_t(1));
    const auto& period
        = site.chargers.received.front().request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(0);
    QCOMPARE(period.limit, 27.0);
    QCOMPARE(period.numberPhases, std::optional<qint64>(1));
}

void TestController::txDefaultPurposeForChargersThatNeedIt()
{
    ChargerConfig txDefault = acCharger(QStringLiteral("cp2"));
    txDefault.profilePurpose = ProfilePurpose::TxDefault;
    Site site({acCharger(QStringLiteral("cp1")), txDefault});
    site.house(10);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    site.controller->chargerConnected(QStringLiteral("cp2"));
    const auto sentTo = [&](const QString& id) {
        const auto received = std::find_if(site.chargers.received.cbegin(), site.chargers.received.cend(),
            [&](const FakeChargers::Received& r) { return r.chargePointId == id; });
        return received == site.chargers.received.cend() ? std::nullopt : std::optional(received->request);
    };
    const auto maxProfile = sentTo(QStringLiteral("cp1"));
    QVERIFY(maxProfile);
    QCOMPARE(maxProfile->csChargingProfiles.chargingProfilePurpose, QStringLiteral("ChargePointMaxProfile"));
    const auto txProfile = sentTo(QStringLiteral("cp2"));
    QVERIFY(txProfile);
    QCOMPARE(txProfile->csChargingProfiles.chargingProfilePurpose, QStringLiteral("TxDefaultProfile"));
    // The same reserved id and stack level, on connector 0 so that it applies to every connector.
    QCOMPARE(txProfile->connectorId, qint64(0));
    QCOMPARE(txProfile->csChargingProfiles.chargingProfileId, maxProfile->csChargingProfiles.chargingProfileId);
    QCOMPARE(txProfile->csChargingProfiles.stackLevel, maxProfile->csChargingProfiles.stackLevel);

    // A clear by purpose TxDefaultProfile removed LinkRay's profile from cp2: it is sent again, as a TxDefaultProfile.
    site.chargers.received.clear();
    ocpp::v16::ClearChargingProfileRequest clear;
    clear.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    site.controller->profilesCleared(QStringLiteral("cp2"), clear);
    const auto again = sentTo(QStringLiteral("cp2"));
    QVERIFY(again);
    QCOMPARE(again->csChargingProfiles.chargingProfilePurpose, QStringLiteral("TxDefaultProfile"));
}

void TestController::txPurposeSentOnlyForARunningTransaction()
{
    ChargerConfig txOnly = acCharger(QStringLiteral("cp1"));
    txOnly.profilePurpose = ProfilePurpose::Tx;
    Site site({txOnly});
    site.house(10);
    site.draws(QStringLiteral("cp1"), 16);
    site.controller->chargerConnected(QStringLiteral("cp1"));
    // No transaction, or one whose id the charger has not been told yet: OCPP has no TxProfile for it.
    site.controller->transactionStarted({QStringLiteral("cp1"), 1}, std::nullopt);
    QVERIFY(site.chargers.received.empty());

    site.controller->transactionStarted({QStringLiteral("cp1"), 1}, 42);
    QCOMPARE(site.chargers.received.size(), size_t(1));
    const ocpp::v16::SetChargingProfileRequest& sent = site.chargers.received.front().request;
    QCOMPARE(sent.connectorId, qint64(1));
    QCOMPARE(sent.csChargingProfiles.chargingProfilePurpose, QStringLiteral("TxProfile"));
    QCOMPARE(sent.csChargingProfiles.transactionId, std::optional<qint64>(42));
    QCOMPARE(site.chargers.take(), QList<double> {22.0});

    // The profile ended with its transaction: nothing goes out until the next one, which gets its limit at once.
    site.controller->transactionStopped(QStringLiteral("cp1"), 42);
    site.house(4);
    site.advanceSeconds(600);
    QVERIFY(site.chargers.received.empty());
    site.controller->transactionStarted({QStringLiteral("cp1"), 1}, 43);
    QCOMPARE(site.chargers.received.size(), size_t(1));
    QCOMPARE(site.chargers.received.front().request.csChargingProfiles.transactionId, std::optional<qint64>(43));
    QCOMPARE(site.chargers.take(), QList<double> {28.0});
}

void TestController::txPurposeGivesEachTransactionItsOwnProfile()
{
    const QString cp1 = QStringLiteral("cp1");
    ChargerConfig first = acCharger(cp1);
    first.profilePurpose = ProfilePurpose::Tx;
    ChargerConfig second = first;
    second.id.connectorId = 2;
    Site site({first, second});
    for (int connector : {1, 2}) {
        ConnectorObservation charging;
        charging.status = QStringLiteral("Charging");
        charging.currentImportA = PhaseValues {8, 8, 8};
        site.controller->connectorObserved({cp1, connector}, charging);
    }
    site.house(26); // 10 A of house load besides the two cars: 22 A for them, 11 A each
    site.controller->chargerConnected(cp1);
    site.controller->transactionStarted({cp1, 1}, 42);
    site.controller->transactionStarted({cp1, 2}, 43);
    const auto sentTo = [&](int connectorId) {
        QList<std::pair<std::optional<qint64>, double>> sent;
        for (const FakeChargers::Received& received : site.chargers.received) {
            if (received.request.connectorId == connectorId)
                sent.append({received.request.csChargingProfiles.transactionId, received.limit()});
        }
        return sent;
    };
    using Sent = QList<std::pair<std::optional<qint64>, double>>;
    QCOMPARE(sentTo(1), (Sent {{42, 11.0}}));
    QCOMPARE(sentTo(2), (Sent {{43, 11.0}}));
    // Distinct ids: on the charger a profile replaces the one with its id, whatever its connector.
    QCOMPARE(site.chargers.received.at(0).request.csChargingProfiles.chargingProfileId, qint64(90210));
    QCOMPARE(site.chargers.received.at(1).request.csChargingProfiles.chargingProfileId, qint64(90211));
    // Each falls back to its own share of the 16 A fail-safe limit: together they stay within it.
    for (const FakeChargers::Received& received : site.chargers.received)
        QCOMPARE(received.request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(1).limit, 8.0);
    QCOMPARE(site.controller->status(cp1).target->limit, 22.0);

    // More house load lowers both at once, each to its own share.
    site.chargers.received.clear();
    site.house(32);
    QCOMPARE(sentTo(1), (Sent {{42, 8.0}}));
    QCOMPARE(sentTo(2), (Sent {{43, 8.0}}));

    // Less house load raises both after the delay, together: one's step does not hold the other's back.
    site.chargers.received.clear();
    site.house(26);
    site.advanceSeconds(21);
    QCOMPARE(sentTo(1), (Sent {{42, 11.0}}));
    QCOMPARE(sentTo(2), (Sent {{43, 11.0}}));

    // The first transaction ends: its profile went with it, the other is still refreshed.
    site.chargers.received.clear();
    site.controller->transactionStopped(cp1, 42);
    site.controller->connectorObserved({cp1, 1}, ConnectorObservation {QStringLiteral("Finishing"), {}, {}});
    site.advanceSeconds(600);
    QVERIFY(sentTo(1).isEmpty());
    const Sent refreshed = sentTo(2);
    QVERIFY(!refreshed.isEmpty());
    QVERIFY(std::all_of(refreshed.cbegin(), refreshed.cend(),
        [](const auto& sent) { return sent.first == std::optional<qint64>(43); }));
}

void TestController::csmsTxProfileCapsUntilItsTransactionStops()
{
    auto site = chargingAt22();
    site->controller->transactionStarted({QStringLiteral("cp1"), 1}, 7);
    site->controller->csmsProfileSet(QStringLiteral("cp1"), csmsTxProfile(10, site->clock.nowUtc(), 7));
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 10.0);
    site->controller->transactionStopped(QStringLiteral("cp1"), 8); // not its transaction
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 10.0);
    site->controller->transactionStopped(QStringLiteral("cp1"), 7);
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 22.0);
}

void TestController::remoteStartTxProfileCapsTheTransactionItStarts()
{
    auto site = chargingAt22();
    ocpp::v16::RemoteStartTransactionRequest remoteStart;
    remoteStart.connectorId = 1;
    remoteStart.idTag = QStringLiteral("TAG");
    remoteStart.chargingProfile = csmsTxProfile(10, site->clock.nowUtc(), 0).csChargingProfiles;
    remoteStart.chargingProfile->transactionId.reset(); // OCPP: none yet, it is the transaction about to start
    site->controller->csmsRemoteStartAccepted(QStringLiteral("cp1"), remoteStart);
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 22.0);
    site->controller->transactionStarted({QStringLiteral("cp1"), 1}, 7);
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 10.0);
    site->controller->transactionStopped(QStringLiteral("cp1"), 7);
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).target->limit, 22.0);
}

void TestController::csmsProfileCapsUntilItsScheduleEnds()
{
    auto site = twoChargingAt16();
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({16.0}));
    QCOMPARE(site->chargers.take(QStringLiteral("cp2")), QList<double>({16.0}));

    site->controller->csmsProfileSet(QStringLiteral("cp1"), csmsTxDefault(10, site->clock.nowUtc(), 600));
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({10.0}));
    // What cp1 may not use goes to cp2, ramped as any increase.
    site->advanceSeconds(30);
    QCOMPARE(site->chargers.take(QStringLiteral("cp2")), QList<double>({20.0, 22.0}));
    QVERIFY(site->chargers.take(QStringLiteral("cp1")).isEmpty());

    site->advanceSeconds(569); // the profiles are refreshed meanwhile, at the same limits
    site->chargers.take(QStringLiteral("cp1"));
    site->chargers.take(QStringLiteral("cp2"));
    site->advanceSeconds(1); // the CSMS's schedule ends: cp1 may have its share again
    QCOMPARE(site->chargers.take(QStringLiteral("cp2")), QList<double>({16.0}));
    site->advanceSeconds(30);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({14.0, 16.0}));
}

void TestController::clearedCsmsProfileNoLongerCaps()
{
    auto site = twoChargingAt16();
    site->controller->csmsProfileSet(QStringLiteral("cp1"), csmsTxDefault(10, site->clock.nowUtc(), 3600));
    site->chargers.take(QStringLiteral("cp1"));
    ocpp::v16::ClearChargingProfileRequest otherPurpose;
    otherPurpose.chargingProfilePurpose = QStringLiteral("TxProfile");
    site->controller->profilesCleared(QStringLiteral("cp1"), otherPurpose);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({10.0})); // re-sent, still capped
    ocpp::v16::ClearChargingProfileRequest byPurpose;
    byPurpose.chargingProfilePurpose = QStringLiteral("TxDefaultProfile");
    site->controller->profilesCleared(QStringLiteral("cp1"), byPurpose);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({10.0})); // re-sent; rises after the delay
    site->advanceSeconds(20);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({14.0}));
}

void TestController::manualLimitUntilItExpires()
{
    auto site = twoChargingAt16();
    site->chargers.take(QStringLiteral("cp1"));
    QSignalSpy expired(site->controller.get(), &ChargingController::manualLimitExpired);
    site->controller->setManualLimit(QStringLiteral("cp1"), ManualLimit {8.0, site->clock.nowUtc().addSecs(300)});
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({8.0}));
    site->advanceSeconds(299);
    site->chargers.take(QStringLiteral("cp1"));
    site->chargers.take(QStringLiteral("cp2"));
    QCOMPARE(expired.count(), 0);
    site->advanceSeconds(1);
    QCOMPARE(expired.count(), 1);
    QCOMPARE(expired.at(0).at(0).toString(), QStringLiteral("cp1"));
    QCOMPARE(site->chargers.take(QStringLiteral("cp2")), QList<double>({16.0})); // gives back what it was lent
    site->advanceSeconds(30);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({12.0, 16.0}));
}

void TestController::groupLimitCapsItsChargersUntilItExpires()
{
    auto site = twoChargingAt16();
    site->model.groups = {GroupConfig {QStringLiteral("G1"), std::nullopt, {32, 32, 32}, std::nullopt}};
    site->model.chargers[0].groupId = QStringLiteral("G1");
    site->controller->setSite(site->model);
    site->chargers.take(QStringLiteral("cp1"));
    site->chargers.take(QStringLiteral("cp2"));
    QSignalSpy expired(site->controller.get(), &ChargingController::groupLimitExpired);

    // Per site phase: a 3-phase car on the group is held by its lowest phase.
    site->controller->setGroupLimit(QStringLiteral("G1"), GroupLimit {{20, 10, 20}, site->clock.nowUtc().addSecs(300)});
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({10.0}));
    QVERIFY(site->chargers.take(QStringLiteral("cp2")).isEmpty()); // outside the group: not lowered
    site->advanceSeconds(299);
    QVERIFY(site->chargers.take(QStringLiteral("cp1")).isEmpty());
    QCOMPARE(expired.count(), 0);

    site->advanceSeconds(1);
    QCOMPARE(expired.count(), 1);
    QCOMPARE(expired.at(0).at(0).toString(), QStringLiteral("G1"));
    site->advanceSeconds(20);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({14.0}));

    // Removed before its expiry: the group's configured limit holds again, and a lower one goes out at once.
    site->controller->setGroupLimit(QStringLiteral("G1"), GroupLimit {{6, 6, 6}, site->clock.nowUtc().addSecs(60)});
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({6.0}));
    site->controller->setGroupLimit(QStringLiteral("G1"), std::nullopt);
    site->advanceSeconds(20);
    QCOMPARE(site->chargers.take(QStringLiteral("cp1")), QList<double>({10.0}));
}

// An AC charger that turns out to accept only W (docs/balancing.md, "Rate unit"): what was in force was in A.
void TestController::rateUnitChangeSendsTheLimitInTheNewUnitAtOnce()
{
    auto site = chargingAt22();
    QCOMPARE(site->chargers.take(), QList<double>({22.0}));
    site->model.chargers[0].rateUnit = RateUnit::Watts;
    site->controller->setSite(site->model);
    QCOMPARE(site->chargers.received.size(), std::size_t(1));
    const auto& schedule = site->chargers.received.front().request.csChargingProfiles.chargingSchedule;
    QCOMPARE(schedule.chargingRateUnit, QStringLiteral("W"));
    QCOMPARE(site->chargers.take(), QList<double>({22.0 * 3 * 230})); // no ramp from "22 W"
    QCOMPARE(site->controller->status(QStringLiteral("cp1")).lastSent->limit, 22.0 * 3 * 230);
}

QTEST_GUILESS_MAIN(TestController)
#include "tst_controller.moc"
