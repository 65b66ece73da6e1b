#pragma once

#include "app/config.h"
#include "core/clock.h"
#include "core/passwordhash.h"
#include "storage/database.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace linkray::chargepoints {
class ChargePointConnection;
class ChargePointServer;
struct Admission;
struct ConnectionRequest;
} // namespace linkray::chargepoints

namespace linkray::ocpp {
class Endpoint;
struct IncomingCall;
} // namespace linkray::ocpp

namespace linkray::balancer {
class ChargingController;
}

namespace linkray::meter {
class MeterDriver;
}

namespace linkray::localcsms {
class LocalCsms;
class LocalListSync;
class RemoteCommands;
} // namespace linkray::localcsms

namespace linkray::proxy {
class Proxy;
}

namespace linkray::web {
class WebServer;
struct ConfigChange;
} // namespace linkray::web

namespace linkray::storage {
class MessageLogRepository;
class MessageLogWriter;
class OutboxRepository;
class OutboxWriter;
} // namespace linkray::storage

namespace linkray::app {

class ControlServer;
class SiteBalancing;
struct CallReply;

// What the touch view's adapter (app/sitehmi) reads and commands through; valid from start() until shutdown().
struct SiteServices {
    Clock& clock;
    const Config& config;
    storage::Database& database;
    localcsms::RemoteCommands& commands;
    const balancer::ChargingController& controller;
    const meter::MeterDriver& meter;
    const proxy::Proxy* proxy; // online mode only
};

// The wiring of one site: the charge point server, an OCPP endpoint per connection, the offline central system,
// storage and the control channel, built from one validated configuration.
class Site : public QObject {
    Q_OBJECT
    Q_MOC_INCLUDE("ocpp/endpoint.h")
public:
    // `configPath` is where changes made at run time are written; empty (embedded defaults) keeps them in memory.
    Site(Clock& clock, Config config, QString dataDir, QString configPath = {}, QObject* parent = nullptr);
    ~Site() override;

    // Opens the database, imports the whitelist and starts listening. Returns why it could not.
    std::optional<QString> start();
    // Closes charger connections (1001 going away) and the database; everything acknowledged is already stored.
    void shutdown();

    QString ocppUrl() const;
    // Where the web app answers (https://host:port/); empty when it is disabled.
    QString webUrl() const;
    // Only between a successful start() and shutdown().
    SiteServices services();

Q_SIGNALS:
    void chargerConnected(const QString& chargePointId);
    void chargerDisconnected(const QString& chargePointId);
    // Every call a charger sent, whether LinkRay answered it or relayed it to the CSMS.
    void chargerCallObserved(const QString& chargePointId, const linkray::ocpp::IncomingCall& call);

private:
    // An address as a URL's host: IPv6 in brackets.
    static QString urlHost(const QHostAddress& address);
    std::optional<QString> importWhitelist();
    std::optional<QString> startProxy();
    std::optional<QString> startWeb();
    // A configuration from the web app: validated, written atomically, the whitelist put in force.
    web::ConfigChange applyConfig(const QJsonObject& json);
    // What GET /api/v1/site shows.
    QJsonObject statusJson() const;
    chargepoints::Admission admit(const chargepoints::ConnectionRequest& request);
    void onConnected(chargepoints::ChargePointConnection* connection);
    // Online mode: the charger's frames go through its proxy session instead of straight to the endpoint.
    void relay(chargepoints::ChargePointConnection* connection, ocpp::Endpoint& endpoint);
    void logFrame(const QString& chargePointId, const char* direction, const QByteArray& text, const QString& action);
    void forwardCall(const QString& chargePointId, const QString& action, const QJsonObject& payload,
        std::function<void(const CallReply&)> reply);
    const ChargePointConfig* chargePointConfig(const QString& id) const;
    // The charger accepted a new AuthorizationKey from the CSMS: its login here and upstream use it from now on.
    void adoptAuthorizationKey(const QString& chargePointId, const QString& key);

    Clock& m_clock;
    Config m_config; // in force
    // Written from the web app with changes that take effect at the next start (docs/api.md, configuration).
    std::optional<Config> m_configOnFile;
    QString m_dataDir;
    QString m_configPath;
    storage::Database m_database;
    PasswordVerifier m_passwords;
    std::unique_ptr<storage::MessageLogRepository> m_messageLog;
    std::unique_ptr<storage::MessageLogWriter> m_messageLogWriter;
    std::unique_ptr<localcsms::LocalCsms> m_csms;
    std::unique_ptr<localcsms::RemoteCommands> m_commands;
    std::unique_ptr<localcsms::LocalListSync> m_localLists;
    std::unique_ptr<SiteBalancing> m_balancing;
    std::unique_ptr<storage::OutboxRepository> m_outboxRows;
    std::unique_ptr<storage::OutboxWriter> m_outbox;
    std::unique_ptr<proxy::Proxy> m_proxy;
    QHash<QString, QByteArray> m_chargerAuthorization; // the Basic auth each admitted charger sent, for pass-through
    std::unique_ptr<chargepoints::ChargePointServer> m_server;
    std::unique_ptr<ControlServer> m_control;
    std::unique_ptr<web::WebServer> m_web;
};

} // namespace linkray::app
