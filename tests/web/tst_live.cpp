#include "storage/repositories.h"
#include "storage/sqlsupport.h"
#include "web/apimessage.h"
#include "web/liveupdates.h"
#include "webfixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

struct ReceivedEvent {
    QByteArray name;
    QJsonObject data;
};

// A client's end of GET /api/v1/live: the events and keep-alive comments as they arrive.
class EventStream {
public:
    explicit EventStream(QNetworkReply* reply)
        : m_reply(reply)
    {
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [this] { read(); });
    }
    ~EventStream()
    {
        m_reply->abort();
        m_reply->deleteLater();
    }
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    int status() const { return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }
    QByteArray header(const QByteArray& name) const { return m_reply->rawHeader(name); }
    bool isFinished() const { return m_reply->isFinished(); }
    void abort() { m_reply->abort(); }

    int count(const QByteArray& name, const std::function<bool(const QJsonObject&)>& matches = {}) const
    {
        return static_cast<int>(std::count_if(events.begin(), events.end(),
            [&](const ReceivedEvent& event) { return event.name == name && (!matches || matches(event.data)); }));
    }

    QList<ReceivedEvent> events;
    int keepAlives = 0;

private:
    void read()
    {
        m_buffer += m_reply->readAll();
        for (qsizetype end = m_buffer.indexOf("\n\n"); end >= 0; end = m_buffer.indexOf("\n\n")) {
            ReceivedEvent event;
            for (const QByteArray& line : m_buffer.left(end).split('\n')) {
                if (line == ": keep-alive")
                    ++keepAlives;
                else if (line.startsWith("event: "))
                    event.name = line.mid(7);
                else if (line.startsWith("data: "))
                    event.data = QJsonDocument::fromJson(line.mid(6)).object();
            }
            if (!event.name.isEmpty())
                events.append(event);
            m_buffer.remove(0, end + 2);
        }
    }

    QNetworkReply* m_reply;
    QByteArray m_buffer;
};

const QString kLive = QStringLiteral("/api/v1/live");

std::function<bool(const QJsonObject&)> withId(const QJsonValue& id)
{
    return [id](const QJsonObject& data) { return data.value(QStringLiteral("id")) == id; };
}

QString connectorStatus(const QJsonObject& chargePoint, int connectorId)
{
    for (const QJsonValue& connector : chargePoint.value(QStringLiteral("connectors")).toArray()) {
        if (connector.toObject().value(QStringLiteral("connectorId")).toInt() == connectorId)
            return connector.toObject().value(QStringLiteral("status")).toString();
    }
    return {};
}

} // namespace

// GET /api/v1/live: server-sent events of the site, charge points, transactions and event records.
class TestLive : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_web = std::make_unique<WebFixture>(); }
    void cleanup() { m_web.reset(); }

    void needsASession();
    void sendsTheResourcesOnConnect();
    void sendsWhatChanges();
    void lastSeenAtAloneIsSentAtMostEveryTenMinutes();
    void lastSeenThrottle_data();
    void lastSeenThrottle();
    void keepsAliveWhenIdle();
    void endsAtLogout();
    void endsWhenTheSessionIdlesOut();
    void streamsAreBoundedAndLeftOnesForgotten();
    void pollWithAThousandChargePoints();

private:
    std::unique_ptr<WebFixture> m_web;
};

void TestLive::needsASession()
{
    const ApiReply refused = m_web->client().get(kLive);
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.headers.value("content-type"), QByteArray("application/json"));
}

void TestLive::sendsTheResourcesOnConnect()
{
    m_web->site.connectBooted(QStringLiteral("CP1"));
    storage::ChargePointRepository(m_web->site.database)
        .touch(QStringLiteral("CP0"), QDateTime(QDate(2026, 1, 1), QTime(1, 0), Qt::UTC));
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("charge-point"), 2);
    QCOMPARE(stream.status(), 200);
    QCOMPARE(stream.header("Content-Type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(stream.header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(stream.count("site"), 1);
    QCOMPARE(stream.events.first().data.value(QStringLiteral("siteLimitA")), QJsonValue(63));
    // Exactly what GET /api/v1/charge-points/{id} answers.
    const ApiReply cp1 = viewer.get(QStringLiteral("/api/v1/charge-points/CP1"));
    QCOMPARE(stream.count("charge-point", [&cp1](const QJsonObject& data) { return data == cp1.json; }), 1);
    QCOMPARE(stream.count("charge-point", withId(QStringLiteral("CP0"))), 1);
    QVERIFY(!stream.isFinished());
}

void TestLive::sendsWhatChanges()
{
    storage::Database& db = m_web->site.database;
    m_web->site.connectBooted(QStringLiteral("CP1"));
    m_web->site.connectBooted(QStringLiteral("CP2"));
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("charge-point"), 2);

    const QDateTime now = m_web->site.clock.nowUtc();
    QVERIFY(storage::ChargePointRepository(db).saveConnectorStatus(
        {QStringLiteral("CP1"), 1, QStringLiteral("Charging"), QStringLiteral("NoError"), {}, {}, now}));
    QVERIFY(storage::ChargePointRepository(db).setAppliedLimit(QStringLiteral("CP1"), {16, QStringLiteral("A"), 3}));
    QVERIFY(storage::ChargePointRepository(db).touch(QStringLiteral("CP3"), now)); // met for the first time
    storage::TransactionRecord record;
    record.chargePointId = QStringLiteral("CP1");
    record.connectorId = 1;
    record.idTag = QStringLiteral("TAG1");
    record.meterStartWh = 1000;
    record.startedAt = now;
    const auto id = storage::TransactionRepository(db).start(record);
    QVERIFY(id);
    QVERIFY(storage::EventRepository(db).append(
        {0, now, QStringLiteral("CP1"), QStringLiteral("FirmwareStatusNotification"), {}}));
    m_web->site.clock.advance(1000);
    const auto transaction = [&id](bool active, const QJsonValue& meterNowWh) {
        return [&id, active, meterNowWh](const QJsonObject& data) {
            return data.value(QStringLiteral("id")) == QJsonValue(*id)
                && data.value(QStringLiteral("active")) == QJsonValue(active)
                && data.value(QStringLiteral("meterNowWh")) == meterNowWh;
        };
    };
    QTRY_COMPARE(stream.count("transaction", transaction(true, QJsonValue::Null)), 1);
    QCOMPARE(stream.count("charge-point",
                 [](const QJsonObject& data) { return connectorStatus(data, 1) == QLatin1String("Charging"); }),
        1);
    // Both changes of CP1 in one event, exactly what GET answers; the new CP3 once; nothing for the unchanged CP2.
    QCOMPARE(stream.count("charge-point", withId(QStringLiteral("CP1"))), 2);
    const QJsonObject cp1 = viewer.get(QStringLiteral("/api/v1/charge-points/CP1")).json;
    QCOMPARE(stream.count("charge-point", [&cp1](const QJsonObject& data) { return data == cp1; }), 1);
    QCOMPARE(stream.count("charge-point", withId(QStringLiteral("CP3"))), 1);
    QCOMPARE(stream.count("charge-point", withId(QStringLiteral("CP2"))), 1);
    QCOMPARE(stream.count("event",
                 [](const QJsonObject& data) {
                     return data.value(QStringLiteral("kind")) == QLatin1String("FirmwareStatusNotification");
                 }),
        1);
    QCOMPARE(stream.count("site"), 1); // unchanged: not sent again

    storage::MeterSample sample;
    sample.chargePointId = QStringLiteral("CP1");
    sample.connectorId = 1;
    sample.transactionId = *id;
    sample.timestamp = m_web->site.clock.nowUtc();
    sample.unit = QStringLiteral("Wh");
    sample.rawValue = QStringLiteral("1800");
    sample.value = 1800;
    QVERIFY(storage::MeterValueRepository(db).append({sample}));
    m_web->site.clock.advance(1000);
    QTRY_COMPARE(stream.count("transaction", transaction(true, 1800)), 1);

    QVERIFY(
        storage::TransactionRepository(db).stop(*id, 2500, m_web->site.clock.nowUtc(), {}, QStringLiteral("Local")));
    m_web->site.clock.advance(1000);
    QTRY_COMPARE(stream.count("transaction", transaction(false, 2500)), 1);
    QCOMPARE(stream.count("transaction"), 3);
    QCOMPARE(stream.count("event"), 1);
}

void TestLive::lastSeenAtAloneIsSentAtMostEveryTenMinutes()
{
    storage::Database& db = m_web->site.database;
    ManualClock& clock = m_web->site.clock;
    m_web->site.connectBooted(QStringLiteral("CP1"));
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("charge-point"), 1);
    // After `ms`, an event record goes out in one more poll: once it arrives, so has whatever the polls before sent.
    int marks = 0;
    const auto advanceAndWait = [&](qint64 ms) {
        clock.advance(ms);
        QVERIFY(storage::EventRepository(db).append(
            {0, clock.nowUtc(), QStringLiteral("CP1"), QStringLiteral("Mark"), {}}));
        clock.advance(1000);
        ++marks;
        QTRY_COMPARE(stream.count("event"), marks);
    };
    const auto lastChargePoint = [&stream] {
        for (auto event = stream.events.crbegin(); event != stream.events.crend(); ++event) {
            if (event->name == "charge-point")
                return event->data;
        }
        return QJsonObject();
    };

    // Heartbeats for nine minutes: nothing is sent.
    for (int minute = 0; minute < 9; ++minute) {
        QVERIFY(storage::ChargePointRepository(db).touch(QStringLiteral("CP1"), clock.nowUtc()));
        advanceAndWait(59 * 1000);
    }
    QCOMPARE(stream.count("charge-point"), 1);

    // Another change goes at once, with the lastSeenAt of that moment.
    const QDateTime statusAt = clock.nowUtc();
    QVERIFY(storage::ChargePointRepository(db).touch(QStringLiteral("CP1"), statusAt));
    QVERIFY(storage::ChargePointRepository(db).saveConnectorStatus(
        {QStringLiteral("CP1"), 1, QStringLiteral("Charging"), QStringLiteral("NoError"), {}, {}, statusAt}));
    advanceAndWait(0);
    QCOMPARE(stream.count("charge-point"), 2);
    QCOMPARE(connectorStatus(lastChargePoint(), 1), QStringLiteral("Charging"));
    QCOMPARE(lastChargePoint().value(QStringLiteral("lastSeenAt")).toString(), timeText(statusAt));

    // Heartbeats again: the newest lastSeenAt is sent ten minutes after the status change, not before.
    QVERIFY(storage::ChargePointRepository(db).touch(QStringLiteral("CP1"), clock.nowUtc()));
    advanceAndWait(8 * 60 * 1000);
    QCOMPARE(stream.count("charge-point"), 2);
    const QDateTime heartbeatAt = clock.nowUtc();
    QVERIFY(storage::ChargePointRepository(db).touch(QStringLiteral("CP1"), heartbeatAt));
    advanceAndWait(2 * 60 * 1000);
    QCOMPARE(stream.count("charge-point"), 3);
    QCOMPARE(lastChargePoint().value(QStringLiteral("lastSeenAt")).toString(), timeText(heartbeatAt));
    // The stream shows again exactly what GET answers.
    QCOMPARE(viewer.get(QStringLiteral("/api/v1/charge-points/CP1")).json, lastChargePoint());
}

void TestLive::lastSeenThrottle_data()
{
    QTest::addColumn<QString>("secondLastSeen");
    QTest::addColumn<QString>("secondStatus");
    QTest::addColumn<qint64>("afterMs");
    QTest::addColumn<QString>("publishedLastSeen");

    const QString first = QStringLiteral("2026-01-01T00:00:00.000Z");
    const QString later = QStringLiteral("2026-01-01T00:01:00.000Z");
    QTest::newRow("lastSeenAt alone, soon: held") << later << "Available" << qint64(60000) << first;
    QTest::newRow("lastSeenAt alone, just before ten minutes: held")
        << later << "Available" << kLastSeenRepublishMs - 1 << first;
    QTest::newRow("lastSeenAt alone, after ten minutes: sent") << later << "Available" << kLastSeenRepublishMs << later;
    QTest::newRow("with another change: sent at once") << later << "Charging" << qint64(1000) << later;
    QTest::newRow("nothing changed") << first << "Available" << qint64(1000) << first;
}

void TestLive::lastSeenThrottle()
{
    QFETCH(QString, secondLastSeen);
    QFETCH(QString, secondStatus);
    QFETCH(qint64, afterMs);
    QFETCH(QString, publishedLastSeen);
    const auto chargePoint = [](const QString& lastSeenAt, const QString& status) {
        return QJsonObject {{QStringLiteral("id"), QStringLiteral("CP1")}, {QStringLiteral("lastSeenAt"), lastSeenAt},
            {QStringLiteral("status"), status}};
    };
    LastSeenThrottle throttle;
    const QJsonObject first = chargePoint(QStringLiteral("2026-01-01T00:00:00.000Z"), QStringLiteral("Available"));
    QCOMPARE(throttle.publish(QStringLiteral("CP1"), first, 5000), first);
    // Another charger has a throttle of its own.
    const QJsonObject other = chargePoint(secondLastSeen, QStringLiteral("Available"));
    QCOMPARE(throttle.publish(QStringLiteral("CP2"), other, 5000 + afterMs), other);

    const QJsonObject published
        = throttle.publish(QStringLiteral("CP1"), chargePoint(secondLastSeen, secondStatus), 5000 + afterMs);
    QCOMPARE(published, chargePoint(publishedLastSeen, secondStatus));
}

void TestLive::keepsAliveWhenIdle()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("site"), 1);
    QCOMPARE(stream.keepAlives, 0);
    m_web->site.clock.advance(15000);
    QTRY_COMPARE(stream.keepAlives, 1);
    m_web->site.clock.advance(15000);
    QTRY_COMPARE(stream.keepAlives, 2);
    QVERIFY(!stream.isFinished());
}

void TestLive::endsAtLogout()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("site"), 1);
    QCOMPARE(viewer.request("DELETE", QStringLiteral("/api/v1/session")).status, 204);
    m_web->site.clock.advance(1000);
    QTRY_VERIFY(stream.isFinished());
}

void TestLive::endsWhenTheSessionIdlesOut()
{
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE(stream.count("site"), 1);
    // An open stream is not a use of the session: it ends with the idle timeout.
    m_web->site.clock.advance(29 * 60 * 1000);
    QCOMPARE(viewer.get(QStringLiteral("/api/v1/system")).status, 200);
    m_web->site.clock.advance(29 * 60 * 1000);
    QVERIFY(!stream.isFinished());
    m_web->site.clock.advance(60 * 1000);
    QTRY_VERIFY(stream.isFinished());
    QVERIFY(!viewer.hasSession());
}

void TestLive::streamsAreBoundedAndLeftOnesForgotten()
{
    std::vector<ApiClient> viewers;
    std::vector<std::unique_ptr<EventStream>> streams;
    for (int i = 0; i < 32; ++i) {
        viewers.push_back(m_web->as(Role::Viewer));
        streams.push_back(std::make_unique<EventStream>(viewers.back().send("GET", kLive)));
    }
    for (const auto& stream : streams)
        QTRY_COMPARE(stream->count("site"), 1);
    ApiClient late = m_web->as(Role::Viewer);
    const ApiReply refused = late.get(kLive);
    QCOMPARE(refused.status, 503);
    QVERIFY(!refused.json.value(QStringLiteral("error")).toString().isEmpty());

    // A client that goes away frees its place.
    streams.front()->abort();
    std::unique_ptr<EventStream> next;
    for (int attempt = 0; attempt < 100 && !(next && next->count("site") == 1); ++attempt) {
        next = std::make_unique<EventStream>(late.send("GET", kLive));
        QTRY_VERIFY(next->isFinished() || next->count("site") == 1);
    }
    QCOMPARE(next->count("site"), 1);
    QCOMPARE(next->status(), 200);
}

// Not a check but a figure for docs/performance.md: one poll of an open stream with 1,000 charge points (two
// connectors and a limit each) of which one changed at each poll; the browser gets that one, and only that one.
void TestLive::pollWithAThousandChargePoints()
{
    constexpr int kChargePoints = 1000;
    storage::Database& db = m_web->site.database;
    ManualClock& clock = m_web->site.clock;
    const auto status = [&clock](const QString& id, int connectorId, const QString& state) {
        return storage::ConnectorRecord {id, connectorId, state, QStringLiteral("NoError"), {}, {}, clock.nowUtc()};
    };
    {
        storage::sql::WriteTransaction batch(db.connection(), "benchmark charge points");
        storage::ChargePointRepository chargePoints(db);
        for (int i = 0; i < kChargePoints; ++i) {
            const QString id = QStringLiteral("CP%1").arg(i, 4, 10, QLatin1Char('0'));
            QVERIFY(chargePoints.recordBoot(
                {id, QStringLiteral("Vendor"), QStringLiteral("Model"), QStringLiteral("SN%1").arg(i),
                    QStringLiteral("1.0"), QStringLiteral("Accepted"), clock.nowUtc(), clock.nowUtc(), 0, true}));
            for (int connectorId = 1; connectorId <= 2; ++connectorId)
                QVERIFY(chargePoints.saveConnectorStatus(status(id, connectorId, QStringLiteral("Available"))));
            QVERIFY(chargePoints.setAppliedLimit(id, {16, QStringLiteral("A"), 3}));
        }
        QVERIFY(batch.commit());
    }
    ApiClient viewer = m_web->as(Role::Viewer);
    EventStream stream(viewer.send("GET", kLive));
    QTRY_COMPARE_WITH_TIMEOUT(stream.count("charge-point"), kChargePoints, 60000);

    // Timed by hand around the polls alone, not the writes between them (each an fsync).
    constexpr int kPolls = 20;
    qint64 pollingNs = 0;
    for (int poll = 1; poll <= kPolls; ++poll) {
        QVERIFY(storage::ChargePointRepository(db).saveConnectorStatus(
            status(QStringLiteral("CP0500"), 1, poll % 2 ? QStringLiteral("Charging") : QStringLiteral("Available"))));
        QElapsedTimer timer;
        timer.start();
        clock.advance(kPollIntervalMs);
        pollingNs += timer.nsecsElapsed();
    }
    qInfo("one poll with %d charge points, one of them changed: %.2f ms", kChargePoints,
        double(pollingNs) / kPolls / 1e6);
    QTRY_COMPARE(stream.count("charge-point"), kChargePoints + kPolls);
    QCOMPARE(stream.count("charge-point", withId(QStringLiteral("CP0500"))), 1 + kPolls);
}

QTEST_GUILESS_MAIN(TestLive)
#include "tst_live.moc"
