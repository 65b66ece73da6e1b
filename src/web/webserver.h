#pragma once

#include "core/clock.h"
#include "storage/database.h"
#include "web/router.h"
#include "web/sessionstore.h"
#include "web/staticfiles.h"
#include "web/webservices.h"

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimeZone>

#include <memory>
#include <optional>

class QHttpServer;

namespace linkray::web {

class AuthApi;
class ChargePointApi;
class ConfigApi;
class LiveUpdates;
class MeterApi;
class RecordsApi;
class StatsApi;
class SystemApi;
class WhitelistApi;

// LinkRay's HTTP API, /api/v1 (docs/api.md): JSON resources, sessions and roles, over HTTP or HTTPS; and the web
// app (docs/web-ui.md) on every other path.
class WebServer : public QObject {
    Q_OBJECT
public:
    struct Options {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 8080; // 0: any free port, see port()
        // Both set: HTTPS with this PEM certificate (chain) and PEM private key, and Secure session cookies.
        QString tlsCertificateFile;
        QString tlsKeyFile;
        SessionLimits sessions;
        QTimeZone timeZone = QTimeZone::systemTimeZone(); // the local days of /api/v1/stats
        int maxLiveStreams = 32; // open /api/v1/live streams; more are refused with 503
    };

    WebServer(Clock& clock, storage::Database& db, WebServices services, Options options, QObject* parent = nullptr);
    ~WebServer() override;

    // Starts listening. Returns why it could not (TLS files unreadable, address in use).
    std::optional<QString> listen();
    quint16 port() const { return m_port; }
    bool isHttps() const;

    // Every route the server answers, for docs and the test that the OpenAPI document covers them.
    const QList<Route>& routes() const { return m_router.routes(); }

private:
    Options m_options;
    WebServices m_services;
    SessionStore m_sessions;
    Router m_router;
    StaticFiles m_app; // the web app (src/web/ui) for every GET outside /api/
    std::unique_ptr<AuthApi> m_auth;
    std::unique_ptr<ChargePointApi> m_chargePoints;
    std::unique_ptr<RecordsApi> m_records;
    std::unique_ptr<WhitelistApi> m_whitelist;
    std::unique_ptr<ConfigApi> m_config;
    std::unique_ptr<MeterApi> m_meter;
    std::unique_ptr<StatsApi> m_stats;
    std::unique_ptr<SystemApi> m_system;
    std::unique_ptr<LiveUpdates> m_live; // outlives m_server, which deletes the streams' sockets first
    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
};

} // namespace linkray::web
