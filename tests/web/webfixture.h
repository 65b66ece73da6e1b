#pragma once

#include "../localcsms/site.h"
#include "web/roles.h"
#include "web/webserver.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <functional>
#include <memory>

namespace linkray::web::test {

struct ApiReply {
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers; // lower-case names

    QString field() const { return json.value(QStringLiteral("field")).toString(); }
};

// One browser: its own cookie jar, and the CSRF token its last login or setup returned.
class ApiClient {
public:
    explicit ApiClient(quint16 port);

    // Sends without waiting, for answers that need the clock moved first.
    QNetworkReply* send(const QByteArray& method, const QString& path, const QByteArray& body = {},
        const QByteArray& contentType = "application/json", bool withCsrf = true);
    static ApiReply finish(QNetworkReply* reply);

    ApiReply request(const QByteArray& method, const QString& path, const QByteArray& body = {},
        const QByteArray& contentType = "application/json", bool withCsrf = true);
    ApiReply get(const QString& path) { return request("GET", path); }
    ApiReply send(const QByteArray& method, const QString& path, const QJsonObject& body, bool withCsrf = true);
    // POST /api/v1/session; keeps the CSRF token on success.
    ApiReply login(const QString& name, const QString& password);
    ApiReply setup(const QString& name, const QString& password);
    // GET /api/v1/session names a user (it answers {"session": null} without a live session).
    bool hasSession();

    QString csrfToken;

private:
    quint16 m_port;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

// A site with LocalCsms and its charger links (tests/localcsms) behind a WebServer on 127.0.0.1, port 0. The
// configuration services keep an in-memory configuration and refuse a whitelist status the app would refuse.
class WebFixture {
public:
    WebFixture();

    ApiClient client() const { return ApiClient(server->port()); }
    // A logged-in client: the first call sets up "admin" and creates "operator" and "viewer".
    ApiClient as(Role role);

    localcsms::test::Site site;
    QJsonObject config;
    QString configWriteFailure;
    // Builds the meter of the meter test read; unset: the test read is refused with a field error naming "meter".
    std::function<TestMeter(const QJsonObject& config, qint64 timeoutMs)> testMeter;
    std::unique_ptr<WebServer> server;

private:
    bool m_usersCreated = false;
};

inline const QString kPassword = QStringLiteral("correct horse battery");

} // namespace linkray::web::test
