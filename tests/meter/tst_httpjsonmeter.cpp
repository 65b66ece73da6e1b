#include "core/clock.h"
#include "meter/httpjsonmeter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::meter;
using StatusCode = QHttpServerResponder::StatusCode;

namespace {

// The meter's web server on 127.0.0.1: every GET of /status gets the document and status the test last set, or no
// answer at all while it hangs.
class MeterWebServer {
public:
    bool start()
    {
        m_server.route(
            QStringLiteral("/status"), [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                serve(request, std::move(responder));
            });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        return m_port != 0;
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/status").arg(m_port)); }
    void answer(const QByteArray& body, StatusCode status = StatusCode::Ok)
    {
        m_body = body;
        m_status = status;
        m_hanging = false;
    }
    void hang() { m_hanging = true; }
    int requestCount() const { return m_requests; }
    QByteArray lastAuthorization() const { return m_lastAuthorization; }

private:
    void serve(const QHttpServerRequest& request, QHttpServerResponder&& responder)
    {
        ++m_requests;
        m_lastAuthorization = request.value("Authorization");
        if (!m_hanging)
            responder.write(m_body, "application/json", m_status);
    }

    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_body;
    StatusCode m_status = StatusCode::Ok;
    bool m_hanging = false;
    int m_requests = 0;
    QByteArray m_lastAuthorization;
};

// Like a Shelly 3EM's /status, with a current in mA and energy counters in kWh so that scales matter.
QByteArray meterDocument(double totalPowerW)
{
    return QStringLiteral(R"({"emeters": [
        {"voltage": 230.1, "current_ma": 10500, "power": 2416.0},
        {"voltage": 231.2, "current_ma": 8250, "power": -1900.0},
        {"voltage": 229.8, "current_ma": 0, "power": 0}],
        "total_power": %1, "energy_kwh": {"import": 12345.6, "export": 78.9}, "wifi": {"ssid": "site"}})")
        .arg(totalPowerW)
        .toUtf8();
}

QVector<JsonField> meterFields()
{
    QVector<JsonField> fields;
    for (int phase = 0; phase < 3; ++phase) {
        const QString emeter = QStringLiteral("/emeters/%1/").arg(phase);
        if (phase < 2) // the third voltage is left out: it must stay empty in the reading
            fields.append({Quantity(int(Quantity::VoltageL1) + phase), emeter + QStringLiteral("voltage"), 1.0});
        fields.append({Quantity(int(Quantity::CurrentL1) + phase), emeter + QStringLiteral("current_ma"), 0.001});
        fields.append({Quantity(int(Quantity::PowerL1) + phase), emeter + QStringLiteral("power"), 1.0});
    }
    fields.append({Quantity::TotalPower, QStringLiteral("/total_power"), 1.0});
    fields.append({Quantity::ImportedEnergy, QStringLiteral("/energy_kwh/import"), 1000.0});
    fields.append({Quantity::ExportedEnergy, QStringLiteral("/energy_kwh/export"), 1000.0});
    return fields;
}

HttpJsonSettings settingsFor(const MeterWebServer& server)
{
    HttpJsonSettings settings;
    settings.url = server.url();
    settings.fields = meterFields();
    return settings;
}

QStringList capturedMessages;

void captureMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    capturedMessages.append(message);
}

} // namespace

class TestHttpJsonMeter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void decodesDocuments_data();
    void decodesDocuments();
    void readsTheMeterAtEveryPoll();
    void sendsBasicAuthAndNeverLogsThePassword();
    void answerUpToTheSizeLimitIsRead();
    void unusableAnswerIsAMissedPoll_data();
    void unusableAnswerIsAMissedPoll();
    void hungMeterTimesOutAndGoesStale();
};

void TestHttpJsonMeter::initTestCase()
{
    qRegisterMetaType<MeterReading>();
    qRegisterMetaType<MeterState>();
}

void TestHttpJsonMeter::init()
{
    // Qt complaining about how the driver treats its replies (e.g. one failed twice) is a failure.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("^QNetworkReply")));
}

void TestHttpJsonMeter::decodesDocuments_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<double>("scale");
    QTest::addColumn<double>("expected"); // the total power read, when error is empty
    QTest::addColumn<QString>("error");

    const QByteArray shelly = meterDocument(516.0);
    QTest::newRow("number") << shelly << QStringLiteral("/total_power") << 1.0 << 516.0 << QString();
    QTest::newRow("scaled: kW into W") << QByteArray(R"({"p": 1.5})") << QStringLiteral("/p") << 1000.0 << 1500.0
                                       << QString();
    QTest::newRow("sign flipped by a negative scale")
        << QByteArray(R"({"p": 200})") << QStringLiteral("/p") << -1.0 << -200.0 << QString();
    QTest::newRow("document is an array")
        << QByteArray("[[1, 2], [3, 42]]") << QStringLiteral("/1/1") << 1.0 << 42.0 << QString();
    QTest::newRow("not JSON") << QByteArray("<html>busy</html>") << QStringLiteral("/total_power") << 1.0 << 0.0
                              << QStringLiteral("the answer is not JSON");
    QTest::newRow("empty body") << QByteArray() << QStringLiteral("/total_power") << 1.0 << 0.0
                                << QStringLiteral("the answer is not JSON");
    QTest::newRow("member missing") << shelly << QStringLiteral("/totalPower") << 1.0 << 0.0
                                    << QStringLiteral("pointer \"/totalPower\" (totalPower) does not resolve: "
                                                      "the document has no member \"totalPower\"");
    QTest::newRow("index beyond the array")
        << shelly << QStringLiteral("/emeters/3/power") << 1.0 << 0.0
        << QStringLiteral("pointer \"/emeters/3/power\" (totalPower) does not resolve: \"/emeters\" is an array of "
                          "length 3: no item 3");
    QTest::newRow("string") << shelly << QStringLiteral("/wifi/ssid") << 1.0 << 0.0
                            << QStringLiteral("pointer \"/wifi/ssid\" (totalPower) is a string, not a number");
    QTest::newRow("number in a string") << QByteArray(R"({"p": "516"})") << QStringLiteral("/p") << 1.0 << 0.0
                                        << QStringLiteral("pointer \"/p\" (totalPower) is a string, not a number");
    QTest::newRow("null") << QByteArray(R"({"p": null})") << QStringLiteral("/p") << 1.0 << 0.0
                          << QStringLiteral("pointer \"/p\" (totalPower) is a null, not a number");
    QTest::newRow("object") << shelly << QStringLiteral("/energy_kwh") << 1.0 << 0.0
                            << QStringLiteral("pointer \"/energy_kwh\" (totalPower) is a object, not a number");
}

void TestHttpJsonMeter::decodesDocuments()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, pointer);
    QFETCH(double, scale);
    QFETCH(double, expected);
    QFETCH(QString, error);

    QString reported;
    const std::optional<MeterReading> reading
        = decodeJsonReading(body, {{Quantity::TotalPower, pointer, scale}}, &reported);
    if (error.isEmpty()) {
        QVERIFY2(reading, qPrintable(reported));
        QCOMPARE(reading->totalPowerW, expected);
        QCOMPARE(reading->currentA[0], std::nullopt); // not asked for
    } else {
        QVERIFY(!reading);
        QVERIFY2(reported.startsWith(error), qPrintable(reported));
    }
}

void TestHttpJsonMeter::readsTheMeterAtEveryPoll()
{
    ManualClock clock;
    MeterWebServer server;
    QVERIFY(server.start());
    server.answer(meterDocument(516.0));
    HttpJsonMeter meter(settingsFor(server), clock);
    QSignalSpy readings(&meter, &MeterDriver::readingAvailable);
    QCOMPARE(meter.state(), MeterState::Stale); // nothing known before the first reading

    meter.start();
    QTRY_COMPARE(readings.count(), 1);
    QCOMPARE(meter.state(), MeterState::Ok);
    const auto reading = readings.at(0).at(0).value<MeterReading>();
    QVERIFY(reading.trusted);
    QCOMPARE(reading.timestamp, clock.nowUtc());
    QCOMPARE(reading.voltageV[0], 230.1);
    QCOMPARE(reading.voltageV[1], 231.2);
    QCOMPARE(reading.voltageV[2], std::nullopt); // no pointer configured
    QCOMPARE(reading.currentA[0], 10.5);
    QCOMPARE(reading.currentA[1], 8.25);
    QCOMPARE(reading.currentA[2], 0.0); // served as 0, not absent
    QCOMPARE(reading.powerW[1], -1900.0);
    QCOMPARE(reading.totalPowerW, 516.0);
    QCOMPARE(reading.importedWh, 12345600.0);
    QCOMPARE(reading.exportedWh, 78900.0);
    QVERIFY(server.lastAuthorization().isEmpty()); // no credentials configured

    server.answer(meterDocument(-250.5));
    clock.advance(1000); // the next poll, one interval later
    QTRY_COMPARE(readings.count(), 2);
    QCOMPARE(readings.at(1).at(0).value<MeterReading>().totalPowerW, -250.5);
    QCOMPARE(server.requestCount(), 2);
    meter.stop();
}

void TestHttpJsonMeter::sendsBasicAuthAndNeverLogsThePassword()
{
    const QString password = QStringLiteral("s3cret-Meter-Pw");
    ManualClock clock;
    MeterWebServer server;
    QVERIFY(server.start());
    server.answer("{}", StatusCode::Unauthorized);
    HttpJsonSettings settings = settingsFor(server);
    settings.username = QStringLiteral("admin");
    settings.password = password;
    PollSettings poll;
    poll.staleAfterPolls = 1;
    HttpJsonMeter meter(settings, clock, poll);
    QSignalSpy readings(&meter, &MeterDriver::readingAvailable);

    QLoggingCategory::setFilterRules(QStringLiteral("linkray.meter.debug=true"));
    capturedMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    meter.start();
    QTRY_COMPARE(server.requestCount(), 1);
    server.answer(meterDocument(516.0));
    clock.advance(1000);
    QTRY_COMPARE(readings.count(), 1);
    server.answer("{}", StatusCode::Unauthorized);
    clock.advance(1000);
    QTRY_COMPARE(meter.state(), MeterState::Stale);
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    QCOMPARE(server.lastAuthorization(), "Basic " + QByteArray("admin:s3cret-Meter-Pw").toBase64());
    QVERIFY2(meter.failureReason().contains(QLatin1String("HTTP 401")), qPrintable(meter.failureReason()));
    QVERIFY(!capturedMessages.isEmpty());
    const QString encoded = QString::fromLatin1(QByteArray("admin:s3cret-Meter-Pw").toBase64());
    for (const QString& message : std::as_const(capturedMessages)) {
        QVERIFY2(!message.contains(password) && !message.contains(encoded), qPrintable(message));
    }
}

void TestHttpJsonMeter::answerUpToTheSizeLimitIsRead()
{
    ManualClock clock;
    MeterWebServer server;
    QVERIFY(server.start());
    HttpJsonSettings settings = settingsFor(server);
    QByteArray body = meterDocument(516.0);
    body.append(settings.maxResponseBytes - body.size(), ' '); // JSON allows trailing white space
    server.answer(body);
    HttpJsonMeter meter(settings, clock);
    QSignalSpy readings(&meter, &MeterDriver::readingAvailable);

    meter.start();
    QTRY_COMPARE(readings.count(), 1);
}

void TestHttpJsonMeter::unusableAnswerIsAMissedPoll_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<StatusCode>("status");
    QTest::addColumn<QString>("reason");

    QTest::newRow("not JSON") << QByteArray("<html>restarting</html>") << StatusCode::Ok
                              << QStringLiteral("the answer is not JSON");
    QTest::newRow("pointer missing") << QByteArray(R"({"emeters": []})") << StatusCode::Ok
                                     << QStringLiteral("pointer \"/emeters/0/voltage\" (voltageL1) does not resolve");
    QTest::newRow("HTTP 500") << meterDocument(516.0) << StatusCode::InternalServerError
                              << QStringLiteral("HTTP 500 Internal Server Error");
    QTest::newRow("HTTP 404") << QByteArray("{}") << StatusCode::NotFound << QStringLiteral("HTTP 404 Not Found");
    QByteArray huge = meterDocument(516.0);
    huge.append(HttpJsonSettings().maxResponseBytes, ' ');
    QTest::newRow("larger than 64 KiB") << huge << StatusCode::Ok
                                        << QStringLiteral("the answer is larger than 65536 bytes");
}

void TestHttpJsonMeter::unusableAnswerIsAMissedPoll()
{
    QFETCH(QByteArray, body);
    QFETCH(StatusCode, status);
    QFETCH(QString, reason);

    ManualClock clock;
    MeterWebServer server;
    QVERIFY(server.start());
    server.answer(meterDocument(516.0));
    PollSettings poll;
    poll.staleAfterPolls = 1;
    HttpJsonMeter meter(settingsFor(server), clock, poll);
    QSignalSpy readings(&meter, &MeterDriver::readingAvailable);
    QSignalSpy failures(&meter, &MeterDriver::meterFailed);
    meter.start();
    QTRY_COMPARE(readings.count(), 1);

    server.answer(body, status);
    clock.advance(1000);
    QTRY_COMPARE(meter.state(), MeterState::Stale);
    QCOMPARE(failures.count(), 1);
    QVERIFY2(meter.failureReason().startsWith(QLatin1String("no reading for 1 polls: ") + reason),
        qPrintable(meter.failureReason()));
    QCOMPARE(readings.count(), 1);

    server.answer(meterDocument(516.0));
    clock.advance(1000);
    QTRY_COMPARE(readings.count(), 2);
    QCOMPARE(meter.state(), MeterState::Ok);
}

void TestHttpJsonMeter::hungMeterTimesOutAndGoesStale()
{
    ManualClock clock;
    MeterWebServer server;
    QVERIFY(server.start());
    server.answer(meterDocument(516.0));
    PollSettings poll;
    poll.intervalMs = 1000;
    poll.staleAfterPolls = 3;
    HttpJsonMeter meter(settingsFor(server), clock, poll);
    QCOMPARE(meter.timeoutMs(), 900); // 90 % of the interval when not configured
    QSignalSpy readings(&meter, &MeterDriver::readingAvailable);
    QSignalSpy failures(&meter, &MeterDriver::meterFailed);
    meter.start();
    QTRY_COMPARE(readings.count(), 1);

    server.hang();
    for (int missed = 1; missed <= 3; ++missed) {
        clock.advance(missed == 1 ? 1000 : 100); // the next poll
        QTRY_COMPARE(server.requestCount(), missed + 1); // the request reached the meter, which keeps silent
        QCOMPARE(failures.count(), 0);
        clock.advance(899);
        QCOMPARE(meter.state(), MeterState::Ok);
        clock.advance(1); // the timeout, before the next poll is due
    }
    QCOMPARE(failures.count(), 1);
    QCOMPARE(meter.state(), MeterState::Stale);
    QCOMPARE(meter.failureReason(), QStringLiteral("no reading for 3 polls: no answer within 900 ms"));

    server.answer(meterDocument(516.0));
    clock.advance(100);
    QTRY_COMPARE(readings.count(), 2);
    QCOMPARE(meter.state(), MeterState::Ok);
}

QTEST_GUILESS_MAIN(TestHttpJsonMeter)
#include "tst_httpjsonmeter.moc"
