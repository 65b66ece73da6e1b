#include "proxyscenario.h"

#include <QJsonArray>
#include <QTcpServer>

#include <algorithm>
#include <stdexcept>

namespace linkray::bench {

void fail(const QString& why)
{
    throw std::runtime_error(why.toStdString());
}

const char* verdict(bool met)
{
    return met ? "met" : "MISSED";
}

CpuShare cpuShareSince(qint64 pid, const CpuTime& before, double elapsedSeconds)
{
    const CpuTime now = cpuTimeOf(pid);
    return {(now.used - before.used) / elapsedSeconds, (now.waited - before.waited) / elapsedSeconds};
}

void startOnline(LinkRayProcess& linkray, const BenchCsms& csms)
{
    if (!linkray.start(onlineConfig(csms.port())))
        fail(QStringLiteral("linkray did not start"));
}

void listen(BenchCsms& csms)
{
    if (!csms.listen(0))
        fail(QStringLiteral("the CSMS cannot listen"));
}

QJsonObject onlineConfig(quint16 csmsPort)
{
    return QJsonObject {
        {QStringLiteral("configVersion"), 1},
        {QStringLiteral("mode"), QStringLiteral("online")},
        {QStringLiteral("ocpp"),
            QJsonObject {{QStringLiteral("listenAddress"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 0},
                {QStringLiteral("heartbeatIntervalSeconds"), 60}, {QStringLiteral("callTimeoutSeconds"), 30}}},
        // Everything on 127.0.0.1: the web app would listen on all interfaces, and one port for every linkray.
        {QStringLiteral("web"), QJsonObject {{QStringLiteral("enabled"), false}}},
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

} // namespace linkray::bench
