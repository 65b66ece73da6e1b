// Online mode (issue "Evidence of speed and robustness"), everything on 127.0.0.1 with the real linkray binary:
// 1. added latency of sequential round trips charger -> CSMS -> charger, through linkray vs direct;
// 2. throughput with many chargers, each keeping one call outstanding, through linkray vs direct;
// 3. an outage: the rate at which linkray durably enqueues and answers MeterValues, then the rate at which it
//    replays the backlog once the CSMS is back.
// Baselines come from the same run: the direct connection for 1 and 2, and for 3 the durable writes per second of
// the disk holding linkray's data directory.
#include "benchcharger.h"
#include "benchcsms.h"
#include "benchfleet.h"
#include "linkrayprocess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTcpServer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <unistd.h>
#include <vector>

using namespace linkray::bench;

namespace {

constexpr int kWarmUpCalls = 200;
constexpr double kWarmUpSeconds = 1.0;

struct Options {
    QString linkray;
    QString dataParent;
    ChargerMessage liveMessage = ChargerMessage::Heartbeat;
    int latencyCalls = 0;
    int chargers = 0;
    double seconds = 0;
    qint64 backlog = 0;
    QStringList scenarios;
};

// What a process did with an interval of wall time since `before`: cores used, and the share of the interval its
// event loop was runnable but waiting for a CPU.
struct CpuShare {
    double cores = 0;
    double waiting = 0;
};

CpuShare cpuShareSince(qint64 pid, const CpuTime& before, double elapsedSeconds)
{
    const CpuTime now = cpuTimeOf(pid);
    return {(now.used - before.used) / elapsedSeconds, (now.waited - before.waited) / elapsedSeconds};
}

// Ends the run; main() reports it after the stack has unwound, which stops linkray.
[[noreturn]] void fail(const QString& why)
{
    throw std::runtime_error(why.toStdString());
}

const char* verdict(bool met)
{
    return met ? "met" : "MISSED";
}

QJsonObject onlineConfig(quint16 csmsPort)
{
    return QJsonObject {
        {QStringLiteral("configVersion"), 1},
        {QStringLiteral("mode"), QStringLiteral("online")},
        {QStringLiteral("ocpp"),
            QJsonObject {{QStringLiteral("listenAddress"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 0},
                {QStringLiteral("heartbeatIntervalSeconds"), 60}, {QStringLiteral("callTimeoutSeconds"), 30}}},
        {QStringLiteral("chargePoints"), QJsonArray {}},
        {QStringLiteral("authorization"),
            QJsonObject {{QStringLiteral("unknownTags"), QStringLiteral("accept")},
                {QStringLiteral("whitelist"), QJsonArray {}}}},
        {QStringLiteral("csms"),
            QJsonObject {{QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:%1/csms").arg(csmsPort)},
                {QStringLiteral("credentials"), QStringLiteral("none")}, {QStringLiteral("firstFrameWaitSeconds"), 5},
                {QStringLiteral("answerTimeoutSeconds"), 10},
                {QStringLiteral("reconnect"),
                    QJsonObject {{QStringLiteral("initialSeconds"), 1}, {QStringLiteral("maxSeconds"), 1}}}}},
    };
}

// A port with nothing listening on it, for a CSMS that starts later.
quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

void closeFleet(Fleet& fleet, const BenchCsms& csms)
{
    for (auto& charger : fleet)
        charger->close();
    fleet.clear();
    runUntil([&] { return csms.connectedChargers() == 0; }, kStallMs);
}

qint64 totalErrors(const Fleet& fleet)
{
    qint64 total = 0;
    for (const auto& charger : fleet)
        total += charger->errors();
    return total;
}

// Opens `count` chargers on `baseUrl`, waits until the CSMS sees `expectedAtCsms` connections (through linkray that
// means every upstream is open; a negative expectation does not wait for the CSMS), and boots them.
Fleet connectFleet(const QString& prefix, int count, const QString& baseUrl, const BenchCsms& csms, int expectedAtCsms)
{
    Fleet fleet;
    for (int i = 0; i < count; ++i) {
        fleet.push_back(std::make_unique<BenchCharger>(
            QStringLiteral("%1-%2").arg(prefix).arg(i, 4, 10, QLatin1Char('0')), benchClock()));
        fleet.back()->connectTo(baseUrl);
    }
    const auto opened = [&fleet] {
        return std::count_if(fleet.begin(), fleet.end(), [](const auto& charger) { return charger->isOpen(); });
    };
    const bool ready = runUntil(
        [&] { return opened() == count && (expectedAtCsms < 0 || csms.connectedChargers() >= expectedAtCsms); },
        kStallMs, [&] { return opened() + csms.connectedChargers(); });
    if (!ready) {
        fail(QStringLiteral("only %1 of %2 chargers connected (%3 at the CSMS)")
                 .arg(opened())
                 .arg(count)
                 .arg(csms.connectedChargers()));
    }
    if (!sendAndWait(fleet, ChargerMessage::BootNotification, 1))
        fail(QStringLiteral("the chargers' BootNotifications were not all answered"));
    return fleet;
}

struct Latency {
    double p50Ms = 0;
    double p99Ms = 0;
};

Latency measureLatency(const QString& baseUrl, const BenchCsms& csms, const Options& options)
{
    Fleet one = connectFleet(QStringLiteral("LAT"), 1, baseUrl, csms, 1);
    if (!sendAndWait(one, options.liveMessage, kWarmUpCalls))
        fail(QStringLiteral("the warm-up round trips stalled"));
    one.front()->clearRoundTrips();
    if (!sendAndWait(one, options.liveMessage, options.latencyCalls))
        fail(QStringLiteral("the latency round trips stalled"));
    const std::vector<qint64>& samples = one.front()->roundTripsNs();
    const Latency latency {percentileMs(samples, 0.5), percentileMs(samples, 0.99)};
    closeFleet(one, csms);
    return latency;
}

struct Throughput {
    double callsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    CpuShare linkray;
    CpuShare bench;
    qint64 errors = 0;
};

// `linkrayPid` 0: direct.
Throughput measureThroughput(const QString& baseUrl, const BenchCsms& csms, qint64 linkrayPid, const Options& options)
{
    Fleet fleet = connectFleet(QStringLiteral("TP"), options.chargers, baseUrl, csms, options.chargers);
    for (auto& charger : fleet)
        charger->send(options.liveMessage, -1);
    runFor(static_cast<int>(kWarmUpSeconds * 1000));
    for (auto& charger : fleet)
        charger->clearRoundTrips();
    const qint64 selfPid = QCoreApplication::applicationPid();
    const qint64 startNs = benchClock().nsecsElapsed();
    const qint64 answeredBefore = totalAnswered(fleet);
    const CpuTime linkrayBefore = linkrayPid ? cpuTimeOf(linkrayPid) : CpuTime {};
    const CpuTime benchBefore = cpuTimeOf(selfPid);
    runFor(static_cast<int>(options.seconds * 1000));
    const double elapsed = secondsSince(startNs);

    Throughput result;
    result.callsPerSecond = static_cast<double>(totalAnswered(fleet) - answeredBefore) / elapsed;
    if (linkrayPid)
        result.linkray = cpuShareSince(linkrayPid, linkrayBefore, elapsed);
    result.bench = cpuShareSince(selfPid, benchBefore, elapsed);
    std::vector<qint64> samples;
    for (const auto& charger : fleet)
        samples.insert(samples.end(), charger->roundTripsNs().begin(), charger->roundTripsNs().end());
    result.p50Ms = percentileMs(samples, 0.5);
    result.p99Ms = percentileMs(samples, 0.99);
    for (auto& charger : fleet)
        charger->stop();
    runUntil([&] { return allIdle(fleet); }, kStallMs);
    result.errors = totalErrors(fleet);
    closeFleet(fleet, csms);
    return result;
}

void runLatencyAndThroughput(const Options& options)
{
    BenchCsms csms(benchClock());
    if (!csms.listen(0))
        fail(QStringLiteral("the CSMS cannot listen"));
    LinkRayProcess linkray(options.linkray, options.dataParent);
    if (!linkray.start(onlineConfig(csms.port())))
        fail(QStringLiteral("linkray did not start"));
    const char* message = options.liveMessage == ChargerMessage::Heartbeat ? "Heartbeat" : "MeterValues";

    if (options.scenarios.contains(QLatin1String("latency"))) {
        const Latency direct = measureLatency(csms.url(), csms, options);
        const Latency relayed = measureLatency(linkray.chargerUrl(), csms, options);
        const double addedP50 = relayed.p50Ms - direct.p50Ms;
        const double addedP99 = relayed.p99Ms - direct.p99Ms;
        std::printf("\n1. Added latency: %d sequential %s round trips, one charger\n", options.latencyCalls, message);
        std::printf("%-16s %10s %10s\n", "", "p50 ms", "p99 ms");
        std::printf("%-16s %10.3f %10.3f\n", "direct", direct.p50Ms, direct.p99Ms);
        std::printf("%-16s %10.3f %10.3f\n", "through linkray", relayed.p50Ms, relayed.p99Ms);
        std::printf("%-16s %10.3f %10.3f   target <= 1 / <= 5 ms: %s / %s\n", "added", addedP50, addedP99,
            verdict(addedP50 <= 1.0), verdict(addedP99 <= 5.0));
    }
    if (options.scenarios.contains(QLatin1String("throughput"))) {
        const Throughput direct = measureThroughput(csms.url(), csms, 0, options);
        const Throughput relayed = measureThroughput(linkray.chargerUrl(), csms, linkray.pid(), options);
        // Each round trip through linkray is two relayed frames: the charger's CALL and the CSMS's CALLRESULT.
        const double framesPerSecond = 2 * relayed.callsPerSecond;
        std::printf("\n2. Throughput: %d chargers, one %s outstanding each, %.0f s (after %.0f s of warm-up)\n",
            options.chargers, message, options.seconds, kWarmUpSeconds);
        // linkray's CPU time per relayed frame does not depend on how much of a core other processes leave it; the
        // CPU wait columns show how much that was (the share of the time the event loop was ready but not running).
        const char* row = "%-16s %9s %9s %7s %7s %7s %9s %8s %9s %12s %6s\n";
        std::printf(row, "", "calls/s", "frames/s", "p50 ms", "p99 ms", "bench", "bench", "linkray", "linkray",
            "linkray CPU", "errors");
        std::printf(row, "", "", "", "", "", "cores", "CPU wait", "cores", "CPU wait", "us/frame", "");
        std::printf("%-16s %9.0f %9.0f %7.2f %7.2f %7.2f %8.0f%% %8s %9s %12s %6lld\n", "direct", direct.callsPerSecond,
            2 * direct.callsPerSecond, direct.p50Ms, direct.p99Ms, direct.bench.cores, 100 * direct.bench.waiting, "-",
            "-", "-", static_cast<long long>(direct.errors));
        std::printf("%-16s %9.0f %9.0f %7.2f %7.2f %7.2f %8.0f%% %8.2f %8.0f%% %12.1f %6lld\n", "through linkray",
            relayed.callsPerSecond, framesPerSecond, relayed.p50Ms, relayed.p99Ms, relayed.bench.cores,
            100 * relayed.bench.waiting, relayed.linkray.cores, 100 * relayed.linkray.waiting,
            relayed.linkray.cores * 1e6 / framesPerSecond, static_cast<long long>(relayed.errors));
        std::printf(
            "relayed / direct: %.2f; frames/s counts CALL + CALLRESULT; target >= 10,000 relayed frames/s: %s\n",
            relayed.callsPerSecond / direct.callsPerSecond, verdict(framesPerSecond >= 10000));
        std::printf("linkray peak RSS (VmHWM): %.1f MB\n", static_cast<double>(peakRssKb(linkray.pid())) / 1024);
    }
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
}

// Small appends, each made durable with fdatasync as SQLite does for a commit with synchronous=FULL, for half a
// second: the ceiling of anything that commits once per message on this disk.
double durableWritesPerSecond(const QString& directory)
{
    QFile file(QDir(directory).filePath(QStringLiteral("linkray-bench-fsync.tmp")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return -1;
    const QByteArray page(4096, 'x');
    const qint64 startNs = benchClock().nsecsElapsed();
    int writes = 0;
    while (secondsSince(startNs) < 0.5) {
        file.write(page);
        file.flush();
        ::fdatasync(file.handle());
        ++writes;
    }
    const double elapsed = secondsSince(startNs);
    file.remove();
    return writes / elapsed;
}

void runBacklog(const Options& options)
{
    const qint64 perCharger = std::max<qint64>(1, options.backlog / options.chargers);
    const double diskBefore = durableWritesPerSecond(options.dataParent);
    BenchCsms csms(benchClock());
    const quint16 csmsPort = unusedPort();
    LinkRayProcess linkray(options.linkray, options.dataParent);
    if (!linkray.start(onlineConfig(csmsPort)))
        fail(QStringLiteral("linkray did not start"));
    // Their boots are answered by linkray once it has given up on the CSMS: every charger is in outage before the
    // clock starts, and each has a BootNotification in the outbox, replayed first.
    Fleet fleet = connectFleet(QStringLiteral("BL"), options.chargers, linkray.chargerUrl(), csms, -1);

    const qint64 enqueueStartNs = benchClock().nsecsElapsed();
    const CpuTime enqueueCpuBefore = cpuTimeOf(linkray.pid());
    if (!sendAndWait(fleet, ChargerMessage::StandaloneMeterValues, perCharger))
        fail(QStringLiteral("the MeterValues of the outage stalled"));
    const double enqueueSeconds = secondsSince(enqueueStartNs);
    const CpuShare enqueueCpu = cpuShareSince(linkray.pid(), enqueueCpuBefore, enqueueSeconds);
    const double diskAfter = durableWritesPerSecond(options.dataParent);
    const qint64 queued = linkray.outboxLength();
    const qint64 answered = totalAnswered(fleet) - options.chargers;

    csms.setTrackDistinct(true);
    if (!csms.listen(csmsPort))
        fail(QStringLiteral("the CSMS cannot listen on port %1").arg(csmsPort));
    const qint64 csmsUpNs = benchClock().nsecsElapsed();
    const CpuTime replayCpuBefore = cpuTimeOf(linkray.pid());
    if (!runUntil(
            [&] { return csms.distinctCallsReceived() >= queued; }, kStallMs, [&] { return csms.callsReceived(); })
        || !runUntil([&] { return linkray.outboxLength() == 0; }, kStallMs)) {
        fail(QStringLiteral("the replay stalled: the CSMS received %1 of %2, the outbox holds %3")
                 .arg(csms.distinctCallsReceived())
                 .arg(queued)
                 .arg(linkray.outboxLength()));
    }
    const qint64 emptyNs = benchClock().nsecsElapsed();
    const double replaySeconds = static_cast<double>(emptyNs - csms.firstCallAtNs()) / 1e9;
    const double replayWindowSeconds = static_cast<double>(emptyNs - csmsUpNs) / 1e9;
    const CpuShare replayCpu = cpuShareSince(linkray.pid(), replayCpuBefore, replayWindowSeconds);
    const double replayRate = static_cast<double>(queued) / replaySeconds;
    const double enqueueRate = static_cast<double>(answered) / enqueueSeconds;

    std::printf("\n3. Backlog: %d chargers x %lld MeterValues during an outage, then replayed\n", options.chargers,
        static_cast<long long>(perCharger));
    std::printf("durable writes of this disk (baseline, 4 KiB + fdatasync) in %s: %.0f per second before the "
                "enqueue, %.0f after\n",
        qPrintable(options.dataParent), diskBefore, diskAfter);
    std::printf("enqueue: %lld answered in %.2f s = %.0f msg/s = %.2f per durable write; outbox holds %lld (with the "
                "boots)\n         linkray %.2f cores (%.0f%% waiting for a CPU), %.0f us of CPU per message\n",
        static_cast<long long>(answered), enqueueSeconds, enqueueRate, enqueueRate * 2 / (diskBefore + diskAfter),
        static_cast<long long>(queued), enqueueCpu.cores, 100 * enqueueCpu.waiting,
        enqueueCpu.cores * enqueueSeconds * 1e6 / static_cast<double>(answered));
    std::printf("replay:  %lld in %.2f s = %.0f msg/s = %.1f per charger (%lld re-sent), the first %.2f s after the "
                "CSMS started\n         linkray %.2f cores (%.0f%% waiting for a CPU), %.0f us of CPU per message\n",
        static_cast<long long>(queued), replaySeconds, replayRate, replayRate / options.chargers,
        static_cast<long long>(csms.callsReceived() - csms.distinctCallsReceived()),
        static_cast<double>(csms.firstCallAtNs() - csmsUpNs) / 1e9, replayCpu.cores, 100 * replayCpu.waiting,
        replayCpu.cores * replayWindowSeconds * 1e6 / static_cast<double>(queued));
    std::printf("target: replay >= 5,000 msg/s (10 x 500 chargers at 1 msg/s): %s; enqueue >= 500 msg/s to keep up "
                "with those chargers live: %s\n",
        verdict(replayRate >= 5000), verdict(enqueueRate >= 500));
    closeFleet(fleet, csms);
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
}

Options parseOptions(const QCoreApplication& application)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Online mode benchmark: linkray as an OCPP proxy on 127.0.0.1"));
    parser.addHelpOption();
    const QCommandLineOption linkray(QStringLiteral("linkray"), QStringLiteral("The linkray binary."),
        QStringLiteral("path"), QStringLiteral(LINKRAY_BIN));
    const QCommandLineOption dataParent(QStringLiteral("data-parent"),
        QStringLiteral("Where linkray's data directories are made (its disk sets the enqueue rate)."),
        QStringLiteral("dir"), QDir::tempPath());
    const QCommandLineOption scenarios(QStringLiteral("scenarios"),
        QStringLiteral("Comma-separated: latency, throughput, backlog."), QStringLiteral("list"),
        QStringLiteral("latency,throughput,backlog"));
    const QCommandLineOption message(QStringLiteral("message"),
        QStringLiteral("Live call of latency and throughput: heartbeat, or metervalues (with a transactionId)."),
        QStringLiteral("name"), QStringLiteral("heartbeat"));
    const QCommandLineOption latencyCalls(QStringLiteral("latency-calls"), QStringLiteral("Sequential round trips."),
        QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption chargers(QStringLiteral("chargers"),
        QStringLiteral("Chargers for throughput and backlog."), QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Throughput measuring time."),
        QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption backlog(QStringLiteral("backlog"),
        QStringLiteral("MeterValues queued during the outage, spread over the chargers (the issue's figure: 100000)."),
        QStringLiteral("n"), QStringLiteral("5000"));
    parser.addOptions({linkray, dataParent, scenarios, message, latencyCalls, chargers, seconds, backlog});
    parser.process(application);

    Options options;
    options.linkray = parser.value(linkray);
    options.dataParent = parser.value(dataParent);
    options.scenarios = parser.value(scenarios).split(QLatin1Char(','));
    if (parser.value(message) == QLatin1String("metervalues"))
        options.liveMessage = ChargerMessage::MeterValues;
    else if (parser.value(message) != QLatin1String("heartbeat"))
        parser.showHelp(2);
    options.latencyCalls = parser.value(latencyCalls).toInt();
    options.chargers = parser.value(chargers).toInt();
    options.seconds = parser.value(seconds).toDouble();
    options.backlog = parser.value(backlog).toLongLong();
    if (options.latencyCalls <= 0 || options.chargers <= 0 || options.seconds <= 0 || options.backlog <= 0)
        parser.showHelp(2);
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication application(argc, argv);
    const Options options = parseOptions(application);
    std::printf("linkray: %s, data in %s\n", qPrintable(options.linkray), qPrintable(options.dataParent));
    try {
        if (options.scenarios.contains(QLatin1String("latency"))
            || options.scenarios.contains(QLatin1String("throughput")))
            runLatencyAndThroughput(options);
        if (options.scenarios.contains(QLatin1String("backlog")))
            runBacklog(options);
    } catch (const std::runtime_error& error) {
        std::fprintf(stderr, "bench_proxy: %s\n", error.what());
        return 1;
    }
    return 0;
}
