#include "ocpp/frame.h"

#include <QJsonArray>
#include <QTest>

using namespace linkray::ocpp;

Q_DECLARE_METATYPE(linkray::ocpp::ErrorCode)
Q_DECLARE_METATYPE(linkray::ocpp::Frame)

class TestFrame : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void malformedFrameIsRejected_data();
    void malformedFrameIsRejected();
    void wellFormedFrameIsRead_data();
    void wellFormedFrameIsRead();
    void toleratedDeviationIsRecorded_data();
    void toleratedDeviationIsRecorded();
    void serializedFrameReadsBack_data();
    void serializedFrameReadsBack();
    void serializedFrameIsCompact();
    void errorCodeNamesFollowTheSpec_data();
    void errorCodeNamesFollowTheSpec();
    void unknownErrorCodeNameIsRejected();
};

void TestFrame::malformedFrameIsRejected_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("uniqueId"); // empty: the frame cannot be answered

    const auto formation = ErrorCode::FormationViolation;
    const auto protocol = ErrorCode::ProtocolError;
    QTest::newRow("not JSON") << QByteArray("hello") << formation << QString();
    QTest::newRow("truncated JSON") << QByteArray(R"([2,"a1","Heartbeat",{)") << formation << QString();
    QTest::newRow("object, not array") << QByteArray(R"({"a":1})") << formation << QString();
    QTest::newRow("empty array") << QByteArray("[]") << formation << QString();
    QTest::newRow("one element") << QByteArray("[2]") << formation << QString();
    QTest::newRow("uniqueId is a number") << QByteArray(R"([2,17,"Heartbeat",{}])") << formation << QString();
    QTest::newRow("type id is a string") << QByteArray(R"(["2","a1","Heartbeat",{}])") << protocol
                                         << QStringLiteral("a1");
    QTest::newRow("type id is null") << QByteArray(R"([null,"a1","Heartbeat",{}])") << protocol << QStringLiteral("a1");
    QTest::newRow("type id 5") << QByteArray(R"([5,"a1","Heartbeat",{}])") << protocol << QStringLiteral("a1");
    QTest::newRow("type id 2.5") << QByteArray(R"([2.5,"a1","Heartbeat",{}])") << protocol << QStringLiteral("a1");
    QTest::newRow("CALL with 3 elements") << QByteArray(R"([2,"a1","Heartbeat"])") << formation << QStringLiteral("a1");
    QTest::newRow("CALL with 5 elements")
        << QByteArray(R"([2,"a1","Heartbeat",{},{}])") << formation << QStringLiteral("a1");
    QTest::newRow("CALL action is a number") << QByteArray(R"([2,"a1",7,{}])") << formation << QStringLiteral("a1");
    QTest::newRow("CALL payload is an array")
        << QByteArray(R"([2,"a1","Heartbeat",[]])") << formation << QStringLiteral("a1");
    QTest::newRow("CALL payload is a plain string")
        << QByteArray(R"([2,"a1","Heartbeat","x"])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLRESULT with 4 elements") << QByteArray(R"([3,"a1",{},{}])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLRESULT payload is null") << QByteArray(R"([3,"a1",null])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLERROR with 4 elements")
        << QByteArray(R"([4,"a1","GenericError",""])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLERROR code is a number")
        << QByteArray(R"([4,"a1",3,"",{}])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLERROR description is null")
        << QByteArray(R"([4,"a1","GenericError",null,{}])") << formation << QStringLiteral("a1");
    QTest::newRow("CALLERROR details is an array")
        << QByteArray(R"([4,"a1","GenericError","",[]])") << formation << QStringLiteral("a1");
}

void TestFrame::malformedFrameIsRejected()
{
    QFETCH(QByteArray, text);
    QFETCH(ErrorCode, code);
    QFETCH(QString, uniqueId);

    const ParseResult result = parseFrame(text);
    const auto* error = std::get_if<FrameError>(&result);
    QVERIFY2(error, "the frame was accepted");
    QCOMPARE(errorCodeName(error->code), errorCodeName(code));
    QVERIFY(!error->description.isEmpty());
    QCOMPARE(error->uniqueId.has_value(), !uniqueId.isEmpty());
    if (error->uniqueId)
        QCOMPARE(*error->uniqueId, uniqueId);
}

void TestFrame::wellFormedFrameIsRead_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Frame>("expected");

    QTest::newRow("CALL") << QByteArray(R"([2,"a1","Authorize",{"idTag":"ABC"}])")
                          << Frame(Call {QStringLiteral("a1"), QStringLiteral("Authorize"),
                                 QJsonObject {{QStringLiteral("idTag"), QStringLiteral("ABC")}}});
    QTest::newRow("CALLRESULT") << QByteArray(R"([3,"a1",{"currentTime":"2026-01-01T00:00:00Z"}])")
                                << Frame(CallResult {QStringLiteral("a1"),
                                       QJsonObject {
                                           {QStringLiteral("currentTime"), QStringLiteral("2026-01-01T00:00:00Z")}}});
    QTest::newRow("CALLERROR with a code outside 1.6")
        << QByteArray(R"([4,"a1","RpcFrameworkError","bad",{"x":1}])")
        << Frame(CallError {QStringLiteral("a1"), QStringLiteral("RpcFrameworkError"), QStringLiteral("bad"),
               QJsonObject {{QStringLiteral("x"), 1}}});
    QTest::newRow("pretty-printed CALL") << QByteArray("[\n  2,\n  \"a1\",\n  \"Heartbeat\",\n  {}\n]\n")
                                         << Frame(Call {QStringLiteral("a1"), QStringLiteral("Heartbeat"), {}});
}

void TestFrame::wellFormedFrameIsRead()
{
    QFETCH(QByteArray, text);
    QFETCH(Frame, expected);

    const ParseResult result = parseFrame(text);
    const auto* parsed = std::get_if<ParsedFrame>(&result);
    if (const auto* error = std::get_if<FrameError>(&result))
        QFAIL(qPrintable(error->description));
    QVERIFY(parsed);
    QVERIFY(parsed->deviations.isEmpty());
    QCOMPARE(parsed->frame.index(), expected.index());
    QCOMPARE(serializeFrame(parsed->frame), serializeFrame(expected));
}

void TestFrame::toleratedDeviationIsRecorded_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("uniqueId");
    QTest::addColumn<QJsonObject>("payload");

    const QString longId(40, QLatin1Char('x'));
    QTest::newRow("payload as a string") << QByteArray(R"([2,"a1","Authorize","{\"idTag\":\"ABC\"}"])")
                                         << QStringLiteral("a1")
                                         << QJsonObject {{QStringLiteral("idTag"), QStringLiteral("ABC")}};
    QTest::newRow("uniqueId of 40 characters")
        << QByteArray(R"([2,")" + longId.toLatin1() + R"(","Authorize",{}])") << longId << QJsonObject();
}

void TestFrame::toleratedDeviationIsRecorded()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, uniqueId);
    QFETCH(QJsonObject, payload);

    const ParseResult result = parseFrame(text);
    const auto* parsed = std::get_if<ParsedFrame>(&result);
    QVERIFY(parsed);
    QCOMPARE(parsed->deviations.size(), 1);
    const auto& call = std::get<Call>(parsed->frame);
    QCOMPARE(call.uniqueId, uniqueId);
    QCOMPARE(call.payload, payload);
}

void TestFrame::serializedFrameReadsBack_data()
{
    QTest::addColumn<Frame>("frame");

    const QJsonObject sample {{QStringLiteral("timestamp"), QStringLiteral("2026-01-01T00:00:00Z")}};
    const QJsonObject nested {{QStringLiteral("connectorId"), 1}, {QStringLiteral("meterValue"), QJsonArray {sample}}};
    QTest::newRow("CALL") << Frame(Call {QStringLiteral("lr-1"), QStringLiteral("MeterValues"), nested});
    QTest::newRow("CALLRESULT") << Frame(CallResult {QStringLiteral("x"), {}});
    QTest::newRow("CALLERROR") << Frame(CallError {
        QStringLiteral("y"), QStringLiteral("NotImplemented"), QStringLiteral("quote \" and newline \n"), nested});
}

void TestFrame::serializedFrameReadsBack()
{
    QFETCH(Frame, frame);

    const QByteArray text = serializeFrame(frame);
    const ParseResult result = parseFrame(text);
    const auto* parsed = std::get_if<ParsedFrame>(&result);
    QVERIFY(parsed);
    QCOMPARE(parsed->frame.index(), frame.index());
    QCOMPARE(uniqueIdOf(parsed->frame), uniqueIdOf(frame));
    QCOMPARE(serializeFrame(parsed->frame), text);
}

void TestFrame::serializedFrameIsCompact()
{
    QCOMPARE(
        serializeCall(QStringLiteral("1"), QStringLiteral("Heartbeat"), {}), QByteArray(R"([2,"1","Heartbeat",{}])"));
    QCOMPARE(serializeCallResult(QStringLiteral("1"), {{QStringLiteral("a"), 1}}), QByteArray(R"([3,"1",{"a":1}])"));
    QCOMPARE(serializeCallError(QStringLiteral("1"), ErrorCode::OccurenceConstraintViolation, QStringLiteral("d")),
        QByteArray(R"([4,"1","OccurenceConstraintViolation","d",{}])"));
}

void TestFrame::errorCodeNamesFollowTheSpec_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("name");

    QTest::newRow("NotImplemented") << ErrorCode::NotImplemented << QStringLiteral("NotImplemented");
    QTest::newRow("NotSupported") << ErrorCode::NotSupported << QStringLiteral("NotSupported");
    QTest::newRow("InternalError") << ErrorCode::InternalError << QStringLiteral("InternalError");
    QTest::newRow("ProtocolError") << ErrorCode::ProtocolError << QStringLiteral("ProtocolError");
    QTest::newRow("SecurityError") << ErrorCode::SecurityError << QStringLiteral("SecurityError");
    QTest::newRow("FormationViolation") << ErrorCode::FormationViolation << QStringLiteral("FormationViolation");
    QTest::newRow("PropertyConstraintViolation")
        << ErrorCode::PropertyConstraintViolation << QStringLiteral("PropertyConstraintViolation");
    QTest::newRow("OccurenceConstraintViolation")
        << ErrorCode::OccurenceConstraintViolation << QStringLiteral("OccurenceConstraintViolation");
    QTest::newRow("TypeConstraintViolation")
        << ErrorCode::TypeConstraintViolation << QStringLiteral("TypeConstraintViolation");
    QTest::newRow("GenericError") << ErrorCode::GenericError << QStringLiteral("GenericError");
}

void TestFrame::errorCodeNamesFollowTheSpec()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);

    QCOMPARE(errorCodeName(code), name);
    const auto parsed = errorCodeFromName(name);
    QVERIFY(parsed);
    QCOMPARE(errorCodeName(*parsed), name);
}

void TestFrame::unknownErrorCodeNameIsRejected()
{
    QVERIFY(!errorCodeFromName(QStringLiteral("OccurrenceConstraintViolation")));
    QVERIFY(!errorCodeFromName(QStringLiteral("notimplemented")));
}

QTEST_GUILESS_MAIN(TestFrame)
#include "tst_frame.moc"
