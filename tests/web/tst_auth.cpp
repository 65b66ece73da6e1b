#include "webfixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

// First-admin setup, login sessions, users and the rules every route shares (401, CSRF, 404/405, body size).
class TestAuth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_web = std::make_unique<WebFixture>(); }
    void cleanup() { m_web.reset(); }

    void setupWorksOnlyOnce();
    void setupRefusesBadInput_data();
    void setupRefusesBadInput();
    void loginSessionAndLogout();
    void repeatedBadLoginsAreRateLimited();
    void sessionsExpireWhenIdleAndAtTheirLifetime();
    void usersAreManagedByAdminsOnly();
    void lastAdminStays();
    void passwordChangeEndsOtherSessions();
    void unknownPathAndWrongMethod();
    void oversizedBodyIsRefused();
    void openApiDocumentsEveryRoute();

private:
    std::unique_ptr<WebFixture> m_web;
};

void TestAuth::setupWorksOnlyOnce()
{
    ApiClient first = m_web->client();
    QCOMPARE(first.get(QStringLiteral("/api/v1/setup")).json.value(QStringLiteral("required")), QJsonValue(true));
    // Before login the session check succeeds and says there is none, so the web app's login page logs no error.
    const ApiReply none = first.get(QStringLiteral("/api/v1/session"));
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json, (QJsonObject {{QStringLiteral("session"), QJsonValue::Null}}));

    const ApiReply created = first.setup(QStringLiteral("alice"), kPassword);
    QCOMPARE(created.status, 201);
    const QByteArray cookie = created.headers.value("set-cookie");
    QVERIFY2(cookie.startsWith("linkray_session="), cookie.constData());
    QVERIFY(cookie.contains("HttpOnly"));
    QVERIFY(cookie.contains("SameSite=Strict"));
    QVERIFY2(!cookie.contains("Secure"), "plain HTTP must not mark the cookie Secure");
    const ApiReply session = first.get(QStringLiteral("/api/v1/session"));
    QCOMPARE(session.status, 200);
    QCOMPARE(session.json.value(QStringLiteral("user")).toObject().value(QStringLiteral("role")),
        QJsonValue(QStringLiteral("admin")));

    ApiClient second = m_web->client();
    QCOMPARE(second.setup(QStringLiteral("mallory"), kPassword).status, 409);
    QCOMPARE(second.get(QStringLiteral("/api/v1/setup")).json.value(QStringLiteral("required")), QJsonValue(false));
    QCOMPARE(second.login(QStringLiteral("mallory"), kPassword).status, 401);
}

void TestAuth::setupRefusesBadInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    const QByteArray json = "application/json";
    QTest::newRow("short password") << QByteArray(R"({"name":"a","password":"short"})") << json << 400 << "password";
    QTest::newRow("no name") << QByteArray(R"({"password":"long enough password"})") << json << 400 << "name";
    QTest::newRow("name with a space") << QByteArray(R"({"name":"a b","password":"long enough password"})") << json
                                       << 400 << "name";
    QTest::newRow("name not text") << QByteArray(R"({"name":7,"password":"long enough password"})") << json << 400
                                   << "name";
    QTest::newRow("unknown field") << QByteArray(R"({"name":"a","password":"long enough password","role":"x"})") << json
                                   << 400 << "role";
    QTest::newRow("not JSON") << QByteArray("name=a") << json << 400 << "body";
    QTest::newRow("form post") << QByteArray(R"({"name":"a","password":"long enough password"})")
                               << QByteArray("text/plain") << 415 << "Content-Type";
}

void TestAuth::setupRefusesBadInput()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, field);
    ApiClient client = m_web->client();
    const ApiReply reply = client.request("POST", QStringLiteral("/api/v1/setup"), body, contentType);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.field(), field);
    QCOMPARE(client.get(QStringLiteral("/api/v1/setup")).json.value(QStringLiteral("required")), QJsonValue(true));
}

void TestAuth::loginSessionAndLogout()
{
    m_web->as(Role::Admin);
    ApiClient client = m_web->client();
    QCOMPARE(client.login(QStringLiteral("operator"), QStringLiteral("wrong password")).status, 401);
    QCOMPARE(client.login(QStringLiteral("nobody"), kPassword).status, 401);
    QCOMPARE(
        client.send("POST", QStringLiteral("/api/v1/session"), QJsonObject {{QStringLiteral("name"), 1}}).status, 400);
    const ApiReply login = client.login(QStringLiteral("operator"), kPassword);
    QCOMPARE(login.status, 200);
    QVERIFY(!client.csrfToken.isEmpty());
    const ApiReply session = client.get(QStringLiteral("/api/v1/session"));
    QCOMPARE(session.json.value(QStringLiteral("user")).toObject().value(QStringLiteral("name")),
        QJsonValue(QStringLiteral("operator")));
    QCOMPARE(session.json.value(QStringLiteral("csrfToken")).toString(), client.csrfToken);

    QCOMPARE(client.request("DELETE", QStringLiteral("/api/v1/session"), {}, {}, false).status, 403);
    const QString token = client.csrfToken;
    client.csrfToken = QStringLiteral("forged");
    QCOMPARE(client.request("DELETE", QStringLiteral("/api/v1/session")).status, 403);
    client.csrfToken = token;
    QCOMPARE(client.request("DELETE", QStringLiteral("/api/v1/session")).status, 204);
    QVERIFY(!client.hasSession());
    QCOMPARE(client.request("DELETE", QStringLiteral("/api/v1/session")).status, 401);
}

void TestAuth::repeatedBadLoginsAreRateLimited()
{
    m_web->as(Role::Admin);
    ApiClient client = m_web->client();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(client.login(QStringLiteral("viewer"), QStringLiteral("guess number %1").arg(i)).status, 401);
    const ApiReply limited = client.login(QStringLiteral("viewer"), kPassword);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.headers.value("retry-after"), QByteArray("60"));
    // The same address is limited for other names too.
    QCOMPARE(client.login(QStringLiteral("operator"), kPassword).status, 429);

    m_web->site.clock.advance(60000);
    QCOMPARE(client.login(QStringLiteral("viewer"), kPassword).status, 200);
}

void TestAuth::sessionsExpireWhenIdleAndAtTheirLifetime()
{
    ApiClient idle = m_web->as(Role::Viewer);
    m_web->site.clock.advance(29 * 60 * 1000);
    QVERIFY(idle.hasSession());
    m_web->site.clock.advance(30 * 60 * 1000);
    QVERIFY(!idle.hasSession());

    // Used every 15 minutes, it still ends 12 hours after the login.
    ApiClient busy = m_web->as(Role::Viewer);
    for (int quarter = 0; quarter < 47; ++quarter) {
        m_web->site.clock.advance(15 * 60 * 1000);
        QVERIFY(busy.hasSession());
    }
    m_web->site.clock.advance(15 * 60 * 1000 - 1);
    QVERIFY(busy.hasSession());
    m_web->site.clock.advance(1);
    QVERIFY(!busy.hasSession());
}

void TestAuth::usersAreManagedByAdminsOnly()
{
    ApiClient admin = m_web->as(Role::Admin);
    const QJsonObject carol {{QStringLiteral("name"), QStringLiteral("carol")}, {QStringLiteral("password"), kPassword},
        {QStringLiteral("role"), QStringLiteral("operator")}};
    QCOMPARE(admin.send("POST", QStringLiteral("/api/v1/users"), carol).status, 201);
    QCOMPARE(admin.send("POST", QStringLiteral("/api/v1/users"), carol).status, 409);
    QJsonObject badRole = carol;
    badRole.insert(QStringLiteral("role"), QStringLiteral("root"));
    badRole.insert(QStringLiteral("name"), QStringLiteral("dave"));
    const ApiReply refused = admin.send("POST", QStringLiteral("/api/v1/users"), badRole);
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.field(), QStringLiteral("role"));
    QCOMPARE(admin.send("POST", QStringLiteral("/api/v1/users"), carol, false).status, 403);

    const ApiReply users = admin.get(QStringLiteral("/api/v1/users"));
    QCOMPARE(users.status, 200);
    QStringList names;
    for (const QJsonValue& user : users.json.value(QStringLiteral("users")).toArray())
        names.append(user.toObject().value(QStringLiteral("name")).toString());
    QCOMPARE(names,
        (QStringList {
            QStringLiteral("admin"), QStringLiteral("carol"), QStringLiteral("operator"), QStringLiteral("viewer")}));
    QVERIFY2(!users.body.contains("scrypt"), "password hashes must never leave the server");

    const ApiReply promoted = admin.send("PATCH", QStringLiteral("/api/v1/users/carol"),
        QJsonObject {{QStringLiteral("role"), QStringLiteral("viewer")}});
    QCOMPARE(promoted.status, 200);
    QCOMPARE(promoted.json.value(QStringLiteral("role")), QJsonValue(QStringLiteral("viewer")));
    QCOMPARE(admin.send("PATCH", QStringLiteral("/api/v1/users/nobody"), QJsonObject {}).status, 404);
    QCOMPARE(admin
                 .send("PATCH", QStringLiteral("/api/v1/users/carol"),
                     QJsonObject {{QStringLiteral("password"), QStringLiteral("short")}})
                 .field(),
        QStringLiteral("password"));
    QCOMPARE(admin.request("DELETE", QStringLiteral("/api/v1/users/carol")).status, 204);
    QCOMPARE(admin.request("DELETE", QStringLiteral("/api/v1/users/carol")).status, 404);

    for (const Role role : {Role::Operator, Role::Viewer}) {
        ApiClient other = m_web->as(role);
        QCOMPARE(other.get(QStringLiteral("/api/v1/users")).status, 403);
        QCOMPARE(other.send("POST", QStringLiteral("/api/v1/users"), carol).status, 403);
        QCOMPARE(other.request("DELETE", QStringLiteral("/api/v1/users/viewer")).status, 403);
    }
    ApiClient anonymous = m_web->client();
    QCOMPARE(anonymous.get(QStringLiteral("/api/v1/users")).status, 401);
    QCOMPARE(anonymous.send("PATCH", QStringLiteral("/api/v1/users/viewer"), QJsonObject {}).status, 401);
}

void TestAuth::lastAdminStays()
{
    ApiClient admin = m_web->as(Role::Admin);
    QCOMPARE(admin
                 .send("PATCH", QStringLiteral("/api/v1/users/admin"),
                     QJsonObject {{QStringLiteral("role"), QStringLiteral("operator")}})
                 .status,
        409);
    QCOMPARE(admin.request("DELETE", QStringLiteral("/api/v1/users/admin")).status, 409);
    QCOMPARE(admin
                 .send("PATCH", QStringLiteral("/api/v1/users/operator"),
                     QJsonObject {{QStringLiteral("role"), QStringLiteral("admin")}})
                 .status,
        200);
    QCOMPARE(admin.request("DELETE", QStringLiteral("/api/v1/users/admin")).status, 204);
    QVERIFY(!admin.hasSession());
}

void TestAuth::passwordChangeEndsOtherSessions()
{
    ApiClient admin = m_web->as(Role::Admin);
    ApiClient viewer = m_web->as(Role::Viewer);
    const QString newPassword = QStringLiteral("a brand new password");
    QCOMPARE(admin
                 .send("PATCH", QStringLiteral("/api/v1/users/viewer"),
                     QJsonObject {{QStringLiteral("password"), newPassword}})
                 .status,
        200);
    QVERIFY(!viewer.hasSession());
    QCOMPARE(viewer.login(QStringLiteral("viewer"), kPassword).status, 401);
    QCOMPARE(viewer.login(QStringLiteral("viewer"), newPassword).status, 200);
    QVERIFY(admin.hasSession());
}

void TestAuth::unknownPathAndWrongMethod()
{
    ApiClient admin = m_web->as(Role::Admin);
    QCOMPARE(admin.get(QStringLiteral("/api/v1/nothing")).status, 404);
    QCOMPARE(admin.get(QStringLiteral("/api/nothing")).status, 404); // "/" is the web app (tst_webapp)
    const ApiReply wrong = admin.request("PUT", QStringLiteral("/api/v1/session"), "{}");
    QCOMPARE(wrong.status, 405);
    QCOMPARE(wrong.headers.value("allow"), QByteArray("POST, GET, DELETE"));
    QCOMPARE(admin.request("DELETE", QStringLiteral("/api/v1/charge-points")).status, 405);
}

void TestAuth::oversizedBodyIsRefused()
{
    ApiClient client = m_web->client();
    const QByteArray huge(kMaxBodyBytes + 1, 'x');
    QCOMPARE(client.request("POST", QStringLiteral("/api/v1/setup"), huge).status, 413);
}

void TestAuth::openApiDocumentsEveryRoute()
{
    const ApiReply reply = m_web->client().get(QStringLiteral("/api/v1/openapi.json"));
    QCOMPARE(reply.status, 200);
    const QJsonObject paths = reply.json.value(QStringLiteral("paths")).toObject();
    QVERIFY(!paths.isEmpty());
    QSet<QString> routed;
    for (const Route& route : m_web->server->routes()) {
        const QString method = QString::fromLatin1(route.method).toLower();
        routed.insert(method + QLatin1Char(' ') + route.pattern);
        const QJsonObject operation = paths.value(route.pattern).toObject().value(method).toObject();
        QVERIFY2(
            !operation.isEmpty(), qPrintable(method + QLatin1Char(' ') + route.pattern + QStringLiteral(" missing")));
        const bool documentedPublic = operation.value(QStringLiteral("security")).toArray().isEmpty();
        QVERIFY2(documentedPublic == !route.access.permission.has_value(), qPrintable(route.pattern));
    }
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
            if (operation.key() == QLatin1String("parameters"))
                continue;
            const QString documented = operation.key() + QLatin1Char(' ') + path.key();
            QVERIFY2(routed.contains(documented), qPrintable(documented + QStringLiteral(" is not routed")));
        }
    }
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
