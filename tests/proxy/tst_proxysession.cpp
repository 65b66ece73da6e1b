#include "localcsms/localcsms.h"
#include "ocpp/endpoint.h"
#include "proxy/proxysession.h"
#include "storage/outboxwriter.h"
#include "storage/repositories.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linkray;
using namespace linkray::proxy;

namespace {

const QString ChargePoint = QStringLiteral("CP1");
constexpr int UnpacedSendsPerTurn = 1000;

QByteArray boot(const char* id)
{
    return QByteArray(R"([2,")") + id
        + R"(","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"W22"}])";
}

QByteArray status(const char* id, int connector, const char* state)
{
    return QByteArray(R"([2,")") + id + R"(","StatusNotification",{"connectorId":)" + QByteArray::number(connector)
        + R"(,"errorCode":"NoError","status":")" + state + R"("}])";
}

QByteArray start(const char* id)
{
    return QByteArray(R"([2,")") + id
        + R"(","StartTransaction",{"connectorId":1,"idTag":"TAG1","meterStart":1000,"timestamp":"2026-11-25T10:00:00.000Z"}])";
}

QByteArray meterValues(const char* id, qint64 transactionId)
{
    return QByteArray(R"([2,")") + id + R"(","MeterValues",{"connectorId":1,"transactionId":)"
        + QByteArray::number(transactionId)
        + R"(,"meterValue":[{"timestamp":"2026-11-25T10:05:00.000Z","sampledValue":[{"value":"1500"}]}]}])";
}

QByteArray stop(const char* id, qint64 transactionId)
{
    return QByteArray(R"([2,")") + id + R"(","StopTransaction",{"transactionId":)" + QByteArray::number(transactionId)
        + R"(,"meterStop":2500,"timestamp":"2026-11-25T10:30:00.000Z"}])";
}

QJsonArray frameOf(const QByteArray& text)
{
    return QJsonDocument::fromJson(text).array();
}

QString uniqueIdOf(const QByteArray& text)
{
    return frameOf(text).at(1).toString();
}

} // namespace

// A proxied charger without sockets: the session between a list of frames the charger received, a list the CSMS
// received, the local central system (LocalCsms) over a temporary database, and a manual clock.
class ProxyBench {
public:
    explicit ProxyBench(ProxySettings settings = {})
        : outbox(outboxRows)
        , context {clock, database, outbox, settings}
    {
        // These tests answer replayed calls one after another within one turn of the event loop: pacing the replay
        // per turn has a test of its own (liveCallsAreAnsweredWhileOtherChargersDrainLargeBacklogs).
        context.replayPacer = std::make_shared<ReplayPacer>(UnpacedSendsPerTurn);
        if (const auto error = storage::Database::open(database, storage::Database::filePathIn(directory.path())))
            qFatal("cannot open the test database: %s", qPrintable(*error));
        storage::IdTagRecord tag;
        tag.idTag = QStringLiteral("TAG1");
        storage::IdTagRepository(database).replaceAll({tag});
        localcsms::Policy policy;
        policy.isKnownChargePoint = [](const QString&) { return true; };
        csms = std::make_unique<localcsms::LocalCsms>(localcsms::Context {clock, database, policy});
        ocpp::Endpoint::Options options;
        options.callIdPrefix = QStringLiteral("lr-");
        local = std::make_unique<ocpp::Endpoint>(
            clock, [this](const QByteArray& text) { toCharger.append(text); }, options);
        csms->attach(ChargePoint, local.get());
        session = std::make_unique<ProxySession>(
            ChargePoint, context, *local, [this](const QByteArray& text) { toCharger.append(text); },
            [this](const QByteArray& text) {
                if (!upstreamOpen)
                    return false;
                toCsms.append(text);
                return true;
            });
        // As the app does: what the CSMS answered is recorded by the local central system.
        QObject::connect(session.get(), &ProxySession::relayedCallAnswered,
            [this](const ocpp::IncomingCall& call, const QJsonObject& csmsResult) {
                csms->recordRelayed(ChargePoint, call, csmsResult);
            });
        // As the Proxy does: a stalled upstream is closed and opened again.
        QObject::connect(session.get(), &ProxySession::upstreamStalled, [this] {
            ++stalls;
            loseUpstream();
            openUpstream();
        });
        session->start();
    }

    ~ProxyBench()
    {
        session.reset();
        csms.reset();
        local.reset();
    }

    void openUpstream()
    {
        upstreamOpen = true;
        session->upstreamOpened();
    }
    void loseUpstream()
    {
        upstreamOpen = false;
        session->upstreamLost(QStringLiteral("test: CSMS unreachable"));
    }
    // Sends a charger frame and waits until the charger has `answers` frames in total.
    bool fromCharger(const QByteArray& text, qsizetype answers)
    {
        session->handleChargerText(text);
        return QTest::qWaitFor([&] { return toCharger.size() >= answers; }, 5000);
    }
    // An outage queues the StatusNotifications s1 and s2; then the upstream opens, and s1 must be the first replayed.
    bool replayBeginsWithTheFirstOfTwoQueuedStatuses()
    {
        loseUpstream();
        if (!fromCharger(status("s1", 1, "Preparing"), 1) || !fromCharger(status("s2", 1, "Charging"), 2))
            return false;
        openUpstream();
        return toCsms == QList<QByteArray> {status("s1", 1, "Preparing")};
    }
    QJsonObject lastAnswerToCharger() const { return frameOf(toCharger.constLast()).at(2).toObject(); }
    storage::OutboxStats backlog() { return storage::OutboxRepository(database).stats(ChargePoint); }
    QStringList eventKinds()
    {
        QStringList kinds;
        for (const auto& event : storage::EventRepository(database).recent(ChargePoint))
            kinds.append(event.kind);
        return kinds;
    }

    ManualClock clock;
    QTemporaryDir directory;
    storage::Database database;
    storage::OutboxRepository outboxRows {database};
    storage::OutboxWriter outbox;
    ProxyContext context;
    std::unique_ptr<localcsms::LocalCsms> csms;
    std::unique_ptr<ocpp::Endpoint> local;
    std::unique_ptr<ProxySession> session;
    QList<QByteArray> toCharger;
    QList<QByteArray> toCsms;
    bool upstreamOpen = false;
    int stalls = 0;
};

// Slots are defined below the class: moc cannot read the raw-string frames inside a class body.
class TestProxySession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void framesPassByteForByteInBothDirections();
    void tagsTheCsmsAnsweredAreCached();
    void firstFramesWaitForTheUpstreamToOpen();
    void aChargerIsServedLocallyWhenTheUpstreamDoesNotOpenInTime();
    void outageIsReplayedInOrderWithTheCsmsTransactionId();
    void liveCallsThatNeedAnAnswerNowGoAheadOfTheBacklog();
    void aCsmsThatDoesNotAnswerInTimeLeavesTheChargerToLinkRay();
    void aMessageTheCsmsNeverAnswersIsHeldAfterTheConfiguredAttempts();
    void aCsmsErrorForAReplayedMessageIsRecordedAndTheReplayGoesOn();
    void theLinkDroppingMidCallLeavesTheChargerAnsweredAndTheMessageKept();
    void whatTheCsmsAnsweredIsNotReplayedAfterAQuickReconnect();
    void anAnsweredBootIsNotReplayedAfterAQuickReconnect();
    void csmsCallsWaitForLinkRaysOwnCallAndItsAnswerStaysHere();
    void whatTheCsmsPushesToTheChargerIsRemembered();
    void aFullOutboxCoalescesStatusButKeepsEveryTransactionMessage();
    void whatTheChargerDoesWhileTheCsmsAnswersIsRecordedHereToo();
    void liveCallsAreAnsweredWhileOtherChargersDrainLargeBacklogs();
};

void TestProxySession::framesPassByteForByteInBothDirections()
{
    ProxyBench bench;
    bench.openUpstream();
    const QByteArray authorize = R"([2, "a1" ,"Authorize", {"idTag":"TAG1" }])";
    bench.session->handleChargerText(authorize);
    QCOMPARE(bench.toCsms, QList<QByteArray> {authorize});
    const QByteArray answer = R"([3,"a1",{"idTagInfo":{"status":"Accepted","expiryDate":"2027-01-01T00:00:00Z"}}])";
    bench.session->handleCsmsText(answer);
    QCOMPARE(bench.toCharger, QList<QByteArray> {answer});

    const QByteArray vendorCall = R"([2,"v1","DataTransfer",{"vendorId":"com.acme","data":"x"}])";
    bench.session->handleCsmsText(vendorCall);
    QCOMPARE(bench.toCharger.constLast(), vendorCall);
    const QByteArray vendorAnswer = R"([3,"v1",{"status":"Accepted","data":"y"}])";
    bench.session->handleChargerText(vendorAnswer);
    QCOMPARE(bench.toCsms.constLast(), vendorAnswer);
    QCOMPARE(bench.session->status().state, LinkState::Connected);
}

void TestProxySession::tagsTheCsmsAnsweredAreCached()
{
    ProxyBench bench;
    bench.openUpstream();
    bench.session->handleChargerText(R"([2,"a1","Authorize",{"idTag":"CARD-7"}])");
    bench.session->handleCsmsText(
        R"([3,"a1",{"idTagInfo":{"status":"Accepted","expiryDate":"2027-01-01T00:00:00Z"}}])");
    const auto cached = storage::CsmsAuthorizationRepository(bench.database).cached(QStringLiteral("CARD-7"));
    QVERIFY(cached);
    QCOMPARE(cached->status, QStringLiteral("Accepted"));
    QCOMPARE(cached->expiryDate, QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC));
}

void TestProxySession::firstFramesWaitForTheUpstreamToOpen()
{
    ProxyBench bench;
    bench.session->handleChargerText(boot("b1"));
    QCOMPARE(bench.session->status().state, LinkState::WaitingForCsms);
    QVERIFY(bench.toCharger.isEmpty());
    QVERIFY(bench.toCsms.isEmpty());

    bench.clock.advance(4000);
    bench.openUpstream();
    QCOMPARE(bench.toCsms, QList<QByteArray> {boot("b1")});
    const QByteArray answer = R"([3,"b1",{"status":"Accepted","currentTime":"2026-11-25T10:00:00Z","interval":77}])";
    bench.session->handleCsmsText(answer);
    QCOMPARE(bench.toCharger, QList<QByteArray> {answer});
    QCOMPARE(bench.backlog().queued, 0);
}

void TestProxySession::aChargerIsServedLocallyWhenTheUpstreamDoesNotOpenInTime()
{
    ProxyBench bench;
    bench.session->handleChargerText(boot("b1"));
    bench.clock.advance(5000);
    QVERIFY(QTest::qWaitFor([&] { return bench.toCharger.size() == 1; }, 5000));
    QCOMPARE(bench.lastAnswerToCharger().value(u"status").toString(), QStringLiteral("Accepted"));
    QCOMPARE(bench.session->status().state, LinkState::Outage);
    QVERIFY(bench.session->status().outageSince);
    QCOMPARE(bench.backlog().queued, 1);
}

// The whole outage story: local answers, the backlog replayed in order (boot first), the CSMS's transaction id
// replacing the provisional one on the way up and the way down.
void TestProxySession::outageIsReplayedInOrderWithTheCsmsTransactionId()
{
    ProxyBench bench;
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(status("s0", 0, "Available"), 1));
    QVERIFY(bench.fromCharger(boot("b1"), 2));
    QVERIFY(bench.fromCharger(start("t1"), 3));
    const qint64 provisional = bench.lastAnswerToCharger().value(u"transactionId").toInteger();
    QVERIFY(provisional > 0);
    QVERIFY(bench.fromCharger(meterValues("m1", provisional), 4));
    QVERIFY(bench.fromCharger(stop("x1", provisional), 5));
    QCOMPARE(bench.backlog().queued, 5);

    bench.openUpstream();
    QCOMPARE(bench.session->status().state, LinkState::Replaying);
    QCOMPARE(bench.toCsms, QList<QByteArray> {boot("b1")});
    bench.session->handleCsmsText(
        R"([3,"b1",{"status":"Accepted","currentTime":"2026-11-25T11:00:00Z","interval":300}])");
    QCOMPARE(bench.toCsms.constLast(), status("s0", 0, "Available"));
    bench.session->handleCsmsText(R"([3,"s0",{}])");
    QCOMPARE(bench.toCsms.constLast(), start("t1"));
    bench.session->handleCsmsText(R"([3,"t1",{"transactionId":777,"idTagInfo":{"status":"Accepted"}}])");

    const QJsonArray replayedMeterValues = frameOf(bench.toCsms.constLast());
    QCOMPARE(replayedMeterValues.at(1).toString(), QStringLiteral("m1"));
    QCOMPARE(replayedMeterValues.at(3).toObject().value(u"transactionId").toInteger(), 777);
    QCOMPARE(replayedMeterValues.at(3).toObject().value(u"meterValue"),
        frameOf(meterValues("m1", provisional)).at(3).toObject().value(u"meterValue"));
    bench.session->handleCsmsText(R"([3,"m1",{}])");
    const QJsonArray replayedStop = frameOf(bench.toCsms.constLast());
    QCOMPARE(replayedStop.at(2).toString(), QStringLiteral("StopTransaction"));
    QCOMPARE(replayedStop.at(3).toObject().value(u"transactionId").toInteger(), 777);
    QCOMPARE(replayedStop.at(3).toObject().value(u"timestamp").toString(), QStringLiteral("2026-11-25T10:30:00.000Z"));
    bench.session->handleCsmsText(R"([3,"x1",{}])");
    QCOMPARE(bench.toCsms.size(), 5);
    QCOMPARE(bench.session->status().state, LinkState::Connected);
    QVERIFY(bench.session->status().lastReplayAt);
    QTRY_COMPARE(bench.backlog().queued, 0);
    const auto replayed = storage::TransactionRepository(bench.database).find(provisional);
    QCOMPARE(replayed->csmsTransactionId, 777);
    QCOMPARE(replayed->chargerTransactionId(), provisional);

    const qsizetype before = bench.toCharger.size();
    bench.session->handleCsmsText(R"([2,"r1","RemoteStopTransaction",{"transactionId":777}])");
    QCOMPARE(bench.toCharger.size(), before + 1);
    const QJsonArray remoteStop = frameOf(bench.toCharger.constLast());
    QCOMPARE(remoteStop.at(1).toString(), QStringLiteral("r1"));
    QCOMPARE(remoteStop.at(3).toObject().value(u"transactionId").toInteger(), provisional);
    bench.session->handleChargerText(R"([3,"r1",{"status":"Accepted"}])");
    QCOMPARE(bench.toCsms.constLast(), QByteArray(R"([3,"r1",{"status":"Accepted"}])"));
}

void TestProxySession::liveCallsThatNeedAnAnswerNowGoAheadOfTheBacklog()
{
    ProxyBench bench;
    QVERIFY(bench.replayBeginsWithTheFirstOfTwoQueuedStatuses());

    const QByteArray authorize = R"([2,"a1","Authorize",{"idTag":"TAG1"}])";
    bench.session->handleChargerText(authorize);
    QVERIFY(bench.fromCharger(meterValues("m1", 5), 3)); // journaled: answered locally, queued behind s2
    QCOMPARE(bench.toCsms.size(), 1);

    bench.session->handleCsmsText(R"([3,"s1",{}])");
    QCOMPARE(bench.toCsms.constLast(), authorize);
    const QByteArray accepted = R"([3,"a1",{"idTagInfo":{"status":"Accepted"}}])";
    bench.session->handleCsmsText(accepted);
    QCOMPARE(bench.toCharger.constLast(), accepted);
    QCOMPARE(bench.toCsms.constLast(), status("s2", 1, "Charging"));
    bench.session->handleCsmsText(R"([3,"s2",{}])");
    QCOMPARE(uniqueIdOf(bench.toCsms.constLast()), QStringLiteral("m1"));
}

void TestProxySession::aCsmsThatDoesNotAnswerInTimeLeavesTheChargerToLinkRay()
{
    ProxyBench bench;
    bench.openUpstream();
    bench.session->handleChargerText(start("t1"));
    QCOMPARE(bench.toCsms, QList<QByteArray> {start("t1")});
    QVERIFY(bench.toCharger.isEmpty());

    bench.clock.advance(10000);
    QVERIFY(QTest::qWaitFor([&] { return bench.toCharger.size() == 1; }, 5000));
    const qint64 provisional = bench.lastAnswerToCharger().value(u"transactionId").toInteger();
    QVERIFY(provisional > 0);
    // Kept, and sent again with the same message id once it is durable.
    QTRY_COMPARE(bench.toCsms.size(), 2);
    QCOMPARE(bench.toCsms.constLast(), start("t1"));
    QCOMPARE(bench.session->status().state, LinkState::Replaying);
    bench.session->handleCsmsText(R"([3,"t1",{"transactionId":31,"idTagInfo":{"status":"Accepted"}}])");
    QCOMPARE(bench.toCharger.size(), 1); // the late answer is not relayed: the charger already has one
    QCOMPARE(storage::TransactionIdMapRepository(bench.database).csmsId(provisional), std::optional<qint64>(31));
    QCOMPARE(bench.session->status().state, LinkState::Connected);
}

void TestProxySession::aMessageTheCsmsNeverAnswersIsHeldAfterTheConfiguredAttempts()
{
    ProxyBench bench;
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(status("s1", 1, "Faulted"), 1));
    QVERIFY(bench.fromCharger(status("s2", 2, "Available"), 2));
    bench.openUpstream();
    for (int attempt = 1; attempt <= 3; ++attempt) {
        QCOMPARE(bench.toCsms.size(), attempt);
        QCOMPARE(uniqueIdOf(bench.toCsms.constLast()), QStringLiteral("s1"));
        bench.clock.advance(10000);
    }
    QCOMPARE(uniqueIdOf(bench.toCsms.constLast()), QStringLiteral("s2"));
    QCOMPARE(bench.stalls, 3);
    QCOMPARE(bench.backlog().held, 1);
    QVERIFY(bench.eventKinds().contains(QStringLiteral("ReplayHeld")));
}

void TestProxySession::aCsmsErrorForAReplayedMessageIsRecordedAndTheReplayGoesOn()
{
    ProxyBench bench;
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(status("s1", 1, "Faulted"), 1));
    QVERIFY(bench.fromCharger(status("s2", 2, "Available"), 2));
    bench.openUpstream();
    bench.session->handleCsmsText(R"([4,"s1","InternalError","database busy",{}])");
    QCOMPARE(uniqueIdOf(bench.toCsms.constLast()), QStringLiteral("s2"));
    QVERIFY(bench.eventKinds().contains(QStringLiteral("ReplayRefused")));
}

void TestProxySession::theLinkDroppingMidCallLeavesTheChargerAnsweredAndTheMessageKept()
{
    ProxyBench bench;
    bench.openUpstream();
    bench.session->handleChargerText(status("s1", 1, "Charging"));
    QCOMPARE(bench.toCsms.size(), 1);
    bench.loseUpstream();
    QVERIFY(QTest::qWaitFor([&] { return bench.toCharger.size() == 1; }, 5000));
    QCOMPARE(uniqueIdOf(bench.toCharger.constLast()), QStringLiteral("s1"));
    QCOMPARE(bench.backlog().queued, 1);
    QCOMPARE(bench.session->status().state, LinkState::Outage);
    QVERIFY(bench.eventKinds().contains(QStringLiteral("UpstreamDown")));
}

void TestProxySession::whatTheCsmsAnsweredIsNotReplayedAfterAQuickReconnect()
{
    ProxyBench bench;
    QVERIFY(bench.replayBeginsWithTheFirstOfTwoQueuedStatuses());
    bench.session->handleCsmsText(R"([3,"s1",{}])");
    QCOMPARE(bench.toCsms.constLast(), status("s2", 1, "Charging"));
    // The link drops before s2 is answered and is back before the event loop turns again.
    bench.loseUpstream();
    bench.openUpstream();
    QCOMPARE(bench.toCsms.size(), 3);
    QCOMPARE(bench.toCsms.constLast(), status("s2", 1, "Charging"));
    bench.session->handleCsmsText(R"([3,"s2",{}])");
    QTRY_COMPARE(bench.backlog().queued, 0);
}

// The boot is looked up on its own when a replay begins (the newest queued one goes first), not by the refill.
void TestProxySession::anAnsweredBootIsNotReplayedAfterAQuickReconnect()
{
    ProxyBench bench;
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(boot("b1"), 1));
    QVERIFY(bench.fromCharger(status("s1", 1, "Preparing"), 2));
    bench.openUpstream();
    QCOMPARE(bench.toCsms, QList<QByteArray> {boot("b1")});
    bench.session->handleCsmsText(
        R"([3,"b1",{"status":"Accepted","currentTime":"2026-11-25T10:00:00.000Z","interval":300}])");
    QCOMPARE(bench.toCsms.constLast(), status("s1", 1, "Preparing"));
    bench.loseUpstream();
    bench.openUpstream();
    QCOMPARE(
        bench.toCsms, (QList<QByteArray> {boot("b1"), status("s1", 1, "Preparing"), status("s1", 1, "Preparing")}));
    bench.session->handleCsmsText(R"([3,"s1",{}])");
    QTRY_COMPARE(bench.backlog().queued, 0);
}

void TestProxySession::csmsCallsWaitForLinkRaysOwnCallAndItsAnswerStaysHere()
{
    ProxyBench bench;
    bench.openUpstream();
    std::optional<ocpp::CallOutcome> ownOutcome;
    bench.local->sendCall(
        QStringLiteral("GetConfiguration"), {}, [&](const ocpp::CallOutcome& outcome) { ownOutcome = outcome; });
    QCOMPARE(bench.toCharger.size(), 1);
    const QString ownId = uniqueIdOf(bench.toCharger.constFirst());
    QVERIFY(ownId.startsWith(QLatin1String("lr-")));

    const QByteArray reset = R"([2,"c1","Reset",{"type":"Soft"}])";
    bench.session->handleCsmsText(reset);
    QCOMPARE(bench.toCharger.size(), 1);

    bench.session->handleChargerText(
        QByteArray(R"([3,")") + ownId.toUtf8() + R"(",{"configurationKey":[],"unknownKey":[]}])");
    QVERIFY(ownOutcome);
    QCOMPARE(ownOutcome->kind, ocpp::CallOutcome::Kind::Result);
    QCOMPARE(bench.toCharger.constLast(), reset);
    QVERIFY(bench.toCsms.isEmpty());
    bench.session->handleChargerText(R"([3,"c1",{"status":"Accepted"}])");
    QCOMPARE(bench.toCsms, QList<QByteArray> {R"([3,"c1",{"status":"Accepted"}])"});
}

void TestProxySession::whatTheCsmsPushesToTheChargerIsRemembered()
{
    ProxyBench bench;
    bench.openUpstream();
    QSignalSpy keyChanged(bench.session.get(), &ProxySession::authorizationKeyChanged);
    QSignalSpy accepted(bench.session.get(), &ProxySession::csmsCommandAccepted);
    bench.session->handleCsmsText(R"([2,"l1","SendLocalList",{"listVersion":3,"updateType":"Full",
        "localAuthorizationList":[{"idTag":"LIST-1","idTagInfo":{"status":"Accepted"}}]}])");
    bench.session->handleChargerText(R"([3,"l1",{"status":"Accepted"}])");
    storage::CsmsAuthorizationRepository tags(bench.database);
    QCOMPARE(tags.localListVersion(ChargePoint), std::optional<int>(3));
    QVERIFY(tags.localListEntry(ChargePoint, QStringLiteral("LIST-1")));

    bench.session->handleCsmsText(
        R"([2,"k1","ChangeConfiguration",{"key":"AuthorizationKey","value":"00112233445566778899"}])");
    bench.session->handleChargerText(R"([3,"k1",{"status":"Rejected"}])");
    QCOMPARE(keyChanged.size(), 0);
    bench.session->handleCsmsText(
        R"([2,"k2","ChangeConfiguration",{"key":"AuthorizationKey","value":"00112233445566778899"}])");
    bench.session->handleChargerText(R"([3,"k2",{"status":"Accepted"}])");
    QCOMPARE(keyChanged.size(), 1);
    QCOMPARE(accepted.size(), 2); // SendLocalList and the accepted ChangeConfiguration, not the rejected one
    QCOMPARE(accepted.at(1).at(0).toString(), QStringLiteral("ChangeConfiguration"));
    QCOMPARE(accepted.at(1).at(1).toJsonObject().value(u"key").toString(), QStringLiteral("AuthorizationKey"));
    QCOMPARE(keyChanged.first().first().toString(), QStringLiteral("00112233445566778899"));
}

void TestProxySession::aFullOutboxCoalescesStatusButKeepsEveryTransactionMessage()
{
    ProxySettings settings;
    settings.outboxMaxMessages = 2;
    ProxyBench bench(settings);
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(status("s1", 1, "Preparing"), 1));
    QVERIFY(bench.fromCharger(status("s2", 1, "Charging"), 2));
    QVERIFY(bench.fromCharger(status("s3", 1, "SuspendedEV"), 3));
    QCOMPARE(bench.backlog().queued, 2);
    QVERIFY(bench.fromCharger(start("t1"), 4));
    QVERIFY(bench.fromCharger(stop("x1", 1), 5));
    QCOMPARE(bench.backlog().queued, 4);
    QStringList kept;
    for (const auto& row : storage::OutboxRepository(bench.database).queued(ChargePoint, 10))
        kept.append(row.uniqueId);
    QCOMPARE(
        kept, (QStringList {QStringLiteral("s2"), QStringLiteral("s3"), QStringLiteral("t1"), QStringLiteral("x1")}));
}

void TestProxySession::whatTheChargerDoesWhileTheCsmsAnswersIsRecordedHereToo()
{
    ProxyBench bench;
    bench.openUpstream();
    bench.session->handleChargerText(boot("b1"));
    bench.session->handleCsmsText(
        R"([3,"b1",{"status":"Pending","currentTime":"2026-11-25T11:00:00Z","interval":300}])");
    storage::ChargePointRepository chargePoints(bench.database);
    // Recorded at the end of the event-loop turn, in one commit.
    QTRY_COMPARE(chargePoints.find(ChargePoint)->bootStatus, QStringLiteral("Pending")); // the CSMS's, not LinkRay's
    bench.session->handleChargerText(boot("b2"));
    bench.session->handleCsmsText(
        R"([3,"b2",{"status":"Accepted","currentTime":"2026-11-25T11:00:10Z","interval":300}])");
    bench.session->handleChargerText(status("s1", 1, "Preparing"));
    bench.session->handleCsmsText(R"([3,"s1",{}])");
    bench.session->handleChargerText(status("s2", 1, "Charging"));
    bench.session->handleCsmsText(R"([4,"s2","InternalError","the CSMS failed",{}])");
    bench.session->handleChargerText(start("t1"));
    bench.session->handleCsmsText(R"([3,"t1",{"transactionId":5001,"idTagInfo":{"status":"Accepted"}}])");
    bench.session->handleChargerText(meterValues("m1", 5001));
    bench.session->handleCsmsText(R"([3,"m1",{}])");
    QCOMPARE(bench.toCharger.size(), 6);
    // The link drops: LinkRay answers the stop itself and finds the transaction by the CSMS's id the charger uses.
    bench.loseUpstream();
    QVERIFY(bench.fromCharger(stop("x1", 5001), 7));
    QCOMPARE(bench.backlog().queued, 1);

    QCOMPARE(chargePoints.find(ChargePoint)->vendor, QStringLiteral("Acme"));
    QCOMPARE(chargePoints.find(ChargePoint)->bootStatus, QStringLiteral("Accepted"));
    const auto connectors = chargePoints.connectors(ChargePoint);
    QCOMPARE(connectors.size(), 1);
    QCOMPARE(connectors.first().status, QStringLiteral("Preparing")); // the CSMS refused the Charging one

    const auto transactions = storage::TransactionRepository(bench.database).list();
    QCOMPARE(transactions.size(), 1);
    const storage::TransactionRecord& transaction = transactions.first();
    QCOMPARE(transaction.csmsTransactionId, 5001);
    QCOMPARE(transaction.chargerTransactionId(), 5001);
    QVERIFY(transaction.id != 5001);
    QCOMPARE(transaction.meterStartWh, 1000);
    QCOMPARE(transaction.meterStopWh, 2500);
    const auto samples = storage::MeterValueRepository(bench.database).forTransaction(transaction.id);
    QCOMPARE(samples.size(), 1);
    QCOMPARE(samples.first().rawValue, QStringLiteral("1500"));
    QVERIFY(!bench.eventKinds().contains(QStringLiteral("StopTransactionUnknown")));
}

// A charger of its own with a CSMS that answers each of its calls in the next turn of the event loop, made on the
// bench's context, so that it shares the replay pacer with every other such charger.
struct PacedCharger {
    PacedCharger(ProxyBench& bench, const QString& id)
        : local(std::make_unique<ocpp::Endpoint>(
            bench.clock, [this](const QByteArray& text) { toCharger.append(text); }, ocpp::Endpoint::Options {}))
        , session(std::make_unique<ProxySession>(
              id, bench.context, *local, [this](const QByteArray& text) { toCharger.append(text); },
              [this](const QByteArray& text) {
                  toCsms.append(text);
                  const QByteArray answer = "[3,\"" + uniqueIdOf(text).toUtf8() + "\",{}]";
                  QMetaObject::invokeMethod(
                      session.get(), [this, answer] { session->handleCsmsText(answer); }, Qt::QueuedConnection);
                  return true;
              }))
    {
        session->start();
        session->upstreamOpened();
    }

    QList<QByteArray> toCharger;
    QList<QByteArray> toCsms;
    std::unique_ptr<ocpp::Endpoint> local;
    std::unique_ptr<ProxySession> session;
};

// Three chargers come back with large backlogs to a CSMS that answers at once, while a fourth makes live calls. The
// replay sends at most the pacer's budget per turn of the event loop, whoever it belongs to, so the live calls are
// answered while the backlogs are still there; each backlog still reaches the CSMS whole and in its own order.
void TestProxySession::liveCallsAreAnsweredWhileOtherChargersDrainLargeBacklogs()
{
    constexpr int SendsPerTurn = 2;
    constexpr int BacklogPerCharger = 100;
    ProxyBench bench;
    bench.context.replayPacer = std::make_shared<ReplayPacer>(SendsPerTurn);
    const QStringList replayingIds {QStringLiteral("BL1"), QStringLiteral("BL2"), QStringLiteral("BL3")};
    QList<storage::OutboxMessage> rows;
    for (int i = 0; i < BacklogPerCharger; ++i) {
        for (const QString& id : replayingIds) {
            storage::OutboxMessage row;
            row.chargePointId = id;
            row.uniqueId = QStringLiteral("s%1").arg(i);
            row.action = QStringLiteral("StatusNotification");
            row.frame = status(row.uniqueId.toUtf8().constData(), 1, i % 2 ? "Charging" : "SuspendedEV");
            row.receivedAt = bench.clock.nowUtc();
            rows.append(row);
        }
    }
    QVERIFY(storage::OutboxRepository(bench.database).appendAndRemove(rows, {}));
    const qint64 queued = storage::OutboxRepository(bench.database).totalQueued();
    QCOMPARE(queued, replayingIds.size() * BacklogPerCharger);

    std::vector<std::unique_ptr<PacedCharger>> replaying;
    for (const QString& id : replayingIds)
        replaying.push_back(std::make_unique<PacedCharger>(bench, id));
    PacedCharger live(bench, QStringLiteral("LIVE"));
    const auto backlogSent = [&] {
        qsizetype sent = 0;
        for (const auto& charger : replaying)
            sent += charger->toCsms.size();
        return sent;
    };
    // One turn of the event loop: the CSMS's answers of the last turn arrive, and the replay goes on.
    const auto turn = [&] {
        const qsizetype before = backlogSent();
        QCoreApplication::processEvents();
        return backlogSent() - before;
    };

    constexpr int LiveCalls = 5;
    for (int call = 0; call < LiveCalls; ++call) {
        const QByteArray heartbeat = "[2,\"h" + QByteArray::number(call) + "\",\"Heartbeat\",{}]";
        live.session->handleChargerText(heartbeat);
        QCOMPARE(live.toCsms.constLast(), heartbeat);
        for (int turns = 0; live.toCharger.size() == call; ++turns) {
            QVERIFY2(turns < 10, "the live call was not answered");
            QVERIFY(turn() <= SendsPerTurn);
        }
        QCOMPARE(uniqueIdOf(live.toCharger.constLast()), QStringLiteral("h%1").arg(call));
    }
    QVERIFY2(backlogSent() < queued / 2, "the live calls waited for the backlogs");

    for (int turns = 0; backlogSent() < queued; ++turns) {
        QVERIFY2(turns < 10 * queued, "the replay stalled");
        QVERIFY(turn() <= SendsPerTurn);
    }
    for (const auto& charger : replaying) {
        QCOMPARE(charger->toCsms.size(), BacklogPerCharger);
        for (int i = 0; i < BacklogPerCharger; ++i)
            QCOMPARE(uniqueIdOf(charger->toCsms.at(i)), QStringLiteral("s%1").arg(i));
    }
    QTRY_COMPARE(storage::OutboxRepository(bench.database).totalQueued(), 0);
    for (const auto& charger : replaying)
        QCOMPARE(charger->session->status().state, LinkState::Connected);
}

QTEST_GUILESS_MAIN(TestProxySession)
#include "tst_proxysession.moc"
