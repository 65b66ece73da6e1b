#include "core/clock.h"
#include "ocpp/endpoint.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace linkray;
using namespace linkray::ocpp;

Q_DECLARE_METATYPE(linkray::ocpp::Strictness)
Q_DECLARE_METATYPE(linkray::ocpp::ErrorCode)

namespace {

constexpr qint64 CallTimeoutMs = 5000;
constexpr int MaxFrameBytes = 512;

const QJsonObject HeartbeatAnswer {{QStringLiteral("currentTime"), QStringLiteral("2026-01-01T00:00:00.000Z")}};
const QJsonObject Accepted {{QStringLiteral("status"), QStringLiteral("Accepted")}};
const QString OwnIdPrefix = QStringLiteral("lr-");

// A CSMS's CALL as LinkRay relays it to a charger: odd spacing, an action LinkRay does not know.
const QString RelayedId = QStringLiteral("csms-1");
const QString VendorAction = QStringLiteral("VendorThing");
const QByteArray VendorCall(R"([2, "csms-1" ,"VendorThing",{ "vendorId" : "ACME",  "data":"x" } ])");

Endpoint::Options endpointOptions(Strictness strictness, const QString& callIdPrefix = {})
{
    Endpoint::Options options;
    options.strictness = strictness;
    options.callTimeoutMs = CallTimeoutMs;
    options.maxFrameBytes = MaxFrameBytes;
    options.callIdPrefix = callIdPrefix;
    return options;
}

// One side of the connection: its endpoint, what it wrote and what it reported.
struct Side {
    std::unique_ptr<Endpoint> endpoint;
    Side* peer = nullptr; // frames go nowhere without one, so a test can play the peer by hand
    QList<QByteArray> sent;
    QList<IncomingCall> calls;
    QList<Violation> deviations;
    QList<CallOutcome> outcomes;
    QList<RelayOutcome> relayOutcomes;
    QStringList framesSentActions;
    QStringList framesReceivedActions;

    Side(Clock& clock, const Endpoint::Options& options)
    {
        // Queued delivery, as from a socket: the peer never runs inside our send.
        endpoint = std::make_unique<Endpoint>(
            clock,
            [this](const QByteArray& text) {
                sent << text;
                if (peer)
                    QMetaObject::invokeMethod(
                        peer->endpoint.get(), [target = peer->endpoint.get(), text] { target->handleIncoming(text); },
                        Qt::QueuedConnection);
            },
            options);
        Endpoint* context = endpoint.get();
        QObject::connect(
            context, &Endpoint::callReceived, context, [this](const IncomingCall& call) { calls << call; });
        QObject::connect(context, &Endpoint::protocolDeviation, context,
            [this](const Violation& violation, const QString&) { deviations << violation; });
        QObject::connect(context, &Endpoint::frameSent, context,
            [this](const QByteArray&, const QString& action) { framesSentActions << action; });
        QObject::connect(context, &Endpoint::frameReceived, context,
            [this](const QByteArray&, const QString& action) { framesReceivedActions << action; });
    }

    void call(const QString& action, const QJsonObject& payload = {})
    {
        endpoint->sendCall(action, payload, [this](const CallOutcome& outcome) { outcomes << outcome; });
    }

    bool relay(const QString& uniqueId, const QString& action, const QByteArray& text)
    {
        return endpoint->relayCall(
            uniqueId, action, text, [this](const RelayOutcome& outcome) { relayOutcomes << outcome; });
    }
};

CallError lastCallError(const Side& side)
{
    const ParseResult parsed = parseFrame(side.sent.last());
    const auto& frame = std::get<ParsedFrame>(parsed).frame;
    return std::holds_alternative<CallError>(frame) ? std::get<CallError>(frame) : CallError {};
}

QString lastUniqueId(const Side& side)
{
    return uniqueIdOf(std::get<ParsedFrame>(parseFrame(side.sent.last())).frame);
}

} // namespace

class TestEndpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void heartbeatRoundTrip();
    void faultyCallIsAnsweredWithCallError_data();
    void faultyCallIsAnsweredWithCallError();
    void unanswerableFrameIsDropped_data();
    void unanswerableFrameIsDropped();
    void answerToCallNeverMadeIsDropped_data();
    void answerToCallNeverMadeIsDropped();
    void timeoutThenLateAnswer();
    void toleratedDeviationDependsOnStrictness_data();
    void toleratedDeviationDependsOnStrictness();
    void invalidResultFailsTheCall();
    void peerCallErrorReachesTheCallback();
    void ownInvalidRequestFailsAtOnce();
    void ownInvalidResponseBecomesInternalError();
    void callsAreSentOneAtATime();
    void secondCallWhileFirstUnansweredIsHandled();
    void cancelAllFailsEveryCall();
    void ownCallIdsCarryThePrefix();
    void relayedCallTravelsByteForByte_data();
    void relayedCallTravelsByteForByte();
    void relayedCallWaitsForOurCall();
    void ourCallWaitsForRelayedCall();
    void relayedCallWithOurIdCannotMisroute();
    void relayedCallTimesOut();
    void cancelAllEndsRelayedCalls();
    void fullQueueRefusesRelayedCall();
    void peerCallsAreHandledWhileRelayedCallIsOutstanding();

private:
    void connectSides();
    void answerHeartbeats(Side& side);

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Side> m_charger;
    std::unique_ptr<Side> m_csms;
};

void TestEndpoint::init()
{
    m_clock = std::make_unique<ManualClock>();
    m_charger = std::make_unique<Side>(*m_clock, endpointOptions(Strictness::Lenient));
    // Plays LinkRay towards the charger when a test relays calls.
    m_csms = std::make_unique<Side>(*m_clock, endpointOptions(Strictness::Lenient, OwnIdPrefix));
}

void TestEndpoint::cleanup()
{
    m_charger.reset();
    m_csms.reset();
    m_clock.reset();
}

void TestEndpoint::connectSides()
{
    m_charger->peer = m_csms.get();
    m_csms->peer = m_charger.get();
}

void TestEndpoint::answerHeartbeats(Side& side)
{
    Endpoint* endpoint = side.endpoint.get();
    connect(endpoint, &Endpoint::callReceived, endpoint,
        [endpoint](const IncomingCall& call) { endpoint->sendResult(call.uniqueId, HeartbeatAnswer); });
}

void TestEndpoint::heartbeatRoundTrip()
{
    connectSides();
    answerHeartbeats(*m_csms);
    m_charger->call(QStringLiteral("Heartbeat"));

    QTRY_COMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Result);
    QCOMPARE(m_charger->outcomes.first().payload, HeartbeatAnswer);
    QCOMPARE(m_csms->calls.size(), 1);
    QCOMPARE(m_csms->calls.first().action, QStringLiteral("Heartbeat"));
    QCOMPARE(m_charger->framesSentActions, QStringList {QStringLiteral("Heartbeat")});
    QCOMPARE(m_charger->framesReceivedActions, QStringList {QStringLiteral("Heartbeat")});
    QCOMPARE(m_csms->framesSentActions, QStringList {QStringLiteral("Heartbeat")});
    QVERIFY(m_charger->deviations.isEmpty());
    QVERIFY(m_csms->deviations.isEmpty());
    QVERIFY(!m_charger->endpoint->hasOutstandingCall());
}

void TestEndpoint::faultyCallIsAnsweredWithCallError_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("descriptionPart");

    QTest::newRow("BootNotification without chargePointModel")
        << QByteArray(R"([2,"u1","BootNotification",{"chargePointVendor":"ACME"}])")
        << ErrorCode::OccurenceConstraintViolation << QStringLiteral("chargePointModel");
    QTest::newRow("BootNotification with an object for chargePointVendor")
        << QByteArray(R"([2,"u1","BootNotification",{"chargePointVendor":{},"chargePointModel":"X"}])")
        << ErrorCode::TypeConstraintViolation << QStringLiteral("chargePointVendor");
    QTest::newRow("unknown action") << QByteArray(R"([2,"u1","FlyToTheMoon",{}])") << ErrorCode::NotImplemented
                                    << QStringLiteral("FlyToTheMoon");
    QTest::newRow("oversized CALL") << QByteArray(
        R"([2,"u1","DataTransfer",{"vendorId":"x","data":")" + QByteArray(MaxFrameBytes, 'a') + R"("}])")
                                    << ErrorCode::FormationViolation << QStringLiteral("exceeds the limit of 512");
    QTest::newRow("CALL of 3 elements") << QByteArray(R"([2,"u1","Heartbeat"])") << ErrorCode::FormationViolation
                                        << QStringLiteral("4 elements");
    QTest::newRow("unknown message type")
        << QByteArray(R"([7,"u1","Heartbeat",{}])") << ErrorCode::ProtocolError << QStringLiteral("message type");
}

void TestEndpoint::faultyCallIsAnsweredWithCallError()
{
    QFETCH(QByteArray, text);
    QFETCH(ErrorCode, code);
    QFETCH(QString, descriptionPart);

    m_csms->endpoint->handleIncoming(text);

    QVERIFY(m_csms->calls.isEmpty());
    QCOMPARE(m_csms->deviations.size(), 1);
    QCOMPARE(m_csms->sent.size(), 1);
    const CallError answer = lastCallError(*m_csms);
    QCOMPARE(answer.uniqueId, QStringLiteral("u1"));
    QCOMPARE(answer.errorCode, errorCodeName(code));
    QVERIFY2(answer.description.contains(descriptionPart), qPrintable(answer.description));
}

void TestEndpoint::unanswerableFrameIsDropped_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("not JSON") << QByteArray("hello");
    QTest::newRow("no uniqueId") << QByteArray(R"([2])");
    QTest::newRow("oversized without a readable uniqueId")
        << QByteArray(R"({"x":")" + QByteArray(MaxFrameBytes, 'a') + R"("})");
    QTest::newRow("malformed CALLRESULT") << QByteArray(R"([3,"u1",[]])");
}

void TestEndpoint::unanswerableFrameIsDropped()
{
    QFETCH(QByteArray, text);

    m_csms->endpoint->handleIncoming(text);

    QVERIFY(m_csms->sent.isEmpty());
    QVERIFY(m_csms->calls.isEmpty());
    QCOMPARE(m_csms->deviations.size(), 1);
    QCOMPARE(m_csms->framesReceivedActions.size(), 1);
}

void TestEndpoint::answerToCallNeverMadeIsDropped_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("CALLRESULT") << QByteArray(R"([3,"never-made",{}])");
    QTest::newRow("CALLERROR") << QByteArray(R"([4,"never-made","GenericError","",{}])");
}

void TestEndpoint::answerToCallNeverMadeIsDropped()
{
    QFETCH(QByteArray, text);

    m_charger->call(QStringLiteral("Heartbeat"));
    m_charger->endpoint->handleIncoming(text);

    QCOMPARE(m_charger->deviations.size(), 1);
    QCOMPARE(m_charger->deviations.first().code, ErrorCode::ProtocolError);
    QVERIFY(m_charger->outcomes.isEmpty());
    QVERIFY(m_charger->endpoint->hasOutstandingCall());
    QCOMPARE(m_charger->sent.size(), 1); // only the Heartbeat: an answer is never answered
}

void TestEndpoint::timeoutThenLateAnswer()
{
    connectSides();
    m_charger->call(QStringLiteral("Heartbeat"));
    QTRY_COMPARE(m_csms->calls.size(), 1);

    m_clock->advance(CallTimeoutMs);
    QCOMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Timeout);

    m_csms->endpoint->sendResult(m_csms->calls.first().uniqueId, HeartbeatAnswer);
    QTRY_COMPARE(m_charger->deviations.size(), 1);
    QVERIFY(m_charger->deviations.first().description.contains(QStringLiteral("timeout")));
    QCOMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->framesReceivedActions, QStringList {QStringLiteral("Heartbeat")});
}

void TestEndpoint::toleratedDeviationDependsOnStrictness_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Strictness>("strictness");
    QTest::addColumn<bool>("handled");

    const QByteArray extraProperty(R"([2,"u1","Heartbeat",{"vendorNote":"x"}])");
    const QByteArray payloadAsString(R"([2,"u1","Heartbeat","{}"])");
    QTest::newRow("extra property, lenient") << extraProperty << Strictness::Lenient << true;
    QTest::newRow("extra property, strict") << extraProperty << Strictness::Strict << false;
    QTest::newRow("payload as a string, lenient") << payloadAsString << Strictness::Lenient << true;
    QTest::newRow("payload as a string, strict") << payloadAsString << Strictness::Strict << false;
}

void TestEndpoint::toleratedDeviationDependsOnStrictness()
{
    QFETCH(QByteArray, text);
    QFETCH(Strictness, strictness);
    QFETCH(bool, handled);

    m_csms->endpoint->setStrictness(strictness);
    m_csms->endpoint->handleIncoming(text);

    QCOMPARE(m_csms->deviations.size(), 1);
    QCOMPARE(m_csms->deviations.first().tolerable, true);
    QCOMPARE(m_csms->calls.size(), handled ? 1 : 0);
    if (handled) {
        QCOMPARE(m_csms->calls.first().deviations.size(), 1);
        QVERIFY(m_csms->sent.isEmpty());
    } else {
        QCOMPARE(lastCallError(*m_csms).errorCode, errorCodeName(ErrorCode::FormationViolation));
    }
}

void TestEndpoint::invalidResultFailsTheCall()
{
    m_charger->call(QStringLiteral("Heartbeat"));
    m_charger->endpoint->handleIncoming(serializeCallResult(lastUniqueId(*m_charger), {}));

    QCOMPARE(m_charger->outcomes.size(), 1);
    const CallOutcome& outcome = m_charger->outcomes.first();
    QCOMPARE(outcome.kind, CallOutcome::Kind::Error);
    QCOMPARE(outcome.errorCode, errorCodeName(ErrorCode::OccurenceConstraintViolation));
    QVERIFY2(outcome.description.contains(QStringLiteral("currentTime")), qPrintable(outcome.description));
}

void TestEndpoint::peerCallErrorReachesTheCallback()
{
    m_charger->call(QStringLiteral("Heartbeat"));
    const QJsonObject details {{QStringLiteral("reason"), QStringLiteral("busy")}};
    m_charger->endpoint->handleIncoming(
        serializeCallError(lastUniqueId(*m_charger), ErrorCode::GenericError, QStringLiteral("try later"), details));

    QCOMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Error);
    QCOMPARE(m_charger->outcomes.first().errorCode, QStringLiteral("GenericError"));
    QCOMPARE(m_charger->outcomes.first().description, QStringLiteral("try later"));
    QCOMPARE(m_charger->outcomes.first().payload, details);
}

void TestEndpoint::ownInvalidRequestFailsAtOnce()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("invalid.*BootNotification")));
    const QJsonObject withoutModel {{QStringLiteral("chargePointVendor"), QStringLiteral("ACME")}};
    m_charger->call(QStringLiteral("BootNotification"), withoutModel);

    QCOMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Error);
    QVERIFY(m_charger->outcomes.first().description.contains(QStringLiteral("chargePointModel")));
    QVERIFY(m_charger->sent.isEmpty());
    QVERIFY(!m_charger->endpoint->hasOutstandingCall());
}

void TestEndpoint::ownInvalidResponseBecomesInternalError()
{
    connectSides();
    Endpoint* csms = m_csms->endpoint.get();
    connect(
        csms, &Endpoint::callReceived, csms, [csms](const IncomingCall& call) { csms->sendResult(call.uniqueId, {}); });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Heartbeat response is invalid")));
    m_charger->call(QStringLiteral("Heartbeat"));

    QTRY_COMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Error);
    QCOMPARE(m_charger->outcomes.first().errorCode, errorCodeName(ErrorCode::InternalError));
}

void TestEndpoint::callsAreSentOneAtATime()
{
    connectSides();
    m_charger->call(QStringLiteral("Heartbeat"));
    m_charger->call(QStringLiteral("StatusNotification"),
        {{QStringLiteral("connectorId"), 1}, {QStringLiteral("errorCode"), QStringLiteral("NoError")},
            {QStringLiteral("status"), QStringLiteral("Available")}});
    m_charger->call(QStringLiteral("Heartbeat"));
    QCOMPARE(m_charger->sent.size(), 1);
    QCOMPARE(m_charger->endpoint->queuedCallCount(), 2);

    QTRY_COMPARE(m_csms->calls.size(), 1);
    m_csms->endpoint->sendResult(m_csms->calls.at(0).uniqueId, HeartbeatAnswer);
    QTRY_COMPARE(m_csms->calls.size(), 2);
    QCOMPARE(m_csms->calls.at(1).action, QStringLiteral("StatusNotification"));
    m_csms->endpoint->sendResult(m_csms->calls.at(1).uniqueId, {});
    QTRY_COMPARE(m_csms->calls.size(), 3);
    m_csms->endpoint->sendResult(m_csms->calls.at(2).uniqueId, HeartbeatAnswer);

    QTRY_COMPARE(m_charger->outcomes.size(), 3);
    for (const CallOutcome& outcome : std::as_const(m_charger->outcomes))
        QCOMPARE(outcome.kind, CallOutcome::Kind::Result);
    QVERIFY(m_csms->deviations.isEmpty());
}

void TestEndpoint::secondCallWhileFirstUnansweredIsHandled()
{
    m_csms->endpoint->handleIncoming(serializeCall(QStringLiteral("a"), QStringLiteral("Heartbeat"), {}));
    m_csms->endpoint->handleIncoming(serializeCall(QStringLiteral("b"), QStringLiteral("Heartbeat"), {}));

    QCOMPARE(m_csms->calls.size(), 2);
    QCOMPARE(m_csms->deviations.size(), 1);
    QCOMPARE(m_csms->deviations.first().code, ErrorCode::ProtocolError);
    m_csms->endpoint->sendResult(QStringLiteral("a"), HeartbeatAnswer);
    m_csms->endpoint->sendResult(QStringLiteral("b"), HeartbeatAnswer);
    QCOMPARE(m_csms->sent.size(), 2);
}

void TestEndpoint::cancelAllFailsEveryCall()
{
    m_charger->call(QStringLiteral("Heartbeat"));
    m_charger->call(QStringLiteral("Heartbeat"));
    m_charger->endpoint->cancelAll(QStringLiteral("connection closed"));

    QCOMPARE(m_charger->outcomes.size(), 2);
    for (const CallOutcome& outcome : std::as_const(m_charger->outcomes)) {
        QCOMPARE(outcome.kind, CallOutcome::Kind::Cancelled);
        QCOMPARE(outcome.description, QStringLiteral("connection closed"));
    }
    QVERIFY(!m_charger->endpoint->hasOutstandingCall());
    m_clock->advance(CallTimeoutMs * 2);
    QCOMPARE(m_charger->outcomes.size(), 2);
}

void TestEndpoint::ownCallIdsCarryThePrefix()
{
    m_csms->call(QStringLiteral("ClearCache"));
    QVERIFY2(lastUniqueId(*m_csms).startsWith(OwnIdPrefix), qPrintable(lastUniqueId(*m_csms)));
}

void TestEndpoint::relayedCallTravelsByteForByte_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QByteArray>("callText");
    QTest::addColumn<QByteArray>("answerText");

    QTest::newRow("unknown action, CALLRESULT")
        << VendorAction << VendorCall << QByteArray(R"([3 , "csms-1",{ "status":"Weird" ,"x":[1, 2]}])");
    QTest::newRow("unknown action, CALLERROR")
        << VendorAction << VendorCall << QByteArray(R"([4,"csms-1", "NotImplemented","nope" , {} ])");
    QTest::newRow("known action, CALLRESULT invalid for it")
        << QStringLiteral("ClearCache") << QByteArray(R"([2,"csms-1","ClearCache",{}])")
        << QByteArray(R"([3,"csms-1",{"stat":"Accepted"}])");
    QTest::newRow("garbled CALLRESULT") << VendorAction << VendorCall << QByteArray(R"([3,"csms-1",[]])");
}

void TestEndpoint::relayedCallTravelsByteForByte()
{
    QFETCH(QString, action);
    QFETCH(QByteArray, callText);
    QFETCH(QByteArray, answerText);

    QVERIFY(m_csms->relay(RelayedId, action, callText));
    QCOMPARE(m_csms->sent, QList<QByteArray> {callText});
    QCOMPARE(m_csms->framesSentActions, QStringList {action});

    m_csms->endpoint->handleIncoming(answerText);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().kind, RelayOutcome::Kind::Answered);
    QCOMPARE(m_csms->relayOutcomes.first().answerText, answerText);
    QCOMPARE(m_csms->framesReceivedActions, QStringList {action});
    QVERIFY(m_csms->deviations.isEmpty());
    QVERIFY(m_csms->calls.isEmpty());
    QVERIFY(m_csms->outcomes.isEmpty());
    QCOMPARE(m_csms->sent.size(), 1); // an answer is never answered
    QVERIFY(!m_csms->endpoint->hasOutstandingCall());
}

void TestEndpoint::relayedCallWaitsForOurCall()
{
    m_csms->call(QStringLiteral("ClearCache"));
    const QString ownId = lastUniqueId(*m_csms);
    QVERIFY(m_csms->relay(RelayedId, VendorAction, VendorCall));
    QCOMPARE(m_csms->sent.size(), 1);
    QCOMPARE(m_csms->endpoint->queuedCallCount(), 1);

    m_csms->endpoint->handleIncoming(serializeCallResult(ownId, Accepted));
    QCOMPARE(m_csms->outcomes.size(), 1);
    QCOMPARE(m_csms->outcomes.first().kind, CallOutcome::Kind::Result);
    QVERIFY(m_csms->relayOutcomes.isEmpty());
    QCOMPARE(m_csms->sent.size(), 2);
    QCOMPARE(m_csms->sent.last(), VendorCall);

    const QByteArray answer(R"([3,"csms-1",{}])");
    m_csms->endpoint->handleIncoming(answer);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().answerText, answer);
    QCOMPARE(m_csms->outcomes.size(), 1);
}

void TestEndpoint::ourCallWaitsForRelayedCall()
{
    QVERIFY(m_csms->relay(RelayedId, VendorAction, VendorCall));
    m_csms->call(QStringLiteral("ClearCache"));
    QCOMPARE(m_csms->sent, QList<QByteArray> {VendorCall});

    const QByteArray answer(R"([3,"csms-1",{"status":"Accepted"}])");
    m_csms->endpoint->handleIncoming(answer);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().answerText, answer);
    QVERIFY(m_csms->outcomes.isEmpty());
    QCOMPARE(m_csms->sent.size(), 2);
    const QString ownId = lastUniqueId(*m_csms);
    QVERIFY(ownId.startsWith(OwnIdPrefix));

    m_csms->endpoint->handleIncoming(serializeCallResult(ownId, Accepted));
    QCOMPARE(m_csms->outcomes.size(), 1);
    QCOMPARE(m_csms->outcomes.first().payload, Accepted);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QVERIFY(m_csms->deviations.isEmpty());
}

void TestEndpoint::relayedCallWithOurIdCannotMisroute()
{
    m_csms->call(QStringLiteral("ClearCache"));
    const QString sharedId = lastUniqueId(*m_csms);
    const QByteArray relayedText = serializeCall(sharedId, VendorAction, {});
    QVERIFY(m_csms->relay(sharedId, VendorAction, relayedText));

    m_csms->endpoint->handleIncoming(serializeCallResult(sharedId, Accepted));
    QCOMPARE(m_csms->outcomes.size(), 1);
    QCOMPARE(m_csms->outcomes.first().payload, Accepted);
    QVERIFY(m_csms->relayOutcomes.isEmpty());
    QCOMPARE(m_csms->sent.last(), relayedText);

    const QByteArray relayedAnswer = serializeCallResult(sharedId, {{QStringLiteral("status"), QStringLiteral("Odd")}});
    m_csms->endpoint->handleIncoming(relayedAnswer);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().answerText, relayedAnswer);
    QCOMPARE(m_csms->outcomes.size(), 1);
}

void TestEndpoint::relayedCallTimesOut()
{
    QVERIFY(m_csms->relay(RelayedId, VendorAction, VendorCall));
    m_clock->advance(CallTimeoutMs - 1);
    QVERIFY(m_csms->relayOutcomes.isEmpty());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no answer to VendorThing call csms-1")));
    m_clock->advance(1);
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().kind, RelayOutcome::Kind::Timeout);
    QVERIFY(m_csms->relayOutcomes.first().answerText.isEmpty());
    QVERIFY(!m_csms->endpoint->hasOutstandingCall());

    m_csms->endpoint->handleIncoming(R"([3,"csms-1",{}])");
    QCOMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->deviations.size(), 1);
    QCOMPARE(m_csms->deviations.first().code, ErrorCode::ProtocolError);
    QVERIFY(m_csms->deviations.first().description.contains(QStringLiteral("timeout")));
}

void TestEndpoint::cancelAllEndsRelayedCalls()
{
    QVERIFY(m_csms->relay(RelayedId, VendorAction, VendorCall));
    m_csms->call(QStringLiteral("ClearCache"));
    QVERIFY(m_csms->relay(QStringLiteral("csms-2"), VendorAction, VendorCall));
    m_csms->endpoint->cancelAll(QStringLiteral("connection closed"));

    QCOMPARE(m_csms->relayOutcomes.size(), 2);
    for (const RelayOutcome& outcome : std::as_const(m_csms->relayOutcomes)) {
        QCOMPARE(outcome.kind, RelayOutcome::Kind::Cancelled);
        QCOMPARE(outcome.description, QStringLiteral("connection closed"));
    }
    QCOMPARE(m_csms->outcomes.size(), 1);
    QCOMPARE(m_csms->outcomes.first().kind, CallOutcome::Kind::Cancelled);
    m_clock->advance(CallTimeoutMs * 2);
    QCOMPARE(m_csms->relayOutcomes.size(), 2);
    QCOMPARE(m_csms->sent.size(), 1);
}

void TestEndpoint::fullQueueRefusesRelayedCall()
{
    Endpoint::Options options = endpointOptions(Strictness::Lenient, OwnIdPrefix);
    options.maxQueuedCalls = 1;
    Side linkray(*m_clock, options);
    linkray.call(QStringLiteral("ClearCache"));
    QVERIFY(linkray.relay(RelayedId, VendorAction, VendorCall));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("send queue full.*csms-2")));
    QVERIFY(!linkray.relay(QStringLiteral("csms-2"), VendorAction, VendorCall));
    QCOMPARE(linkray.endpoint->queuedCallCount(), 1);
    QVERIFY(linkray.relayOutcomes.isEmpty());

    linkray.endpoint->handleIncoming(serializeCallResult(lastUniqueId(linkray), Accepted));
    linkray.endpoint->handleIncoming(R"([3,"csms-1",{}])");
    QCOMPARE(linkray.relayOutcomes.size(), 1);
    QCOMPARE(linkray.sent.size(), 2); // the refused call was never written
}

void TestEndpoint::peerCallsAreHandledWhileRelayedCallIsOutstanding()
{
    connectSides();
    answerHeartbeats(*m_csms);
    const QByteArray dataTransfer(R"([2,"csms-1","DataTransfer",{"vendorId":"ACME"}])");
    QVERIFY(m_csms->relay(RelayedId, QStringLiteral("DataTransfer"), dataTransfer));
    QTRY_COMPARE(m_charger->calls.size(), 1);

    m_charger->call(QStringLiteral("Heartbeat"));
    QTRY_COMPARE(m_charger->outcomes.size(), 1);
    QCOMPARE(m_charger->outcomes.first().kind, CallOutcome::Kind::Result);
    QCOMPARE(m_csms->calls.size(), 1);
    QVERIFY(m_csms->endpoint->hasOutstandingCall());

    m_charger->endpoint->sendResult(RelayedId, Accepted);
    QTRY_COMPARE(m_csms->relayOutcomes.size(), 1);
    QCOMPARE(m_csms->relayOutcomes.first().answerText, m_charger->sent.last());
    QCOMPARE(m_csms->calls.size(), 1);
    QVERIFY(m_csms->deviations.isEmpty());
}

QTEST_GUILESS_MAIN(TestEndpoint)
#include "tst_endpoint.moc"
