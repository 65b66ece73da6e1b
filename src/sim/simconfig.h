#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <array>
#include <optional>

// What linkray-sim plays, from flags and/or a JSON file (docs/simulator.md); flags win over the file.
namespace linkray::sim {

enum class ChargerType { Ac1, Ac3, Dc };

QString chargerTypeName(ChargerType type);
std::optional<ChargerType> chargerTypeFromName(const QString& name);

// A batch of identical chargers; the JSON form may list several to mix types.
struct ChargerGroup {
    int count = 1;
    ChargerType type = ChargerType::Ac3;
    int connectors = 1;
    double maxCurrentA = 32; // per phase, AC
    double maxPowerKw = 50; // DC
    double voltageV = 230; // phase to neutral
    int sitePhase = 1; // the site phase the charger's L1 is wired to; its L2 and L3 follow in rotation
    int carPhases = 3; // ac3: the phases the car draws on (its L1 first)
    bool ignoreProfiles = false; // answers Accepted but the car keeps drawing its maximum
};

// The simulated site meter (Modbus TCP, SDM630 map): base load plus what the chargers draw.
struct SiteMeterSettings {
    quint16 port = 0; // 0 = no meter
    int unitId = 1;
    std::array<double, 3> baseLoadA = {20, 20, 20}; // per phase
    QString baseLoadFile; // re-read when it changes; empty = none
    double voltageV = 230;
};

// Everything one simulated charge point needs to know about itself.
struct ChargePointSettings {
    QString id;
    ChargerGroup hardware;
    QStringList tags;
    QString password; // Basic auth (security profile 1); empty = none
    double arrivalMeanMinutes = 30;
    double dwellMeanMinutes = 60;
    int meterIntervalSeconds = 60;
    double profileDelaySeconds = 5; // simulated time from a new profile limit to the car's new current
};

struct SimConfig {
    QUrl url = QUrl(QStringLiteral("ws://127.0.0.1:8180/ocpp"));
    QString idPrefix = QStringLiteral("SIM-");
    QList<ChargerGroup> groups = {ChargerGroup {}};
    QStringList tags;
    QString password;
    double arrivalMeanMinutes = 30;
    double dwellMeanMinutes = 60;
    int meterIntervalSeconds = 60;
    double timeScale = 1;
    quint32 seed = 1;
    double profileDelaySeconds = 5;
    int ignoreProfiles = 0; // the first n charge points ignore charging profiles
    SiteMeterSettings meter;

    // One entry per charge point, ids numbered from 1 (SIM-001, SIM-002, ...).
    QList<ChargePointSettings> chargePoints() const;
};

QStringList defaultTags();

// The URL a charge point connects to: the configured URL plus its id as the last, percent-encoded path segment.
QUrl chargePointUrl(const QUrl& base, const QString& chargePointId);

void addCommandLineOptions(QCommandLineParser& parser);

// The configuration from parsed flags (reading --config first); on failure `error` names the flag or key.
std::optional<SimConfig> configFromCommandLine(const QCommandLineParser& parser, QString& error);
std::optional<SimConfig> configFromJson(const QJsonObject& json, QString& error);

} // namespace linkray::sim
