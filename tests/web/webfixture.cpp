#include "webfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

namespace linkray::web::test {

ApiClient::ApiClient(quint16 port)
    : m_port(port)
    , m_network(std::make_unique<QNetworkAccessManager>())
{
}

QNetworkReply* ApiClient::send(
    const QByteArray& method, const QString& path, const QByteArray& body, const QByteArray& contentType, bool withCsrf)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (withCsrf && !csrfToken.isEmpty())
        request.setRawHeader("X-CSRF-Token", csrfToken.toLatin1());
    return m_network->sendCustomRequest(request, method, body);
}

ApiReply ApiClient::finish(QNetworkReply* reply)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            qFatal("no HTTP answer in 10 s");
    }
    ApiReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    for (const auto& [name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return result;
}

ApiReply ApiClient::request(
    const QByteArray& method, const QString& path, const QByteArray& body, const QByteArray& contentType, bool withCsrf)
{
    return finish(send(method, path, body, contentType, withCsrf));
}

ApiReply ApiClient::send(const QByteArray& method, const QString& path, const QJsonObject& body, bool withCsrf)
{
    return request(method, path, QJsonDocument(body).toJson(), "application/json", withCsrf);
}

ApiReply ApiClient::login(const QString& name, const QString& password)
{
    const ApiReply reply = send("POST", QStringLiteral("/api/v1/session"),
        QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("password"), password}});
    if (reply.status == 200)
        csrfToken = reply.json.value(QStringLiteral("csrfToken")).toString();
    return reply;
}

ApiReply ApiClient::setup(const QString& name, const QString& password)
{
    const ApiReply reply = send("POST", QStringLiteral("/api/v1/setup"),
        QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("password"), password}});
    if (reply.status == 201)
        csrfToken = reply.json.value(QStringLiteral("csrfToken")).toString();
    return reply;
}

bool ApiClient::hasSession()
{
    const ApiReply reply = get(QStringLiteral("/api/v1/session"));
    return reply.status == 200 && reply.json.value(QStringLiteral("user")).isObject();
}

WebFixture::WebFixture()
    : config {{QStringLiteral("authorization"), QJsonObject {{QStringLiteral("whitelist"), QJsonArray()}}}}
{
    WebServices services;
    services.connectedChargePoints = [this] { return site.csms->attachedChargePoints(); };
    services.commands = site.commands.get();
    services.siteStatus = [] { return QJsonObject {{QStringLiteral("siteLimitA"), 63}}; };
    services.currentConfig = [this] { return config; };
    services.applyConfig = [this](const QJsonObject& newConfig) {
        ConfigChange change;
        change.failure = configWriteFailure;
        const QJsonArray whitelist
            = newConfig.value(QStringLiteral("authorization")).toObject().value(QStringLiteral("whitelist")).toArray();
        const QStringList statuses {QStringLiteral("Accepted"), QStringLiteral("Blocked"), QStringLiteral("Expired"),
            QStringLiteral("Invalid")};
        for (qsizetype i = 0; i < whitelist.size(); ++i) {
            const QJsonValue status = whitelist[i].toObject().value(QStringLiteral("status"));
            if (!status.isUndefined() && !statuses.contains(status.toString()))
                change.fieldErrors.append({QStringLiteral("authorization.whitelist[%1].status").arg(i),
                    QStringLiteral("must be one of Accepted, Blocked, Expired, Invalid")});
        }
        if (change.applied())
            config = newConfig;
        return change;
    };
    services.testMeter = [this](const QJsonObject& meterConfig, qint64 timeoutMs) {
        if (testMeter)
            return testMeter(meterConfig, timeoutMs);
        TestMeter refused;
        refused.fieldErrors.append({QStringLiteral("meter"), QStringLiteral("no meter in this test")});
        return refused;
    };
    WebServer::Options options;
    options.address = QHostAddress::LocalHost;
    options.port = 0;
    server = std::make_unique<WebServer>(site.clock, site.database, services, options);
    if (const auto error = server->listen())
        qFatal("the web server does not listen: %s", qPrintable(*error));
}

ApiClient WebFixture::as(Role role)
{
    if (!m_usersCreated) {
        ApiClient admin = client();
        if (admin.setup(QStringLiteral("admin"), kPassword).status != 201)
            qFatal("setup failed");
        for (const Role other : {Role::Operator, Role::Viewer}) {
            const ApiReply created = admin.send("POST", QStringLiteral("/api/v1/users"),
                QJsonObject {{QStringLiteral("name"), roleName(other)}, {QStringLiteral("password"), kPassword},
                    {QStringLiteral("role"), roleName(other)}});
            if (created.status != 201)
                qFatal("cannot create %s: %s", qPrintable(roleName(other)), created.body.constData());
        }
        m_usersCreated = true;
    }
    ApiClient logged = client();
    if (logged.login(role == Role::Admin ? QStringLiteral("admin") : roleName(role), kPassword).status != 200)
        qFatal("login failed");
    return logged;
}

} // namespace linkray::web::test
