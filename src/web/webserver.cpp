#include "web/webserver.h"

#include "web/authapi.h"
#include "web/chargepointapi.h"
#include "web/configapi.h"
#include "web/limitsapi.h"
#include "web/liveupdates.h"
#include "web/logging.h"
#include "web/meterapi.h"
#include "web/recordsapi.h"
#include "web/staticfiles.h"
#include "web/statsapi.h"
#include "web/systemapi.h"
#include "web/whitelistapi.h"

#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QSslCertificate>
#include <QSslKey>

namespace linkray::web {

namespace {

std::optional<QByteArray> readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

} // namespace

WebServer::WebServer(Clock& clock, storage::Database& db, WebServices services, Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_services(std::move(services))
    , m_sessions(clock, db, m_options.sessions)
    , m_router(m_sessions)
    , m_auth(std::make_unique<AuthApi>(clock, db, m_sessions, isHttps()))
    , m_chargePoints(std::make_unique<ChargePointApi>(db, m_services))
    , m_records(std::make_unique<RecordsApi>(db, m_services))
    , m_whitelist(std::make_unique<WhitelistApi>(m_services))
    , m_config(std::make_unique<ConfigApi>(m_services))
    , m_meter(std::make_unique<MeterApi>(m_services))
    , m_stats(std::make_unique<StatsApi>(db, m_options.timeZone))
    , m_system(std::make_unique<SystemApi>(clock, db, m_services))
    , m_live(std::make_unique<LiveUpdates>(clock, db, m_sessions, m_services, m_options.maxLiveStreams))
    , m_server(std::make_unique<QHttpServer>())
{
    m_auth->addRoutes(m_router);
    m_chargePoints->addRoutes(m_router);
    m_whitelist->addRoutes(m_router);
    m_config->addRoutes(m_router);
    m_meter->addRoutes(m_router);
    m_records->addRoutes(m_router);
    m_stats->addRoutes(m_router);
    m_system->addRoutes(m_router);
    m_live->addRoutes(m_router);
    addLimitRoutes(m_router, clock, m_services);
    m_router.add("GET", QStringLiteral("/api/v1/openapi.json"), Access::open(), [](const ApiRequest&) {
        return ApiResponse {200, "application/json", readFile(QStringLiteral(":/web/openapi.json")).value_or(""), {}};
    });
    // No QHttpServer routes: everything reaches the one routing table, which also knows 405 from 404.
    m_server->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        if (StaticFiles::isAppRequest(request))
            m_app.serve(request, std::move(responder));
        else
            m_router.dispatch(request, std::move(responder));
    });
}

WebServer::~WebServer() = default;

bool WebServer::isHttps() const
{
    return !m_options.tlsCertificateFile.isEmpty() && !m_options.tlsKeyFile.isEmpty();
}

std::optional<QString> WebServer::listen()
{
    if (isHttps()) {
        const auto certificate = readFile(m_options.tlsCertificateFile);
        const auto key = readFile(m_options.tlsKeyFile);
        if (!certificate || !key)
            return QStringLiteral("cannot read the TLS certificate or key file");
        const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificate, QSsl::Pem);
        const QSslKey privateKey(*key, QSsl::Rsa, QSsl::Pem);
        const QSslKey ecKey(*key, QSsl::Ec, QSsl::Pem);
        if (chain.isEmpty() || (privateKey.isNull() && ecKey.isNull()))
            return QStringLiteral("the TLS certificate or key file is not PEM");
        m_server->sslSetup(chain.first(), privateKey.isNull() ? ecKey : privateKey);
    }
    m_port = m_server->listen(m_options.address, m_options.port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1 port %2").arg(m_options.address.toString()).arg(m_options.port);
    qCInfo(lcWeb).noquote() << "HTTP API on" << (isHttps() ? "https" : "http") << m_options.address.toString() << "port"
                            << m_port;
    return std::nullopt;
}

} // namespace linkray::web
