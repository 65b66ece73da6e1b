#pragma once

#include "app/config.h"
#include "core/clock.h"
#include "core/passwordhash.h"
#include "storage/database.h"

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

namespace linkray::localcsms {
class LocalCsms;
class LocalListSync;
class RemoteCommands;
} // namespace linkray::localcsms

namespace linkray::storage {
class MessageLogRepository;
class MessageLogWriter;
} // namespace linkray::storage

namespace linkray::app {

class ControlServer;
class SiteBalancing;
struct CallReply;

// The wiring of one site: the charge point server, an OCPP endpoint per connection, the offline central system,
// storage and the control channel, built from one validated configuration.
class Site : public QObject {
    Q_OBJECT
public:
    Site(Clock& clock, Config config, QString dataDir, QObject* parent = nullptr);
    ~Site() override;

    // Opens the database, imports the whitelist and starts listening. Returns why it could not.
    std::optional<QString> start();
    // Closes charger connections (1001 going away) and the database; everything acknowledged is already stored.
    void shutdown();

    QString ocppUrl() const;

private:
    std::optional<QString> importWhitelist();
    chargepoints::Admission admit(const chargepoints::ConnectionRequest& request);
    void onConnected(chargepoints::ChargePointConnection* connection);
    void logFrame(const QString& chargePointId, const char* direction, const QByteArray& text, const QString& action);
    void forwardCall(const QString& chargePointId, const QString& action, const QJsonObject& payload,
        std::function<void(const CallReply&)> reply);
    const ChargePointConfig* chargePointConfig(const QString& id) const;

    Clock& m_clock;
    Config m_config;
    QString m_dataDir;
    storage::Database m_database;
    PasswordVerifier m_passwords;
    std::unique_ptr<storage::MessageLogRepository> m_messageLog;
    std::unique_ptr<storage::MessageLogWriter> m_messageLogWriter;
    std::unique_ptr<localcsms::LocalCsms> m_csms;
    std::unique_ptr<localcsms::RemoteCommands> m_commands;
    std::unique_ptr<localcsms::LocalListSync> m_localLists;
    std::unique_ptr<SiteBalancing> m_balancing;
    std::unique_ptr<chargepoints::ChargePointServer> m_server;
    std::unique_ptr<ControlServer> m_control;
};

} // namespace linkray::app
