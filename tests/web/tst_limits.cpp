#include "webfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

const QString kDynamic = QStringLiteral("/api/v1/site/dynamic-limit");
const QString kManual = QStringLiteral("/api/v1/charge-points/CP1/manual-limit");
const QString kGroup = QStringLiteral("/api/v1/groups/G1/manual-limit");

// The users of a WebFixture, logged in at a second server on the same database: the one with the limit services.
class LimitsFixture {
public:
    LimitsFixture()
    {
        m_web.as(Role::Admin); // creates the users
        WebServices services;
        services.operatorLimit = [this](const QString& id) {
            return limits.contains(id) ? std::optional(limits.value(id)) : std::nullopt;
        };
        services.setOperatorLimit = [this](const storage::OperatorLimitRecord& limit) {
            if (!limit.groupId.isEmpty()) {
                if (limit.groupId != QLatin1String("G1"))
                    return LimitChange::UnknownGroup;
                groupLimits.insert(limit.groupId, limit);
                return LimitChange::Applied;
            }
            if (!limit.chargePointId.isEmpty() && limit.chargePointId != QLatin1String("CP1"))
                return LimitChange::UnknownChargePoint;
            limits.insert(limit.chargePointId, limit);
            return LimitChange::Applied;
        };
        services.clearOperatorLimit = [this](const QString& id) {
            if (!id.isEmpty() && id != QLatin1String("CP1"))
                return LimitChange::UnknownChargePoint;
            limits.remove(id);
            return LimitChange::Applied;
        };
        services.isBalanced = [](const QString& id) { return id == QLatin1String("CP1"); };
        services.groupLimit = [this](const QString& id) {
            return groupLimits.contains(id) ? std::optional(groupLimits.value(id)) : std::nullopt;
        };
        services.clearGroupLimit = [this](const QString& id) {
            if (id != QLatin1String("G1"))
                return LimitChange::UnknownGroup;
            groupLimits.remove(id);
            return LimitChange::Applied;
        };
        services.isGroup = [](const QString& id) { return id == QLatin1String("G1"); };
        WebServer::Options options;
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        server = std::make_unique<WebServer>(m_web.site.clock, m_web.site.database, services, options);
        if (const auto error = server->listen())
            qFatal("the web server does not listen: %s", qPrintable(*error));
    }

    ApiClient as(Role role)
    {
        ApiClient client(server->port());
        if (client.login(role == Role::Admin ? QStringLiteral("admin") : roleName(role), kPassword).status != 200)
            qFatal("login failed");
        return client;
    }
    ApiClient anonymous() const { return ApiClient(server->port()); }
    QString inHours(int hours) const { return timeText(m_web.site.clock.nowUtc().addSecs(hours * 3600LL)); }

private:
    WebFixture m_web; // first: the server below uses its clock and database

public:
    QHash<QString, storage::OperatorLimitRecord> limits;
    QHash<QString, storage::OperatorLimitRecord> groupLimits;
    std::unique_ptr<WebServer> server;
};

// The body with expiresAt as a data row gives it: "+N" is N hours from now, empty leaves it out.
QJsonObject withExpiry(QJsonObject body, const QString& expiresAt, const LimitsFixture& fixture)
{
    if (expiresAt.startsWith(QLatin1Char('+')))
        body.insert(QStringLiteral("expiresAt"), fixture.inHours(expiresAt.mid(1).toInt()));
    else if (!expiresAt.isEmpty())
        body.insert(QStringLiteral("expiresAt"), expiresAt);
    return body;
}

} // namespace

// /api/v1/site/dynamic-limit, /api/v1/charge-points/{id}/manual-limit and /api/v1/groups/{id}/manual-limit
// (docs/api.md).
class TestLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_fixture = std::make_unique<LimitsFixture>(); }
    void cleanup() { m_fixture.reset(); }

    void dynamicLimitSetReadAndRemoved();
    void dynamicLimitRefused_data();
    void dynamicLimitRefused();
    void manualLimitSetReadAndRemoved();
    void manualLimitRefused_data();
    void manualLimitRefused();
    void groupLimitSetReadAndRemoved();
    void groupLimitRefused_data();
    void groupLimitRefused();
    void changesNeedAnOperatorAndTheCsrfToken_data();
    void changesNeedAnOperatorAndTheCsrfToken();

private:
    std::unique_ptr<LimitsFixture> m_fixture;
};

void TestLimits::dynamicLimitSetReadAndRemoved()
{
    ApiClient operatorClient = m_fixture->as(Role::Operator);
    const QString expiresAt = m_fixture->inHours(2);
    const ApiReply set = operatorClient.send("PUT", kDynamic,
        QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {20, 20, 16}}, {QStringLiteral("powerKw"), 11},
            {QStringLiteral("expiresAt"), expiresAt}});
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json.value(QStringLiteral("phaseCurrentsA")), QJsonValue(QJsonArray {20, 20, 16}));
    QCOMPARE(set.json.value(QStringLiteral("setBy")), QJsonValue(QStringLiteral("operator")));
    const storage::OperatorLimitRecord stored = m_fixture->limits.value(QString());
    QCOMPARE(stored.powerW, 11000.0);
    QCOMPARE(timeText(stored.expiresAt), expiresAt);

    const ApiReply read = m_fixture->as(Role::Viewer).get(kDynamic);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json.value(QStringLiteral("powerKw")), QJsonValue(11));
    QCOMPARE(read.json.value(QStringLiteral("expiresAt")), QJsonValue(expiresAt));

    // One current for all three phases.
    QCOMPARE(operatorClient
                 .send("PUT", kDynamic,
                     QJsonObject {{QStringLiteral("currentA"), 25}, {QStringLiteral("expiresAt"), expiresAt}})
                 .json.value(QStringLiteral("phaseCurrentsA")),
        QJsonValue(QJsonArray {25, 25, 25}));

    QCOMPARE(operatorClient.request("DELETE", kDynamic).status, 204);
    QVERIFY(m_fixture->limits.isEmpty());
    QCOMPARE(operatorClient.get(kDynamic).status, 404);
}

void TestLimits::dynamicLimitRefused_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("expiresAt");
    QTest::addColumn<QString>("field");
    const QJsonObject twenty {{QStringLiteral("currentA"), 20}};
    QTest::newRow("no expiry") << twenty << QString() << "expiresAt";
    QTest::newRow("expiry in the past") << twenty << "+-1"
                                        << "expiresAt";
    QTest::newRow("expiry now") << twenty << "+0"
                                << "expiresAt";
    QTest::newRow("expiry over 7 days ahead") << twenty << "+169"
                                              << "expiresAt";
    QTest::newRow("expiry not a date") << twenty << "tomorrow"
                                       << "expiresAt";
    QTest::newRow("expiry without a time zone") << twenty << "2026-01-01T10:00:00"
                                                << "expiresAt";
    QTest::newRow("no limit at all") << QJsonObject {} << "+1"
                                     << "phaseCurrentsA";
    QTest::newRow("two phases") << QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {20, 20}}} << "+1"
                                << "phaseCurrentsA";
    QTest::newRow("a phase as text") << QJsonObject {{QStringLiteral("phaseCurrentsA"),
        QJsonArray {20, QStringLiteral("20"), 20}}}
                                     << "+1"
                                     << "phaseCurrentsA";
    QTest::newRow("both forms of current")
        << QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {20, 20, 20}}, {QStringLiteral("currentA"), 20}}
        << "+1"
        << "currentA";
    QTest::newRow("negative current") << QJsonObject {{QStringLiteral("currentA"), -1}} << "+1"
                                      << "currentA";
    QTest::newRow("power as text") << QJsonObject {{QStringLiteral("powerKw"), QStringLiteral("11")}} << "+1"
                                   << "powerKw";
    QTest::newRow("unknown field") << QJsonObject {{QStringLiteral("currentA"), 20}, {QStringLiteral("colour"), 1}}
                                   << "+1"
                                   << "colour";
}

void TestLimits::dynamicLimitRefused()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, expiresAt);
    QFETCH(QString, field);
    const ApiReply refused
        = m_fixture->as(Role::Operator).send("PUT", kDynamic, withExpiry(body, expiresAt, *m_fixture));
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.field(), field);
    QVERIFY(m_fixture->limits.isEmpty());
}

void TestLimits::manualLimitSetReadAndRemoved()
{
    ApiClient operatorClient = m_fixture->as(Role::Operator);
    const ApiReply none = m_fixture->as(Role::Viewer).get(kManual);
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json, (QJsonObject {{QStringLiteral("manualLimit"), QJsonValue::Null}}));

    const ApiReply set = operatorClient.send("PUT", kManual,
        QJsonObject {{QStringLiteral("limitA"), 10}, {QStringLiteral("expiresAt"), m_fixture->inHours(3)}});
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json.value(QStringLiteral("limitA")), QJsonValue(10));
    QCOMPARE(set.json.value(QStringLiteral("chargePointId")), QJsonValue(QStringLiteral("CP1")));
    const auto stored = m_fixture->limits.value(QStringLiteral("CP1")).currentA;
    QVERIFY(stored);
    QCOMPARE(*stored, (std::array<double, 3> {10, 10, 10}));

    const ApiReply read = m_fixture->as(Role::Viewer).get(kManual);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json.value(QStringLiteral("manualLimit")), QJsonValue(set.json));
    const ApiReply inWatts = operatorClient.send("PUT", kManual,
        QJsonObject {{QStringLiteral("limitW"), 7400}, {QStringLiteral("expiresAt"), m_fixture->inHours(3)}});
    QCOMPARE(inWatts.json.value(QStringLiteral("limitW")), QJsonValue(7400));
    QCOMPARE(operatorClient.request("DELETE", kManual).status, 204);
    QCOMPARE(operatorClient.get(kManual).json, none.json);

    const QString unknown = QStringLiteral("/api/v1/charge-points/CP9/manual-limit");
    QCOMPARE(operatorClient
                 .send("PUT", unknown,
                     QJsonObject {{QStringLiteral("limitA"), 10}, {QStringLiteral("expiresAt"), m_fixture->inHours(1)}})
                 .status,
        404);
    QCOMPARE(operatorClient.request("DELETE", unknown).status, 404);
    const ApiReply notBalanced = operatorClient.get(unknown);
    QCOMPARE(notBalanced.status, 404);
    QCOMPARE(notBalanced.field(), QStringLiteral("id"));
}

void TestLimits::manualLimitRefused_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("expiresAt");
    QTest::addColumn<QString>("field");
    QTest::newRow("no limit") << QJsonObject {} << "+1"
                              << "limitA";
    QTest::newRow("both units") << QJsonObject {{QStringLiteral("limitA"), 10}, {QStringLiteral("limitW"), 7000}}
                                << "+1"
                                << "limitA";
    QTest::newRow("negative watts") << QJsonObject {{QStringLiteral("limitW"), -5}} << "+1"
                                    << "limitW";
    QTest::newRow("absurd current") << QJsonObject {{QStringLiteral("limitA"), 1e9}} << "+1"
                                    << "limitA";
    QTest::newRow("expiry over 7 days ahead") << QJsonObject {{QStringLiteral("limitA"), 10}} << "+200"
                                              << "expiresAt";
    QTest::newRow("site keys") << QJsonObject {{QStringLiteral("currentA"), 10}} << "+1"
                               << "currentA";
}

void TestLimits::manualLimitRefused()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, expiresAt);
    QFETCH(QString, field);
    const ApiReply refused
        = m_fixture->as(Role::Operator).send("PUT", kManual, withExpiry(body, expiresAt, *m_fixture));
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.field(), field);
    QVERIFY(m_fixture->limits.isEmpty());
}

void TestLimits::groupLimitSetReadAndRemoved()
{
    ApiClient operatorClient = m_fixture->as(Role::Operator);
    const ApiReply none = m_fixture->as(Role::Viewer).get(kGroup);
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json, (QJsonObject {{QStringLiteral("manualLimit"), QJsonValue::Null}}));

    const ApiReply set = operatorClient.send("PUT", kGroup,
        QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {20, 16, 20}},
            {QStringLiteral("expiresAt"), m_fixture->inHours(2)}});
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json.value(QStringLiteral("groupId")), QJsonValue(QStringLiteral("G1")));
    QCOMPARE(set.json.value(QStringLiteral("phaseCurrentsA")), QJsonValue(QJsonArray {20, 16, 20}));
    QCOMPARE(set.json.value(QStringLiteral("setBy")), QJsonValue(QStringLiteral("operator")));
    const auto stored = m_fixture->groupLimits.value(QStringLiteral("G1")).currentA;
    QVERIFY(stored);
    QCOMPARE(*stored, (std::array<double, 3> {20, 16, 20}));
    QVERIFY(m_fixture->limits.isEmpty());

    const ApiReply read = m_fixture->as(Role::Viewer).get(kGroup);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json.value(QStringLiteral("manualLimit")), QJsonValue(set.json));
    const ApiReply onePerPhase = operatorClient.send("PUT", kGroup,
        QJsonObject {{QStringLiteral("currentA"), 10}, {QStringLiteral("expiresAt"), m_fixture->inHours(1)}});
    QCOMPARE(onePerPhase.json.value(QStringLiteral("phaseCurrentsA")), QJsonValue(QJsonArray {10, 10, 10}));
    QCOMPARE(operatorClient.request("DELETE", kGroup).status, 204);
    QCOMPARE(operatorClient.get(kGroup).json, none.json);

    const QString unknown = QStringLiteral("/api/v1/groups/G9/manual-limit");
    QCOMPARE(
        operatorClient
            .send("PUT", unknown,
                QJsonObject {{QStringLiteral("currentA"), 10}, {QStringLiteral("expiresAt"), m_fixture->inHours(1)}})
            .status,
        404);
    QCOMPARE(operatorClient.request("DELETE", unknown).status, 404);
    const ApiReply noGroup = operatorClient.get(unknown);
    QCOMPARE(noGroup.status, 404);
    QCOMPARE(noGroup.field(), QStringLiteral("id"));
}

void TestLimits::groupLimitRefused_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("expiresAt");
    QTest::addColumn<QString>("field");
    QTest::newRow("no limit") << QJsonObject {} << "+1"
                              << "phaseCurrentsA";
    QTest::newRow("two phases") << QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {10, 10}}} << "+1"
                                << "phaseCurrentsA";
    QTest::newRow("both forms") << QJsonObject {{QStringLiteral("phaseCurrentsA"), QJsonArray {10, 10, 10}},
        {QStringLiteral("currentA"), 10}}
                                << "+1"
                                << "currentA";
    QTest::newRow("negative") << QJsonObject {{QStringLiteral("currentA"), -1}} << "+1"
                              << "currentA";
    QTest::newRow("power") << QJsonObject {{QStringLiteral("powerKw"), 10}} << "+1"
                           << "powerKw";
    QTest::newRow("no expiry") << QJsonObject {{QStringLiteral("currentA"), 10}} << ""
                               << "expiresAt";
    QTest::newRow("expiry in the past") << QJsonObject {{QStringLiteral("currentA"), 10}} << "+-1"
                                        << "expiresAt";
}

void TestLimits::groupLimitRefused()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, expiresAt);
    QFETCH(QString, field);
    const ApiReply refused = m_fixture->as(Role::Operator).send("PUT", kGroup, withExpiry(body, expiresAt, *m_fixture));
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.field(), field);
    QVERIFY(m_fixture->groupLimits.isEmpty());
}

void TestLimits::changesNeedAnOperatorAndTheCsrfToken_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("limitKey");
    QTest::newRow("dynamic") << kDynamic << "currentA";
    QTest::newRow("manual") << kManual << "limitA";
    QTest::newRow("group") << kGroup << "currentA";
}

void TestLimits::changesNeedAnOperatorAndTheCsrfToken()
{
    QFETCH(QString, path);
    QFETCH(QString, limitKey);
    const QJsonObject body {{limitKey, 10}, {QStringLiteral("expiresAt"), m_fixture->inHours(1)}};
    ApiClient viewer = m_fixture->as(Role::Viewer);
    QCOMPARE(viewer.send("PUT", path, body).status, 403);
    QCOMPARE(viewer.request("DELETE", path).status, 403);
    ApiClient operatorClient = m_fixture->as(Role::Operator);
    QCOMPARE(operatorClient.send("PUT", path, body, false).status, 403);
    QCOMPARE(operatorClient.request("DELETE", path, {}, {}, false).status, 403);
    ApiClient anonymous = m_fixture->anonymous();
    QCOMPARE(anonymous.send("PUT", path, body).status, 401);
    QCOMPARE(anonymous.get(path).status, 401);
    QVERIFY(m_fixture->limits.isEmpty());
    QVERIFY(m_fixture->groupLimits.isEmpty());
    QCOMPARE(m_fixture->as(Role::Admin).send("PUT", path, body).status, 200);
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
