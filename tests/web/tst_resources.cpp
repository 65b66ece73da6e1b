#include "storage/repositories.h"
#include "webfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

QJsonObject statusAccepted()
{
    return QJsonObject {{QStringLiteral("status"), QStringLiteral("Accepted")}};
}

QDateTime at(int hour)
{
    return QDateTime(QDate(2026, 1, 1), QTime(hour, 0), Qt::UTC);
}

QStringList idTagsOf(const QJsonArray& items)
{
    QStringList idTags;
    for (const QJsonValue& item : items)
        idTags.append(item.toObject().value(QStringLiteral("idTag")).toString());
    return idTags;
}

} // namespace

// The resources: charge points and commands, transactions, whitelist, events, message log, site.
class TestResources : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_web = std::make_unique<WebFixture>(); }
    void cleanup() { m_web.reset(); }

    void chargePointsFromStorageAndConnections();
    void commandsReachTheCharger();
    void commandsAreCheckedAndAuthorised();
    void compositeScheduleIsAskedAndChecked();
    void commandTimeoutIs504();
    void transactionsFilteredAndAsCsv();
    void transactionWithMeterValues();
    void whitelistChangesGoThroughTheConfiguration();
    void whitelistCsvExportAndImport();
    void eventsAndMessageLog();
    void siteStatusIsPassedThrough();
    void readingNeedsASession_data();
    void readingNeedsASession();

private:
    std::unique_ptr<WebFixture> m_web;
};

void TestResources::chargePointsFromStorageAndConnections()
{
    m_web->site.connectBooted(QStringLiteral("CP1"));
    storage::ChargePointRepository(m_web->site.database).touch(QStringLiteral("CP0"), at(1));
    ApiClient viewer = m_web->as(Role::Viewer);
    const ApiReply list = viewer.get(QStringLiteral("/api/v1/charge-points"));
    QCOMPARE(list.status, 200);
    const QJsonArray chargePoints = list.json.value(QStringLiteral("chargePoints")).toArray();
    QCOMPARE(chargePoints.size(), 2);
    QCOMPARE(chargePoints[0].toObject().value(QStringLiteral("id")), QJsonValue(QStringLiteral("CP0")));
    QCOMPARE(chargePoints[0].toObject().value(QStringLiteral("connected")), QJsonValue(false));
    const QJsonObject cp1 = chargePoints[1].toObject();
    QCOMPARE(cp1.value(QStringLiteral("connected")), QJsonValue(true));
    QCOMPARE(cp1.value(QStringLiteral("vendor")), QJsonValue(QStringLiteral("Acme")));
    QCOMPARE(cp1.value(QStringLiteral("bootStatus")), QJsonValue(QStringLiteral("Accepted")));

    storage::ChargePointRepository(m_web->site.database)
        .setAppliedLimit(QStringLiteral("CP1"), {16, QStringLiteral("A"), 3});
    const ApiReply one = viewer.get(QStringLiteral("/api/v1/charge-points/CP1"));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json.value(QStringLiteral("appliedLimit")).toObject().value(QStringLiteral("limit")), QJsonValue(16));
    // Another charger's limit is not this one's.
    QVERIFY(
        viewer.get(QStringLiteral("/api/v1/charge-points/CP0")).json.value(QStringLiteral("appliedLimit")).isNull());
    const ApiReply unknown = viewer.get(QStringLiteral("/api/v1/charge-points/CP9"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.field(), QStringLiteral("id"));
}

void TestResources::commandsReachTheCharger()
{
    localcsms::test::ChargerLink& link = m_web->site.connectBooted(QStringLiteral("CP1"));
    link.answer(QStringLiteral("Reset"), statusAccepted());
    ApiClient operatorClient = m_web->as(Role::Operator);
    const ApiReply reply = operatorClient.send("POST", QStringLiteral("/api/v1/charge-points/CP1/commands/reset"),
        QJsonObject {{QStringLiteral("type"), QStringLiteral("Soft")}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("action")), QJsonValue(QStringLiteral("Reset")));
    QCOMPARE(reply.json.value(QStringLiteral("response")).toObject(), statusAccepted());
    QCOMPARE(link.received().size(), 1);
    QCOMPARE(link.received().first().payload.value(QStringLiteral("type")), QJsonValue(QStringLiteral("Soft")));

    link.answer(QStringLiteral("ClearCache"), statusAccepted());
    QCOMPARE(
        operatorClient.request("POST", QStringLiteral("/api/v1/charge-points/CP1/commands/clear-cache")).status, 200);
    QCOMPARE(link.received().last().action, QStringLiteral("ClearCache"));
}

void TestResources::commandsAreCheckedAndAuthorised()
{
    m_web->site.connectBooted(QStringLiteral("CP1"));
    ApiClient operatorClient = m_web->as(Role::Operator);
    const QString reset = QStringLiteral("/api/v1/charge-points/CP1/commands/reset");
    const QJsonObject soft {{QStringLiteral("type"), QStringLiteral("Soft")}};

    const ApiReply badAction
        = operatorClient.send("POST", QStringLiteral("/api/v1/charge-points/CP1/commands/explode"), soft);
    QCOMPARE(badAction.status, 400);
    QCOMPARE(badAction.field(), QStringLiteral("action"));
    const ApiReply badPayload
        = operatorClient.send("POST", reset, QJsonObject {{QStringLiteral("type"), QStringLiteral("Medium")}});
    QCOMPARE(badPayload.status, 400);
    QCOMPARE(badPayload.field(), QStringLiteral("type"));
    QCOMPARE(operatorClient.send("POST", QStringLiteral("/api/v1/charge-points/CP9/commands/reset"), soft).status, 404);
    QCOMPARE(operatorClient.send("POST", reset, soft, false).status, 403);
    QCOMPARE(m_web->as(Role::Viewer).send("POST", reset, soft).status, 403);
    QCOMPARE(m_web->client().send("POST", reset, soft).status, 401);
}

void TestResources::compositeScheduleIsAskedAndChecked()
{
    localcsms::test::ChargerLink& link = m_web->site.connectBooted(QStringLiteral("CP1"));
    const QJsonObject schedule {{QStringLiteral("status"), QStringLiteral("Accepted")},
        {QStringLiteral("connectorId"), 1}, {QStringLiteral("scheduleStart"), QStringLiteral("2026-01-01T00:00:00Z")},
        {QStringLiteral("chargingSchedule"),
            QJsonObject {{QStringLiteral("duration"), 3600}, {QStringLiteral("chargingRateUnit"), QStringLiteral("A")},
                {QStringLiteral("chargingSchedulePeriod"),
                    QJsonArray {QJsonObject {{QStringLiteral("startPeriod"), 0}, {QStringLiteral("limit"), 16}}}}}}};
    link.answer(QStringLiteral("GetCompositeSchedule"), schedule);
    ApiClient operatorClient = m_web->as(Role::Operator);
    const QString path = QStringLiteral("/api/v1/charge-points/CP1/commands/get-composite-schedule");
    const QJsonObject asked {{QStringLiteral("connectorId"), 1}, {QStringLiteral("duration"), 3600},
        {QStringLiteral("chargingRateUnit"), QStringLiteral("A")}};
    const ApiReply reply = operatorClient.send("POST", path, asked);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("response")).toObject(), schedule);
    QCOMPARE(link.received().last().action, QStringLiteral("GetCompositeSchedule"));
    QCOMPARE(link.received().last().payload, asked);

    const ApiReply noDuration = operatorClient.send("POST", path, QJsonObject {{QStringLiteral("connectorId"), 1}});
    QCOMPARE(noDuration.status, 400);
    QCOMPARE(noDuration.field(), QStringLiteral("duration"));
    const ApiReply badUnit = operatorClient.send("POST", path,
        QJsonObject {{QStringLiteral("connectorId"), 1}, {QStringLiteral("duration"), 60},
            {QStringLiteral("chargingRateUnit"), QStringLiteral("kW")}});
    QCOMPARE(badUnit.status, 400);
    QCOMPARE(badUnit.field(), QStringLiteral("chargingRateUnit"));
}

void TestResources::commandTimeoutIs504()
{
    localcsms::test::ChargerLink& silent = m_web->site.connect(QStringLiteral("CP2"), 10000);
    ApiClient operatorClient = m_web->as(Role::Operator);
    QNetworkReply* pending
        = operatorClient.send("POST", QStringLiteral("/api/v1/charge-points/CP2/commands/clear-cache"));
    QTRY_COMPARE(silent.received().size(), 1);
    QVERIFY(!pending->isFinished());
    m_web->site.clock.advance(10001);
    QCOMPARE(ApiClient::finish(pending).status, 504);
}

void TestResources::transactionsFilteredAndAsCsv()
{
    storage::TransactionRepository transactions(m_web->site.database);
    for (const auto& [chargePoint, idTag, hour] :
        {std::tuple {"CP1", "TAG1", 1}, std::tuple {"CP2", "TAG2", 2}, std::tuple {"CP1", "TAG2", 3}}) {
        storage::TransactionRecord record;
        record.chargePointId = QLatin1String(chargePoint);
        record.connectorId = 1;
        record.idTag = QLatin1String(idTag);
        record.meterStartWh = 1000;
        record.startedAt = at(hour);
        const auto id = transactions.start(record);
        QVERIFY(id);
        QVERIFY(transactions.stop(*id, 1000 + 500 * hour, at(hour).addSecs(1800), {}, QStringLiteral("Local")));
    }
    ApiClient viewer = m_web->as(Role::Viewer);
    const auto ids = [&viewer](const QString& query) {
        QList<int> found;
        const ApiReply reply = viewer.get(QStringLiteral("/api/v1/transactions") + query);
        for (const QJsonValue& item : reply.json.value(QStringLiteral("transactions")).toArray())
            found.append(item.toObject().value(QStringLiteral("id")).toInt());
        return found;
    };
    QCOMPARE(ids(QString()), (QList<int> {3, 2, 1}));
    QCOMPARE(ids(QStringLiteral("?chargePoint=CP1")), (QList<int> {3, 1}));
    QCOMPARE(ids(QStringLiteral("?idTag=TAG2&chargePoint=CP1")), (QList<int> {3}));
    QCOMPARE(ids(QStringLiteral("?from=2026-01-01T02:00:00Z&to=2026-01-01T03:00:00Z")), (QList<int> {2}));
    QCOMPARE(ids(QStringLiteral("?limit=1&offset=1")), (QList<int> {2}));

    for (const auto& [query, field] : {std::pair {"?limit=0", "limit"}, std::pair {"?from=yesterday", "from"},
             std::pair {"?offset=-1", "offset"}, std::pair {"?format=xml", "format"}}) {
        const ApiReply refused = viewer.get(QStringLiteral("/api/v1/transactions") + QLatin1String(query));
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.field(), QLatin1String(field));
    }

    const ApiReply csv = viewer.get(QStringLiteral("/api/v1/transactions?format=csv&chargePoint=CP2"));
    QCOMPARE(csv.status, 200);
    QVERIFY(csv.headers.value("content-type").startsWith("text/csv"));
    QCOMPARE(csv.body,
        QByteArray(
            "id,chargePointId,connectorId,idTag,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason\r\n"
            "2,CP2,1,TAG2,2026-01-01T02:00:00.000Z,2026-01-01T02:30:00.000Z,1000,2000,1000,Local\r\n"));
}

void TestResources::transactionWithMeterValues()
{
    storage::TransactionRecord record;
    record.chargePointId = QStringLiteral("CP1");
    record.connectorId = 1;
    record.idTag = QStringLiteral("TAG1");
    record.startedAt = at(1);
    const auto id = storage::TransactionRepository(m_web->site.database).start(record);
    QVERIFY(id);
    storage::MeterSample sample;
    sample.chargePointId = QStringLiteral("CP1");
    sample.connectorId = 1;
    sample.transactionId = *id;
    sample.timestamp = at(1).addSecs(60);
    sample.unit = QStringLiteral("Wh");
    sample.rawValue = QStringLiteral("1234");
    sample.value = 1234;
    QVERIFY(storage::MeterValueRepository(m_web->site.database).append({sample}));

    ApiClient viewer = m_web->as(Role::Viewer);
    const ApiReply reply = viewer.get(QStringLiteral("/api/v1/transactions/%1").arg(*id));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("active")), QJsonValue(true));
    const QJsonArray values = reply.json.value(QStringLiteral("meterValues")).toArray();
    QCOMPARE(values.size(), 1);
    QCOMPARE(values[0].toObject().value(QStringLiteral("value")), QJsonValue(1234));
    QCOMPARE(viewer.get(QStringLiteral("/api/v1/transactions/99")).status, 404);
    const ApiReply bad = viewer.get(QStringLiteral("/api/v1/transactions/abc"));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.field(), QStringLiteral("id"));
}

void TestResources::whitelistChangesGoThroughTheConfiguration()
{
    ApiClient operatorClient = m_web->as(Role::Operator);
    const QString tag = QStringLiteral("/api/v1/whitelist/TAG1");
    QCOMPARE(
        operatorClient.send("PUT", tag, QJsonObject {{QStringLiteral("note"), QStringLiteral("van")}}).status, 201);
    QCOMPARE(operatorClient
                 .send("PUT", QStringLiteral("/api/v1/whitelist/tag1"),
                     QJsonObject {{QStringLiteral("status"), QStringLiteral("Blocked")}})
                 .status,
        200);
    const QJsonArray stored
        = m_web->config.value(QStringLiteral("authorization")).toObject().value(QStringLiteral("whitelist")).toArray();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].toObject().value(QStringLiteral("status")), QJsonValue(QStringLiteral("Blocked")));

    const ApiReply refused
        = operatorClient.send("PUT", tag, QJsonObject {{QStringLiteral("status"), QStringLiteral("Maybe")}});
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.field(), QStringLiteral("authorization.whitelist[0].status"));
    QCOMPARE(operatorClient.send("PUT", tag, QJsonObject {{QStringLiteral("colour"), QStringLiteral("red")}}).field(),
        QStringLiteral("colour"));
    QCOMPARE(
        operatorClient.send("PUT", QStringLiteral("/api/v1/whitelist/") + QString(21, QLatin1Char('X')), QJsonObject {})
            .field(),
        QStringLiteral("idTag"));
    m_web->configWriteFailure = QStringLiteral("disk full");
    QCOMPARE(operatorClient.send("PUT", tag, QJsonObject {}).status, 500);
    m_web->configWriteFailure.clear();

    ApiClient viewer = m_web->as(Role::Viewer);
    QCOMPARE(
        idTagsOf(viewer.get(QStringLiteral("/api/v1/whitelist")).json.value(QStringLiteral("whitelist")).toArray()),
        QStringList {QStringLiteral("tag1")});
    QCOMPARE(viewer.send("PUT", tag, QJsonObject {}).status, 403);
    QCOMPARE(viewer.request("DELETE", tag).status, 403);
    QCOMPARE(operatorClient.request("DELETE", tag, {}, {}, false).status, 403);
    QCOMPARE(operatorClient.request("DELETE", tag).status, 204);
    QCOMPARE(operatorClient.request("DELETE", tag).status, 404);
}

void TestResources::whitelistCsvExportAndImport()
{
    ApiClient operatorClient = m_web->as(Role::Operator);
    const QString import = QStringLiteral("/api/v1/whitelist/import");
    const ApiReply imported = operatorClient.request(
        "POST", import, "idTag,status,note\r\nTAG1,Accepted,\"van, blue\"\r\nTAG2,Blocked,\r\n", "text/csv");
    QCOMPARE(imported.status, 200);
    QCOMPARE(imported.json.value(QStringLiteral("imported")), QJsonValue(2));
    QCOMPARE(operatorClient.request("POST", import, "idTag\r\nTAG3\r\n", "text/csv")
                 .json.value(QStringLiteral("whitelistSize")),
        QJsonValue(3));

    const ApiReply csv = operatorClient.get(QStringLiteral("/api/v1/whitelist?format=csv"));
    QCOMPARE(csv.body,
        QByteArray("idTag,status,expiryDate,parentIdTag,note\r\nTAG1,Accepted,,,\"van, blue\"\r\n"
                   "TAG2,Blocked,,,\r\nTAG3,,,,\r\n"));
    const ApiReply replaced
        = operatorClient.request("POST", import + QStringLiteral("?mode=replace"), csv.body, "text/csv");
    QCOMPARE(replaced.status, 200);
    QCOMPARE(operatorClient.get(QStringLiteral("/api/v1/whitelist?format=csv")).body, csv.body);

    const auto refusal = [&](const QByteArray& body, const QByteArray& type = "text/csv") {
        return operatorClient.request("POST", import, body, type);
    };
    QCOMPARE(refusal("idTag,colour\r\nA,red\r\n").field(), QStringLiteral("line 1"));
    QCOMPARE(refusal("idTag,note\r\nA\r\n").field(), QStringLiteral("line 2"));
    QCOMPARE(refusal("idTag,note\r\n,x\r\n").field(), QStringLiteral("line 2 idTag"));
    QCOMPARE(refusal("idTag\r\n\"A\r\n").status, 400);
    QCOMPARE(refusal("idTag,status\r\nA,Maybe\r\n").field(), QStringLiteral("authorization.whitelist[3].status"));
    QCOMPARE(refusal("idTag\r\nA\r\n", "application/json").status, 415);
    QCOMPARE(m_web->as(Role::Viewer).request("POST", import, "idTag\r\nA\r\n", "text/csv").status, 403);
    QCOMPARE(operatorClient.request("POST", import, "idTag\r\nA\r\n", "text/csv", false).status, 403);
    QCOMPARE(
        idTagsOf(
            operatorClient.get(QStringLiteral("/api/v1/whitelist")).json.value(QStringLiteral("whitelist")).toArray()),
        (QStringList {QStringLiteral("TAG1"), QStringLiteral("TAG2"), QStringLiteral("TAG3")}));
}

void TestResources::eventsAndMessageLog()
{
    storage::EventRepository events(m_web->site.database);
    QVERIFY(events.append({0, at(1), QStringLiteral("CP1"), QStringLiteral("DataTransfer"), {}}));
    QVERIFY(events.append({0, at(2), QStringLiteral("CP2"), QStringLiteral("DataTransfer"), {}}));
    QVERIFY(events.append({0, at(3), QStringLiteral("CP1"), QStringLiteral("FirmwareStatusNotification"), {}}));
    storage::MessageLogRepository log(m_web->site.database, 1000);
    QVERIFY(log.append({0, at(1), QStringLiteral("CP1"), QStringLiteral("in"), 2, QStringLiteral("u1"),
        QStringLiteral("Heartbeat"), 30}));
    QVERIFY(log.append({0, at(2), QStringLiteral("CP1"), QStringLiteral("in"), 2, QStringLiteral("u2"),
        QStringLiteral("StatusNotification"), 90}));

    ApiClient viewer = m_web->as(Role::Viewer);
    const auto count = [&viewer](const QString& path, const QString& key) {
        const ApiReply reply = viewer.get(path);
        return reply.status == 200 ? reply.json.value(key).toArray().size() : -reply.status;
    };
    const QString eventsKey = QStringLiteral("events");
    QCOMPARE(count(QStringLiteral("/api/v1/events"), eventsKey), 3);
    QCOMPARE(count(QStringLiteral("/api/v1/events?chargePoint=CP1"), eventsKey), 2);
    QCOMPARE(count(QStringLiteral("/api/v1/events?chargePoint=CP1&kind=DataTransfer"), eventsKey), 1);
    QCOMPARE(count(QStringLiteral("/api/v1/events?limit=5000"), eventsKey), -400);
    const QString messagesKey = QStringLiteral("messages");
    QCOMPARE(count(QStringLiteral("/api/v1/message-log?chargePoint=CP1"), messagesKey), 2);
    QCOMPARE(count(QStringLiteral("/api/v1/message-log?action=Heartbeat"), messagesKey), 1);
    QCOMPARE(count(QStringLiteral("/api/v1/message-log?action=") + QString(101, QLatin1Char('x')), messagesKey), -400);
}

void TestResources::siteStatusIsPassedThrough()
{
    const ApiReply reply = m_web->as(Role::Viewer).get(QStringLiteral("/api/v1/site"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json, (QJsonObject {{QStringLiteral("siteLimitA"), 63}}));
}

void TestResources::readingNeedsASession_data()
{
    QTest::addColumn<QString>("path");
    for (const char* path : {"/api/v1/charge-points", "/api/v1/charge-points/CP1", "/api/v1/transactions",
             "/api/v1/transactions/1", "/api/v1/whitelist", "/api/v1/events", "/api/v1/message-log", "/api/v1/site"})
        QTest::newRow(path) << QString::fromLatin1(path);
}

void TestResources::readingNeedsASession()
{
    QFETCH(QString, path);
    QCOMPARE(m_web->client().get(path).status, 401);
}

QTEST_GUILESS_MAIN(TestResources)
#include "tst_resources.moc"
