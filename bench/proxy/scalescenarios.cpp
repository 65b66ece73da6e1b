// Scale and soak of online mode (issue "Evidence of speed and robustness"): many chargers proxied at once, both legs
// open, each sending a Heartbeat every 30 s as a quiet site does.
// - scale: linkray's resident memory per charger and its CPU, then a reconnect storm: every charger drops and comes
//   back at random within --storm-seconds; the time until all are booted and answered, and the connections refused.
//   Baselines: linkray with no charger (memory), and the same storm straight to the benchmark's CSMS.
// - soak: resident memory after a warm-up against the end of a long run; the baseline is the warm-up's figure.
#include "benchresult.h"
#include "proxyscenario.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace linkray::bench {

namespace {

constexpr int kHeartbeatMs = 30000;

// One Heartbeat per charger every 30 s, spread evenly over the interval, while it exists.
class SpreadHeartbeats {
public:
    explicit SpreadHeartbeats(Fleet& fleet)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout,
            [this, &fleet] { fleet[m_next++ % fleet.size()]->send(ChargerMessage::Heartbeat, 1); });
        m_timer.start(std::max<int>(1, kHeartbeatMs / static_cast<int>(fleet.size())));
    }

private:
    QTimer m_timer;
    std::size_t m_next = 0;
};

struct AtRest {
    qint64 idleKb = 0; // linkray before any charger
    qint64 warmKb = 0; // after the warm-up
    qint64 endKb = 0;
    qint64 highestKb = 0; // sampled every 10 s after the warm-up
    double connectSeconds = 0; // all chargers connected (both legs) and booted
    CpuShare cpu; // after the warm-up
    qint64 heartbeats = 0;
};

// Connects `chargers` through linkray into `fleet`, then lets them send their Heartbeats for the warm-up and for
// `seconds`, reading linkray's memory as it goes.
AtRest holdFleet(const QString& prefix, int chargers, double warmUpSeconds, double seconds,
    const LinkRayProcess& linkray, const BenchCsms& csms, Fleet& fleet)
{
    AtRest result;
    runFor(1000); // linkray settles after its start
    result.idleKb = rssKb(linkray.pid());
    const qint64 connectStartNs = benchClock().nsecsElapsed();
    fleet = connectFleet(prefix, chargers, linkray.chargerUrl(), csms, chargers);
    result.connectSeconds = secondsSince(connectStartNs);
    SpreadHeartbeats heartbeats(fleet);
    runFor(static_cast<int>(warmUpSeconds * 1000));
    result.warmKb = rssKb(linkray.pid());
    result.highestKb = result.warmKb;
    const qint64 answeredBefore = totalAnswered(fleet);
    const CpuTime cpuBefore = cpuTimeOf(linkray.pid());
    const qint64 startNs = benchClock().nsecsElapsed();
    for (double left = seconds; left > 0; left -= 10) {
        runFor(static_cast<int>(std::min(left, 10.0) * 1000));
        result.highestKb = std::max(result.highestKb, rssKb(linkray.pid()));
    }
    result.endKb = rssKb(linkray.pid());
    result.cpu = cpuShareSince(linkray.pid(), cpuBefore, secondsSince(startNs));
    result.heartbeats = totalAnswered(fleet) - answeredBefore;
    return result;
}

struct Storm {
    double seconds = 0; // from the drop to the last BootNotification answered
    qint64 refused = 0;
    qint64 errors = 0;
};

// Every charger of `fleet` drops at once and reconnects to `baseUrl` at a random moment within `spreadSeconds`,
// booting as soon as it is open.
Storm reconnectStorm(Fleet& fleet, const QString& baseUrl, double spreadSeconds)
{
    const qint64 refusedBefore = totalRefused(fleet);
    const qint64 answeredBefore = totalAnswered(fleet);
    const qint64 errorsBefore = totalErrors(fleet);
    if (!runUntil([&] { return allIdle(fleet); }, kStallMs))
        fail(QStringLiteral("the chargers' last calls before the storm were not answered"));
    QRandomGenerator random(11);
    const qint64 startNs = benchClock().nsecsElapsed();
    for (auto& charger : fleet) {
        BenchCharger* one = charger.get();
        one->close();
        QObject::connect(
            one, &BenchCharger::opened, one, [one] { one->send(ChargerMessage::BootNotification, 1); },
            Qt::SingleShotConnection);
        QTimer::singleShot(
            static_cast<int>(random.bounded(spreadSeconds * 1000)), one, [one, baseUrl] { one->connectTo(baseUrl); });
    }
    const auto settled = [&] {
        return totalAnswered(fleet) - answeredBefore + totalRefused(fleet) - refusedBefore
            >= static_cast<qint64>(fleet.size());
    };
    // The spread is part of the storm: progress is only required once every charger has had its turn.
    runFor(static_cast<int>(spreadSeconds * 1000));
    runUntil(settled, kStallMs, [&] { return totalAnswered(fleet); });
    Storm storm;
    storm.seconds = secondsSince(startNs);
    storm.refused = totalRefused(fleet) - refusedBefore;
    storm.errors = totalErrors(fleet) - errorsBefore;
    if (!settled())
        fail(QStringLiteral("the reconnect storm stalled: %1 of %2 chargers booted")
                 .arg(totalAnswered(fleet) - answeredBefore)
                 .arg(fleet.size()));
    return storm;
}

} // namespace

void runScale(const ProxyOptions& options)
{
    const int chargers = options.scaleChargers;
    BenchCsms csms(benchClock());
    listen(csms);

    Fleet direct = connectFleet(QStringLiteral("DIRECT"), chargers, csms.url(), csms, chargers);
    const Storm directStorm = reconnectStorm(direct, csms.url(), options.stormSeconds);
    closeFleet(direct, csms);

    LinkRayProcess linkray(options.linkray, options.dataParent);
    startOnline(linkray, csms);
    Fleet fleet;
    const AtRest rest = holdFleet(
        QStringLiteral("SCALE"), chargers, kHeartbeatMs / 1000.0, options.scaleSeconds, linkray, csms, fleet);
    const double perChargerKb = static_cast<double>(rest.endKb - rest.idleKb) / chargers;
    const Storm storm = reconnectStorm(fleet, linkray.chargerUrl(), options.stormSeconds);
    runFor(1000);
    const qint64 afterStormKb = rssKb(linkray.pid());

    std::printf("\n4. Scale: %d chargers through linkray (both legs open), a Heartbeat every 30 s each\n", chargers);
    std::printf("all connected and booted in %.2f s; linkray RSS idle %.1f MB, with the chargers %.1f MB = %.1f KB per "
                "charger; %.3f cores over %.0f s (%.0f%% waiting for a CPU), %lld Heartbeats answered\n",
        rest.connectSeconds, rest.idleKb / 1024.0, rest.endKb / 1024.0, perChargerKb, rest.cpu.cores,
        options.scaleSeconds, 100 * rest.cpu.waiting, static_cast<long long>(rest.heartbeats));
    std::printf("reconnect storm within %.0f s: all booted after %.2f s through linkray (%lld refused, %lld errors), "
                "%.2f s direct (%lld refused); linkray RSS after it %.1f MB\n",
        options.stormSeconds, storm.seconds, static_cast<long long>(storm.refused),
        static_cast<long long>(storm.errors), directStorm.seconds, static_cast<long long>(directStorm.refused),
        afterStormKb / 1024.0);

    printResult(format("scale: linkray RSS per proxied charger, %d chargers", chargers),
        format("%.1f KB (%.1f MB in all)", perChargerKb, rest.endKb / 1024.0), "<= 50 KB",
        format("idle %.1f MB", rest.idleKb / 1024.0), perChargerKb <= 50);
    printResult(format("scale: linkray CPU, %d chargers, Heartbeat every 30 s", chargers),
        format("%.1f %% of a core", 100 * rest.cpu.cores), "", "", std::nullopt);
    printResult(
        format("scale: reconnect storm, %d chargers back within %.0f s, all booted", chargers, options.stormSeconds),
        format("%.1f s, %lld refused", storm.seconds, static_cast<long long>(storm.refused)), "< 30 s, none refused",
        format("direct %.1f s, %lld refused", directStorm.seconds, static_cast<long long>(directStorm.refused)),
        storm.seconds < 30 && storm.refused == 0 && storm.errors == 0);
    closeFleet(fleet, csms);
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
}

void runSoak(const ProxyOptions& options)
{
    constexpr double kWarmUpSeconds = 60;
    BenchCsms csms(benchClock());
    listen(csms);
    LinkRayProcess linkray(options.linkray, options.dataParent);
    startOnline(linkray, csms);
    Fleet fleet;
    const AtRest rest = holdFleet(
        QStringLiteral("SOAK"), options.soakChargers, kWarmUpSeconds, options.soakSeconds, linkray, csms, fleet);
    const double growth = static_cast<double>(rest.endKb - rest.warmKb) / static_cast<double>(rest.warmKb);

    std::printf(
        "\n5. Soak: %d chargers through linkray for %.0f s after %.0f s of warm-up, a Heartbeat every 30 s each\n",
        options.soakChargers, options.soakSeconds, kWarmUpSeconds);
    std::printf("linkray RSS idle %.1f MB, after the warm-up %.1f MB, at the end %.1f MB (highest %.1f MB): %+.2f %%; "
                "%.3f cores (%.0f%% waiting for a CPU), %lld Heartbeats answered\n",
        rest.idleKb / 1024.0, rest.warmKb / 1024.0, rest.endKb / 1024.0, rest.highestKb / 1024.0, 100 * growth,
        rest.cpu.cores, 100 * rest.cpu.waiting, static_cast<long long>(rest.heartbeats));

    printResult(format("soak: linkray RSS growth, %d chargers, %g min", options.soakChargers, options.soakSeconds / 60),
        format("%+.2f %% (%.1f MB at the end, highest %.1f MB)", 100 * growth, rest.endKb / 1024.0,
            rest.highestKb / 1024.0),
        "<= 1 %", format("after warm-up %.1f MB", rest.warmKb / 1024.0), growth <= 0.01);
    printResult(format("soak: linkray CPU, %d chargers, Heartbeat every 30 s", options.soakChargers),
        format("%.1f %% of a core", 100 * rest.cpu.cores), "", "", std::nullopt);
    closeFleet(fleet, csms);
    if (!linkray.stop())
        fail(QStringLiteral("linkray did not exit cleanly"));
}

} // namespace linkray::bench
