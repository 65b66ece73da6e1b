#pragma once

#include "benchcsms.h"
#include "benchfleet.h"
#include "linkrayprocess.h"

#include <QJsonObject>
#include <QStringList>

// What the scenarios of bench_proxy share: their options, linkray's online configuration, and the fleet's start and
// end. Each scenario reports with printResult (bench/benchresult.h) besides its own table.
namespace linkray::bench {

struct ProxyOptions {
    QString linkray;
    QString dataParent;
    ChargerMessage liveMessage = ChargerMessage::Heartbeat;
    int latencyCalls = 0;
    int chargers = 0;
    double seconds = 0;
    qint64 backlog = 0;
    int singleEnqueue = 0;
    int scaleChargers = 0;
    double scaleSeconds = 0;
    double stormSeconds = 0;
    int soakChargers = 0;
    double soakSeconds = 0;
    int databaseMegabytes = 0;
    QStringList scenarios;
};

// Ends the run; main() reports it after the stack has unwound, which stops linkray.
[[noreturn]] void fail(const QString& why);
const char* verdict(bool met);

// What a process did with an interval of wall time since `before`: cores used, and the share of the interval its
// event loop was runnable but waiting for a CPU.
struct CpuShare {
    double cores = 0;
    double waiting = 0;
};
CpuShare cpuShareSince(qint64 pid, const CpuTime& before, double elapsedSeconds);

QJsonObject onlineConfig(quint16 csmsPort);
// Starts linkray in online mode against `csms`, which must listen; a failure ends the benchmark.
void startOnline(LinkRayProcess& linkray, const BenchCsms& csms);
// Makes `csms` listen on an ephemeral port; a failure ends the benchmark.
void listen(BenchCsms& csms);
// A port with nothing listening on it, for a CSMS that starts later.
quint16 unusedPort();

// Opens `count` chargers named <prefix>-0000 … on `baseUrl`, waits until the CSMS sees `expectedAtCsms` connections
// (through linkray that means every upstream is open; a negative expectation does not wait for the CSMS), and boots
// them.
Fleet connectFleet(const QString& prefix, int count, const QString& baseUrl, const BenchCsms& csms, int expectedAtCsms);
void closeFleet(Fleet& fleet, const BenchCsms& csms);

// The scenarios of scalescenarios.cpp and startupscenario.cpp.
void runScale(const ProxyOptions& options);
void runSoak(const ProxyOptions& options);
void runStartup(const ProxyOptions& options);

} // namespace linkray::bench
