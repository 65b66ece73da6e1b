#include "webfixture.h"

#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTest>

using namespace linkray::web::test;

// The built web app served by the WebServer: pages, assets, caching and the API's own 404s.
class TestWebApp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_web = std::make_unique<WebFixture>(); }
    void cleanupTestCase() { m_web.reset(); }

    void pagePathsServeTheApp_data();
    void pagePathsServeTheApp();
    void assetsHaveTheirContentType_data();
    void assetsHaveTheirContentType();
    void indexNamesOnlyServedAssets();
    void etagRevalidates();
    void unknownOrUnsafeAssetsAreNotFound_data();
    void unknownOrUnsafeAssetsAreNotFound();
    void apiPathsStayWithTheApi_data();
    void apiPathsStayWithTheApi();

private:
    ApiReply get(const QString& path, const QByteArray& ifNoneMatch = {})
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_web->server->port()).arg(path)));
        if (!ifNoneMatch.isEmpty())
            request.setRawHeader("If-None-Match", ifNoneMatch);
        return ApiClient::finish(m_network.get(request));
    }

    std::unique_ptr<WebFixture> m_web;
    QNetworkAccessManager m_network;
};

void TestWebApp::pagePathsServeTheApp_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("root") << QStringLiteral("/");
    QTest::newRow("index") << QStringLiteral("/index.html");
    QTest::newRow("page path") << QStringLiteral("/charge-points/CP-1");
    QTest::newRow("api lookalike") << QStringLiteral("/apis");
}

void TestWebApp::pagePathsServeTheApp()
{
    QFETCH(QString, path);
    const ApiReply reply = get(path);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headers.value("content-type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY(reply.body.contains("<div id=\"app\">"));
    const QByteArray policy = reply.headers.value("content-security-policy");
    QVERIFY2(policy.startsWith("default-src 'self';"), policy.constData());
    QVERIFY2(!policy.contains("unsafe-inline"), policy.constData());
    QCOMPARE(reply.headers.value("cache-control"), QByteArray("no-cache"));
    QCOMPARE(reply.headers.value("x-content-type-options"), QByteArray("nosniff"));
}

void TestWebApp::assetsHaveTheirContentType_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("script") << QStringLiteral("/assets/app.js") << QByteArray("text/javascript; charset=utf-8");
    QTest::newRow("style") << QStringLiteral("/assets/app.css") << QByteArray("text/css; charset=utf-8");
}

void TestWebApp::assetsHaveTheirContentType()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, contentType);
    const ApiReply reply = get(path);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headers.value("content-type"), contentType);
    QVERIFY(reply.body.size() > 1000);
    QVERIFY(reply.headers.contains("etag"));
}

void TestWebApp::indexNamesOnlyServedAssets()
{
    const ApiReply index = get(QStringLiteral("/"));
    static const QRegularExpression reference(QStringLiteral(R"((?:src|href)="([^"]+)\")"));
    int references = 0;
    for (auto it = reference.globalMatch(QString::fromUtf8(index.body)); it.hasNext(); ++references) {
        const QString path = it.next().captured(1);
        QVERIFY2(path.startsWith(QStringLiteral("/assets/")), qPrintable(path)); // nothing from elsewhere
        QCOMPARE(get(path).status, 200);
    }
    QCOMPARE(references, 2);
}

void TestWebApp::etagRevalidates()
{
    const ApiReply first = get(QStringLiteral("/assets/app.js"));
    const ApiReply again = get(QStringLiteral("/assets/app.js"), first.headers.value("etag"));
    QCOMPARE(again.status, 304);
    QVERIFY(again.body.isEmpty());
    QCOMPARE(get(QStringLiteral("/assets/app.js"), "\"stale\"").status, 200);
}

void TestWebApp::unknownOrUnsafeAssetsAreNotFound_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown") << QStringLiteral("/assets/missing.js");
    QTest::newRow("index under assets") << QStringLiteral("/assets/%2E%2E%2Findex.html");
    QTest::newRow("subfolder") << QStringLiteral("/assets/x/app.js");
    QTest::newRow("folder") << QStringLiteral("/assets/");
}

void TestWebApp::unknownOrUnsafeAssetsAreNotFound()
{
    QFETCH(QString, path);
    const ApiReply reply = get(path);
    QCOMPARE(reply.status, 404);
    QVERIFY(!reply.body.contains("<div id=\"app\">"));
}

void TestWebApp::apiPathsStayWithTheApi_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown resource") << QStringLiteral("/api/v1/nothing-here");
    QTest::newRow("unknown version") << QStringLiteral("/api/v9/site");
    QTest::newRow("api root") << QStringLiteral("/api");
}

void TestWebApp::apiPathsStayWithTheApi()
{
    QFETCH(QString, path);
    const ApiReply reply = get(path);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
    QVERIFY(!reply.json.value(QStringLiteral("error")).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestWebApp)
#include "tst_webapp.moc"
