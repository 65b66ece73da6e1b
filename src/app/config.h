#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <variant>

// LinkRay's configuration: one JSON file, validated once at load with errors that name the key path.
// docs/configuration.md documents every key; the web API changes the configuration through the same parseConfig().
namespace linkray::app {

inline constexpr int SupportedConfigVersion = 1;

enum class Mode { Offline, Online };
enum class UnknownChargePointPolicy { Accept, Pending, Reject };
enum class UnknownTagPolicy { Reject, Accept };
enum class TagStatus { Accepted, Blocked, Expired, Invalid };
enum class Phase { L1, L2, L3 };
enum class ChargerKind { Ac3Phase, Ac1Phase, Dc };
enum class ProfilePurpose { ChargePointMax, TxDefault, Tx };
enum class ChargingRateUnit { Amperes, Watts };
enum class MeterType { None, ModbusTcp, ModbusRtu, HttpJson };
enum class Parity { None, Even, Odd };
enum class CsmsCredentials { PassThrough, Configured, None };

// One value per site phase L1, L2, L3; the file takes one number for all three or an array of three.
using PhaseCurrents = std::array<double, 3>;

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

// How the balancer treats one charge point; the limits apply to each of its connectors.
struct BalancingConfig {
    bool enabled = false; // opt-in per charger: a charger only listed for authentication gets no profiles
    QString group; // empty = directly under the grid connection
    int priority = 0; // higher is served first
    ChargerKind kind = ChargerKind::Ac3Phase;
    // The site phase each charger phase is wired to: three phases for AC 3-phase and DC, one for AC 1-phase.
    QList<Phase> phaseRotation {Phase::L1, Phase::L2, Phase::L3};
    double minCurrentA = 6.0; // AC only
    double maxCurrentA = 32.0; // AC only
    std::optional<double> minPowerKw; // DC only, and required there
    std::optional<double> maxPowerKw; // DC only, and required there
    bool onePhaseFallback = false; // AC 3-phase only
    bool followsProfiles = true;
    ProfilePurpose profilePurpose = ProfilePurpose::ChargePointMax; // TxDefault, Tx: it ignores ChargePointMaxProfile
    std::optional<ChargingRateUnit> rateUnit; // of LinkRay's profiles; unset: the kind's, unless the charger says
};

// A charge point's own settings towards the CSMS; unset ones follow the csms section.
struct ChargePointCsmsConfig {
    QString url; // empty = csms.url
    std::optional<CsmsCredentials> credentials; // unset = csms.credentials
    QString password; // a secret: the charge point's AuthorizationKey at the CSMS, for credentials "configured"
};

struct ChargePointConfig {
    QString id;
    QString name; // empty = none
    QString passwordHash; // empty = none; "pbkdf2-sha256$<iterations>$<salt>$<hash>"
    std::optional<bool> strict; // unset = OcppConfig::strict
    BalancingConfig balancing;
    ChargePointCsmsConfig csms;
};

// A circuit with its own breaker, nested under another group or directly under the grid connection.
struct SiteGroupConfig {
    QString id;
    QString parent; // empty = directly under the grid connection
    PhaseCurrents phaseLimitA {};
    std::optional<double> powerLimitKw;
};

// How allocations become charging profiles (the control loop).
struct ControlConfig {
    double hysteresisA = 1.0; // an AC limit changing by less is not sent (decreases always are)
    double hysteresisW = 500.0; // the same for DC limits
    int increaseDelaySeconds = 20;
    double rampStepA = 4.0; // the largest increase sent at once
    int failSafeAfterSeconds = 900; // a charger that loses LinkRay falls back to failSafeLimitA after this
    int profileId = 90210; // LinkRay's own ChargePointMaxProfile
    int stackLevel = 8;
};

struct SiteConfig {
    PhaseCurrents phaseLimitA {32.0, 32.0, 32.0}; // the grid connection's fuse
    std::optional<double> powerLimitKw; // contracted total power
    double safetyMarginA = 2.0; // kept free below every per-phase limit
    double failSafeLimitA = 16.0; // per phase for all chargers while the meter is stale or failed
    double voltage = 230.0; // phase to neutral, converts A <-> W
    int rotationIntervalMinutes = 15; // paused connectors take turns with charging ones
    QList<SiteGroupConfig> groups;
    ControlConfig control;
};

// Where an http-json meter's answer holds one value of the reading.
struct JsonValueConfig {
    QString pointer; // RFC 6901, e.g. "/emeters/0/current"
    double scale = 1.0; // the JSON number times scale is the value in V, A, W or Wh
};

// The site meter; only the keys of its type are set.
struct MeterConfig {
    MeterType type = MeterType::None; // none: static limit, only the chargers' own draw is counted
    QString model; // a built-in register map id or "custom"; empty for type none
    QJsonObject registerMap; // model "custom" only, in the shape meter::parseRegisterMap() reads
    QString host; // Modbus TCP
    int port = 502; // Modbus TCP
    int unitId = 1;
    QString serialPort; // Modbus RTU, e.g. /dev/ttyUSB0
    int baudRate = 9600; // Modbus RTU
    Parity parity = Parity::None; // Modbus RTU
    int dataBits = 8; // Modbus RTU
    int stopBits = 1; // Modbus RTU
    double pollIntervalSeconds = 1.0;
    int staleAfterPolls = 3;
    std::optional<int> baseAddress; // model "sunspec-meter" only: the address of the meter model's id register
    QString url; // http-json: http:// or https://, without user info
    QMap<QString, JsonValueConfig> values; // http-json: by value name, "voltageL1" … "exportedEnergy"
    std::optional<double> timeoutSeconds; // http-json: unset = 90 % of the poll interval
    QString username; // http-json: HTTP Basic auth; empty = none
    QString password; // http-json: a secret, never logged
};

// The TLS files for wss:// CSMS URLs (PEM).
struct CsmsTlsConfig {
    QString caFile; // empty = the system CA store
    QString clientCertificateFile; // security profile 3, with clientKeyFile
    QString clientKeyFile;
};

struct CsmsReconnectConfig {
    int initialSeconds = 1;
    int maxSeconds = 60;
};

// The operator's CSMS that online mode relays charge points to. Read in offline mode too, but not used there.
struct CsmsConfig {
    QString url; // ws:// or wss://, as written; empty = none
    CsmsCredentials credentials = CsmsCredentials::PassThrough;
    CsmsTlsConfig tls;
    int connectTimeoutSeconds = 10;
    int answerTimeoutSeconds = 10; // then LinkRay answers a relayed charger call itself
    int firstFrameWaitSeconds = 5; // a new charger's first frames wait this long for its upstream to open
    CsmsReconnectConfig reconnect;
    int replayAttempts = 3; // unanswered replays of one outbox message before it is held for the operator
    int outboxMaxMessages = 100000;
    int provisionalTransactionIdsFrom = 2000000000; // local transaction ids during an outage count up from here
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
    std::optional<int> maxDatabaseMegabytes; // unset = only the disk limits the database
};

// The built-in web app and HTTP API (docs/api.md).
struct WebConfig {
    bool enabled = true;
    QHostAddress listenAddress = QHostAddress::AnyIPv4; // the box's LAN; 127.0.0.1 keeps it to the box itself
    int port = 8443; // 0 = any free port
    bool https = true;
    QString certificateFile; // PEM; empty with https = a self-signed certificate generated in the data directory
    QString keyFile; // PEM, unencrypted; given together with certificateFile
};

struct LoggingConfig {
    QString rules; // QLoggingCategory filter rules
};

// The touch display view (docs/hmi.md); `linkray --view` shows it without enabled.
struct HmiConfig {
    bool enabled = false;
    QString language = QStringLiteral("en"); // one of hmiLanguages()
    QString pinHash; // the operator PIN, hashed (`linkray --set-hmi-pin`); empty = no start/stop at the screen
    QString idTag = QStringLiteral("LINKRAY-HMI"); // what a start from the screen authorises with
    bool fullScreen = true;
};

// The languages the touch view has texts for (translations/).
QStringList hmiLanguages();

struct Config {
    Mode mode = Mode::Offline;
    OcppConfig ocpp;
    QList<ChargePointConfig> chargePoints;
    AuthorizationConfig authorization;
    StorageConfig storage;
    LoggingConfig logging;
    WebConfig web;
    SiteConfig site;
    MeterConfig meter;
    CsmsConfig csms;
    HmiConfig hmi;
};

bool operator==(const OcppConfig& a, const OcppConfig& b);
bool operator==(const BalancingConfig& a, const BalancingConfig& b);
bool operator==(const ChargePointConfig& a, const ChargePointConfig& b);
bool operator==(const WhitelistEntry& a, const WhitelistEntry& b);
bool operator==(const AuthorizationConfig& a, const AuthorizationConfig& b);
bool operator==(const StorageConfig& a, const StorageConfig& b);
bool operator==(const LoggingConfig& a, const LoggingConfig& b);
bool operator==(const WebConfig& a, const WebConfig& b);
bool operator==(const SiteGroupConfig& a, const SiteGroupConfig& b);
bool operator==(const ControlConfig& a, const ControlConfig& b);
bool operator==(const SiteConfig& a, const SiteConfig& b);
bool operator==(const JsonValueConfig& a, const JsonValueConfig& b);
bool operator==(const MeterConfig& a, const MeterConfig& b);
bool operator==(const ChargePointCsmsConfig& a, const ChargePointCsmsConfig& b);
bool operator==(const CsmsTlsConfig& a, const CsmsTlsConfig& b);
bool operator==(const CsmsReconnectConfig& a, const CsmsReconnectConfig& b);
bool operator==(const CsmsConfig& a, const CsmsConfig& b);
bool operator==(const HmiConfig& a, const HmiConfig& b);
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
