// libFuzzer target: the HTTP API's request bodies, through the real handlers of every route that takes one (JSON
// bodies, the whitelist's CSV import, the configuration with its secret placeholders, limits, users, commands).
// Whatever arrives, a handler must answer once with a status a client can act on, and a 4xx must say what is wrong
// as JSON. No server and no socket: the routes are called as the router would, for a signed-in administrator.
//
// Input: the first byte chooses the route, the second a command action and the content type, the rest is the body.
#include "core/clock.h"
#include "fuzzsupport.h"
#include "storage/database.h"
#include "web/webserver.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace linkray;

namespace {

const QStringList kActions {QStringLiteral("remote-start"), QStringLiteral("remote-stop"), QStringLiteral("reset"),
    QStringLiteral("unlock"), QStringLiteral("change-availability"), QStringLiteral("trigger-message"),
    QStringLiteral("get-configuration"), QStringLiteral("change-configuration"), QStringLiteral("clear-cache"),
    QStringLiteral("get-composite-schedule")};

QJsonObject configWithSecrets()
{
    return {{QStringLiteral("chargePoints"),
                QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("CP-FUZZ")},
                    {QStringLiteral("passwordHash"), QStringLiteral("pbkdf2-sha256$1000$c2FsdA==$aGFzaA==")}}}},
        {QStringLiteral("authorization"), QJsonObject {{QStringLiteral("whitelist"), QJsonArray()}}}};
}

struct World {
    World()
        : directory(fuzz::dataDirectoryTemplate())
    {
        if (storage::Database::open(database, storage::Database::filePathIn(directory.path())))
            __builtin_trap();
        web::WebServices services;
        services.connectedChargePoints = [] { return QStringList {QStringLiteral("CP-FUZZ")}; };
        services.siteStatus = [] { return QJsonObject(); };
        // Every change is accepted and forgotten, so that inputs do not depend on the ones before.
        services.currentConfig = [] { return configWithSecrets(); };
        services.applyConfig = [](const QJsonObject&) { return web::ConfigChange {}; };
        services.operatorLimit = [](const QString&) { return std::optional<storage::OperatorLimitRecord>(); };
        services.setOperatorLimit = [](const storage::OperatorLimitRecord&) { return web::LimitChange::Applied; };
        services.clearOperatorLimit = [](const QString&) { return web::LimitChange::Applied; };
        services.isBalanced = [](const QString&) { return true; };
        services.isGroup = [](const QString&) { return true; };
        services.groupLimit = [](const QString&) { return std::optional<storage::OperatorLimitRecord>(); };
        services.clearGroupLimit = [](const QString&) { return web::LimitChange::Applied; };
        web::WebServer::Options options;
        options.port = 0;
        server = std::make_unique<web::WebServer>(clock, database, services, options);
        for (const web::Route& route : server->routes()) {
            const bool takesBody = route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
            if (takesBody && route.handler)
                routes.append(route);
        }
        if (routes.isEmpty())
            __builtin_trap();
    }

    ManualClock clock;
    QTemporaryDir directory;
    storage::Database database;
    std::unique_ptr<web::WebServer> server;
    QList<web::Route> routes;
};

World& world()
{
    fuzz::ensureApplication("fuzz_webapi");
    static World instance;
    return instance;
}

// The values of a route's {name} segments, as the router would have taken them from the path.
QHash<QString, QString> paramsOf(const QString& pattern, const QString& action)
{
    static const QRegularExpression segment(QStringLiteral("\\{(\\w+)\\}"));
    QHash<QString, QString> params;
    for (auto match = segment.globalMatch(pattern); match.hasNext();) {
        const QString name = match.next().captured(1);
        params.insert(name,
            name == QLatin1String("action")      ? action
                : name == QLatin1String("name")  ? QStringLiteral("operator")
                : name == QLatin1String("idTag") ? QStringLiteral("TAG-FUZZ")
                                                 : QStringLiteral("CP-FUZZ"));
    }
    return params;
}

void checkAnswer(const web::ApiResponse& response)
{
    if (response.status < 200 || response.status > 599)
        __builtin_trap();
    if (response.status >= 400 && response.status < 500) {
        const QJsonDocument error = QJsonDocument::fromJson(response.body);
        if (!error.isObject() || !error.object().value(u"error").isString())
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    World& w = world();
    const web::Route& route = w.routes.at(data[0] % w.routes.size());
    web::ApiRequest request;
    request.method = route.method;
    request.params = paramsOf(route.pattern, kActions.at((data[1] >> 1) % kActions.size()));
    request.contentType = (data[1] & 1) ? QByteArray("text/csv") : QByteArray("application/json");
    request.body = QByteArray(reinterpret_cast<const char*>(data + 2), static_cast<qsizetype>(size - 2));
    request.clientAddress = QStringLiteral("127.0.0.1");
    request.session = web::Session {
        QStringLiteral("admin"), web::Role::Admin, QStringLiteral("csrf"), w.clock.nowUtc(), w.clock.nowUtc()};
    int answers = 0;
    route.handler(request, [&answers](const web::ApiResponse& response) {
        ++answers;
        checkAnswer(response);
    });
    QCoreApplication::processEvents();
    if (answers > 1)
        __builtin_trap();
    return 0;
}
