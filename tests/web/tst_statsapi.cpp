#include "storage/repositories.h"
#include "webfixture.h"

#include <QJsonArray>
#include <QTest>
#include <QTimeZone>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

const QDate kDay(2026, 3, 10);

QDateTime local(const QDate& day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), QTimeZone::systemTimeZone()).toUTC();
}

storage::MeterSample sample(qint64 transactionId, const QDateTime& at, const QString& measurand, double value)
{
    storage::MeterSample sample;
    sample.chargePointId = QStringLiteral("CP1");
    sample.connectorId = 1;
    sample.transactionId = transactionId;
    sample.timestamp = at;
    sample.measurand = measurand;
    sample.unit = measurand.startsWith(QLatin1String("Power")) ? QStringLiteral("W") : QStringLiteral("Wh");
    sample.rawValue = QString::number(value);
    sample.value = value;
    return sample;
}

} // namespace

// GET /api/v1/stats/daily, /api/v1/stats/power and /api/v1/system over HTTP.
class TestStatsApi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { m_web.reset(); }

    void dailyHasEveryDayInTheLocalZone();
    void dailyFiltersByChargePoint();
    void powerPerFiveMinutes();
    void badParametersNameTheField_data();
    void badParametersNameTheField();
    void systemShowsVersionUptimeAndStorage();

private:
    std::unique_ptr<WebFixture> m_web;
};

void TestStatsApi::init()
{
    m_web = std::make_unique<WebFixture>();
    storage::TransactionRepository transactions(m_web->site.database);
    for (const auto& [chargePoint, hour, energyWh] :
        {std::tuple {"CP1", 10, 3000}, std::tuple {"CP2", 11, 5000}, std::tuple {"CP1", 14, 1000}}) {
        storage::TransactionRecord record;
        record.chargePointId = QLatin1String(chargePoint);
        record.connectorId = 1;
        record.idTag = QStringLiteral("TAG");
        record.meterStartWh = 10000;
        record.startedAt = local(kDay, hour);
        const auto id = transactions.start(record);
        QVERIFY(id);
        QVERIFY(transactions.stop(*id, 10000 + energyWh, local(kDay, hour + 1), {}, QStringLiteral("Local")));
    }
    // CP1's first transaction: power samples at 10:01 and 10:03, the register at 10:00 and 10:10.
    const QString power = QStringLiteral("Power.Active.Import");
    const QString energy = QStringLiteral("Energy.Active.Import.Register");
    QVERIFY(storage::MeterValueRepository(m_web->site.database)
                .append({sample(1, local(kDay, 10, 1), power, 2000), sample(1, local(kDay, 10, 3), power, 4000),
                    sample(1, local(kDay, 10, 0), energy, 10000), sample(1, local(kDay, 10, 10), energy, 10500)}));
}

void TestStatsApi::dailyHasEveryDayInTheLocalZone()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    const ApiReply reply = viewer.get(QStringLiteral("/api/v1/stats/daily?from=2026-03-09&to=2026-03-11"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("from")), QJsonValue(QStringLiteral("2026-03-09")));
    QCOMPARE(reply.json.value(QStringLiteral("to")), QJsonValue(QStringLiteral("2026-03-11")));
    QCOMPARE(reply.json.value(QStringLiteral("timeZone")).toString().toUtf8(), QTimeZone::systemTimeZoneId());
    const QJsonArray days = reply.json.value(QStringLiteral("days")).toArray();
    QCOMPARE(days.size(), 3);
    QCOMPARE(days[0].toObject(),
        (QJsonObject {{QStringLiteral("date"), QStringLiteral("2026-03-09")}, {QStringLiteral("energyWh"), 0},
            {QStringLiteral("transactions"), 0}, {QStringLiteral("chargePoints"), QJsonArray()}}));
    const QJsonObject day = days[1].toObject();
    QCOMPARE(day.value(QStringLiteral("date")), QJsonValue(QStringLiteral("2026-03-10")));
    QCOMPARE(day.value(QStringLiteral("energyWh")), QJsonValue(9000));
    QCOMPARE(day.value(QStringLiteral("transactions")), QJsonValue(3));
    const QJsonArray expected {
        QJsonObject {{QStringLiteral("id"), QStringLiteral("CP1")}, {QStringLiteral("energyWh"), 4000},
            {QStringLiteral("transactions"), 2}},
        QJsonObject {{QStringLiteral("id"), QStringLiteral("CP2")}, {QStringLiteral("energyWh"), 5000},
            {QStringLiteral("transactions"), 1}},
    };
    QCOMPARE(day.value(QStringLiteral("chargePoints")).toArray(), expected);
    QCOMPARE(days[2].toObject().value(QStringLiteral("energyWh")), QJsonValue(0));
}

void TestStatsApi::dailyFiltersByChargePoint()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    const ApiReply reply
        = viewer.get(QStringLiteral("/api/v1/stats/daily?from=2026-03-10&to=2026-03-10&chargePoint=CP2"));
    QCOMPARE(reply.status, 200);
    const QJsonObject day = reply.json.value(QStringLiteral("days")).toArray().first().toObject();
    QCOMPARE(day.value(QStringLiteral("energyWh")), QJsonValue(5000));
    QCOMPARE(day.value(QStringLiteral("chargePoints")).toArray().size(), 1);
}

void TestStatsApi::powerPerFiveMinutes()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    const ApiReply reply = viewer.get(QStringLiteral("/api/v1/stats/power?date=2026-03-10"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("date")), QJsonValue(QStringLiteral("2026-03-10")));
    QCOMPARE(reply.json.value(QStringLiteral("bucketSeconds")), QJsonValue(300));
    const QJsonArray site {QJsonArray {local(kDay, 10).toMSecsSinceEpoch(), 3000}};
    QCOMPARE(reply.json.value(QStringLiteral("site")).toArray(), site);
    const QJsonArray chargePoints {
        QJsonObject {{QStringLiteral("id"), QStringLiteral("CP1")}, {QStringLiteral("points"), site}}};
    QCOMPARE(reply.json.value(QStringLiteral("chargePoints")).toArray(), chargePoints);

    const ApiReply other = viewer.get(QStringLiteral("/api/v1/stats/power?date=2026-03-10&chargePoint=CP2"));
    QCOMPARE(other.status, 200);
    QCOMPARE(other.json.value(QStringLiteral("site")).toArray(), QJsonArray());
    QCOMPARE(other.json.value(QStringLiteral("chargePoints")).toArray(), QJsonArray());
}

void TestStatsApi::badParametersNameTheField_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("no from") << QStringLiteral("/api/v1/stats/daily?to=2026-03-10") << QStringLiteral("from");
    QTest::newRow("no to") << QStringLiteral("/api/v1/stats/daily?from=2026-03-10") << QStringLiteral("to");
    QTest::newRow("not a date") << QStringLiteral("/api/v1/stats/daily?from=2026-02-30&to=2026-03-10")
                                << QStringLiteral("from");
    QTest::newRow("a time") << QStringLiteral("/api/v1/stats/daily?from=2026-03-01T00:00:00Z&to=2026-03-10")
                            << QStringLiteral("from");
    QTest::newRow("backwards") << QStringLiteral("/api/v1/stats/daily?from=2026-03-10&to=2026-03-09")
                               << QStringLiteral("to");
    QTest::newRow("367 days") << QStringLiteral("/api/v1/stats/daily?from=2026-01-01&to=2027-01-02")
                              << QStringLiteral("to");
    QTest::newRow("long id") << QStringLiteral("/api/v1/stats/daily?from=2026-03-10&to=2026-03-10&chargePoint=")
            + QString(101, QLatin1Char('x'))
                             << QStringLiteral("chargePoint");
    QTest::newRow("no date") << QStringLiteral("/api/v1/stats/power") << QStringLiteral("date");
    QTest::newRow("bad date") << QStringLiteral("/api/v1/stats/power?date=10.03.2026") << QStringLiteral("date");
}

void TestStatsApi::badParametersNameTheField()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    const ApiReply reply = m_web->as(Role::Viewer).get(query);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.field(), field);
    QCOMPARE(m_web->client().get(query).status, 401);
}

void TestStatsApi::systemShowsVersionUptimeAndStorage()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    m_web->site.clock.advance(90 * 1000);
    const ApiReply reply = viewer.get(QStringLiteral("/api/v1/system"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("version")), QJsonValue(QStringLiteral(LINKRAY_VERSION)));
    QCOMPARE(reply.json.value(QStringLiteral("uptimeSeconds")), QJsonValue(90));
    QCOMPARE(reply.json.value(QStringLiteral("startedAt")), QJsonValue(QStringLiteral("2026-01-01T00:00:00.000Z")));
    // The fixture's site status has no mode.
    QCOMPARE(reply.json.value(QStringLiteral("mode")), QJsonValue(QJsonValue::Null));
    const QJsonObject storage = reply.json.value(QStringLiteral("storage")).toObject();
    QVERIFY(storage.value(QStringLiteral("databaseBytes")).toDouble() > 0);
    QVERIFY(storage.value(QStringLiteral("freeBytes")).toDouble() > 0);
    QCOMPARE(m_web->client().get(QStringLiteral("/api/v1/system")).status, 401);
}

QTEST_GUILESS_MAIN(TestStatsApi)
#include "tst_statsapi.moc"
