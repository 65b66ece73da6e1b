#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

// LinkRay's configuration: one JSON file, validated once at load with errors that name the key path.
// docs/configuration.md documents every key; the web API changes the configuration through the same parseConfig().
namespace linkray::app {

inline constexpr int SupportedConfigVersion = 1;

enum class Mode { Offline };
enum class UnknownChargePointPolicy { Accept, Pending, Reject };
enum class UnknownTagPolicy { Reject, Accept };
enum class TagStatus { Accepted, Blocked, Expired, Invalid };

struct OcppConfig {
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    int port = 8180; // 0 = any free port
    QString pathPrefix = QStringLiteral("/ocpp");
    int maxFrameBytes = 65536; // larger frames get a CALLERROR
    int hardFrameBytes = 1048576; // larger frames close the connection
    int pingIntervalSeconds = 30; // 0 = no pings
    int pongTimeoutSeconds = 10;
    int callTimeoutSeconds = 30;
    int heartbeatIntervalSeconds = 300;
    UnknownChargePointPolicy unknownChargePoints = UnknownChargePointPolicy::Accept;
    bool requireBasicAuth = false;
    bool strict = false;
};

struct ChargePointConfig {
    QString id;
    QString name; // empty = none
    QString passwordHash; // empty = none; "pbkdf2-sha256$<iterations>$<salt>$<hash>"
    std::optional<bool> strict; // unset = OcppConfig::strict
};

struct WhitelistEntry {
    QString idTag;
    TagStatus status = TagStatus::Accepted;
    QDateTime expiryDate; // UTC; invalid = no expiry
    QString parentIdTag; // empty = none
    QString note;
};

struct AuthorizationConfig {
    UnknownTagPolicy unknownTags = UnknownTagPolicy::Reject;
    bool pushLocalList = true;
    QList<WhitelistEntry> whitelist;
};

struct StorageConfig {
    int messageLogMaxEntries = 100000;
};

struct LoggingConfig {
    QString rules; // QLoggingCategory filter rules
};

struct Config {
    Mode mode = Mode::Offline;
    OcppConfig ocpp;
    QList<ChargePointConfig> chargePoints;
    AuthorizationConfig authorization;
    StorageConfig storage;
    LoggingConfig logging;
};

bool operator==(const OcppConfig& a, const OcppConfig& b);
bool operator==(const ChargePointConfig& a, const ChargePointConfig& b);
bool operator==(const WhitelistEntry& a, const WhitelistEntry& b);
bool operator==(const AuthorizationConfig& a, const AuthorizationConfig& b);
bool operator==(const StorageConfig& a, const StorageConfig& b);
bool operator==(const LoggingConfig& a, const LoggingConfig& b);
bool operator==(const Config& a, const Config& b);

struct ConfigError {
    QString path; // e.g. "chargePoints[2].id"; empty for errors about the whole file
    QString reason;

    // "path: reason", or the reason alone when the path is empty.
    QString message() const;
};

using ConfigResult = std::variant<Config, QList<ConfigError>>;

// Every error is collected, not only the first one.
ConfigResult parseConfig(const QByteArray& json);
ConfigResult parseConfig(const QJsonObject& root);
ConfigResult loadConfigFile(const QString& path);

// The embedded bench defaults (resources/bench-config.json), used when no --config is given.
QByteArray benchConfigJson();

// Every key written out, optional ones only when set; parseConfig(toJson(c)) == c.
QJsonObject toJson(const Config& config);

// Writes a temporary file next to `path`, fsyncs it and renames it over `path`: a reader sees the old or the new file.
bool writeConfigFileAtomically(const QString& path, const Config& config, QString* error);

} // namespace linkray::app
