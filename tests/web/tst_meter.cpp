#include "app/sitesetup.h"
#include "sim/meterserver.h"
#include "sim/siteload.h"
#include "web/meterapi.h"
#include "webfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTest>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

const QString kTestRead = QStringLiteral("/api/v1/meter/test-read");

// QModbusTcpServer cannot listen on port 0: borrow a free port from a QTcpServer that lets it go again.
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

QJsonObject modbusMeter(quint16 port)
{
    return {{QStringLiteral("type"), QStringLiteral("modbus-tcp")},
        {QStringLiteral("model"), QStringLiteral("eastron-sdm630")},
        {QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), port}};
}

QList<double> numbers(const QJsonValue& array)
{
    QList<double> values;
    for (const QJsonValue& value : array.toArray())
        values.append(value.toDouble(-1));
    return values;
}

} // namespace

// POST /api/v1/meter/test-read: meter settings read once with the real driver, validated by the app's configuration
// validation, against the simulator's Modbus TCP meter.
class TestMeterApi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void readsTheMeterOnce();
    void refusedSettingsNameTheKey();
    void meterTypeNoneHasNothingToRead();
    void unreachableMeterIs502();
    void silentMeterTimesOutOneAtATime();
    void onlyAdminsWithTheCsrfToken();

private:
    std::unique_ptr<WebFixture> m_web;
};

void TestMeterApi::init()
{
    m_web = std::make_unique<WebFixture>();
    m_web->config = {{QStringLiteral("configVersion"), 1}};
    m_web->testMeter = [this](const QJsonObject& config, qint64 timeoutMs) {
        web::TestMeter meter;
        QList<app::ConfigError> errors;
        meter.driver = app::meterForTestRead(config, m_web->site.clock, timeoutMs, errors);
        for (const app::ConfigError& error : errors)
            meter.fieldErrors.append({error.path, error.reason});
        return meter;
    };
}

void TestMeterApi::cleanup()
{
    m_web.reset();
}

void TestMeterApi::readsTheMeterOnce()
{
    sim::SiteLoad load(m_web->site.clock, {20, 15, 10}, 230);
    sim::MeterServer server(m_web->site.clock, load);
    const quint16 port = freePort();
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, port, 1, error), qPrintable(error));

    const ApiReply reply = m_web->as(Role::Admin).send("POST", kTestRead, modbusMeter(port));
    QCOMPARE(reply.status, 200);
    const QJsonObject reading = reply.json.value(QStringLiteral("reading")).toObject();
    QCOMPARE(numbers(reading.value(QStringLiteral("currentA"))), (QList<double> {20, 15, 10}));
    QCOMPARE(numbers(reading.value(QStringLiteral("voltageV"))), (QList<double> {230, 230, 230}));
    QCOMPARE(reading.value(QStringLiteral("totalPowerW")).toDouble(), 45 * 230.0);
    QVERIFY(reading.value(QStringLiteral("importedWh")).isDouble());
    QVERIFY(!m_web->config.contains(QStringLiteral("meter"))); // nothing saved
}

void TestMeterApi::refusedSettingsNameTheKey()
{
    QJsonObject meter = modbusMeter(502);
    meter.insert(QStringLiteral("unitId"), 300);
    meter.remove(QStringLiteral("host"));
    const ApiReply reply = m_web->as(Role::Admin).send("POST", kTestRead, meter);
    QCOMPARE(reply.status, 400);
    QStringList fields;
    for (const QJsonValue& field : reply.json.value(QStringLiteral("fields")).toArray())
        fields.append(field.toObject().value(QStringLiteral("field")).toString());
    QVERIFY2(fields.contains(QStringLiteral("meter.unitId")), qPrintable(fields.join(u' ')));
}

void TestMeterApi::meterTypeNoneHasNothingToRead()
{
    ApiClient admin = m_web->as(Role::Admin);
    const ApiReply none = admin.send("POST", kTestRead, QJsonObject {{QStringLiteral("type"), QStringLiteral("none")}});
    QCOMPARE(none.status, 400);
    QCOMPARE(none.field(), QStringLiteral("meter.type"));
    QCOMPARE(admin.send("POST", kTestRead, QJsonObject()).status, 400);
}

void TestMeterApi::unreachableMeterIs502()
{
    const ApiReply reply = m_web->as(Role::Admin).send("POST", kTestRead, modbusMeter(freePort()));
    QCOMPARE(reply.status, 502);
    QVERIFY2(reply.json.value(QStringLiteral("error")).toString().contains(QStringLiteral("Connection refused")),
        reply.body.constData());
}

void TestMeterApi::silentMeterTimesOutOneAtATime()
{
    QTcpServer silent; // accepts the connection and never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ApiClient admin = m_web->as(Role::Admin);
    QNetworkReply* pending = admin.send("POST", kTestRead, QJsonDocument(modbusMeter(silent.serverPort())).toJson());
    QTRY_VERIFY(silent.hasPendingConnections());
    QCOMPARE(admin.send("POST", kTestRead, modbusMeter(silent.serverPort())).status, 409);
    QVERIFY(!pending->isFinished());
    m_web->site.clock.advance(kMeterTestReadTimeoutMs);
    const ApiReply timedOut = ApiClient::finish(pending);
    QCOMPARE(timedOut.status, 502);
    QVERIFY2(timedOut.json.value(QStringLiteral("error")).toString().contains(QStringLiteral("no answer within")),
        timedOut.body.constData());
    QCOMPARE(admin.send("POST", kTestRead, modbusMeter(freePort())).status, 502); // the next one may start
}

void TestMeterApi::onlyAdminsWithTheCsrfToken()
{
    const QJsonObject meter = modbusMeter(freePort());
    QCOMPARE(m_web->as(Role::Operator).send("POST", kTestRead, meter).status, 403);
    QCOMPARE(m_web->as(Role::Admin).send("POST", kTestRead, meter, false).status, 403);
    QCOMPARE(m_web->client().send("POST", kTestRead, meter).status, 401);
}

QTEST_GUILESS_MAIN(TestMeterApi)
#include "tst_meter.moc"
