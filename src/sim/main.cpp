#include "core/clock.h"
#include "sim/connection.h"
#include "sim/meterserver.h"
#include "sim/simconfig.h"
#include "sim/siteload.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <memory>
#include <vector>

using namespace linkray;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("linkray-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LINKRAY_VERSION));

    QCommandLineParser parser;
    sim::addCommandLineOptions(parser);
    parser.process(app);
    QString error;
    const std::optional<sim::SimConfig> config = sim::configFromCommandLine(parser, error);
    if (!config) {
        QTextStream(stderr) << "linkray-sim: " << error << Qt::endl;
        return 2;
    }

    SystemClock realClock;
    SystemClock simulatedClock(config->timeScale);
    QTextStream out(stdout);
    const sim::SiteMeterSettings& meterSettings = config->meter;
    sim::SiteLoad siteLoad(simulatedClock, meterSettings.baseLoadA, meterSettings.voltageV);
    std::unique_ptr<sim::MeterServer> meterServer;
    std::unique_ptr<sim::BaseLoadFile> baseLoadFile;
    if (meterSettings.port != 0) {
        meterServer = std::make_unique<sim::MeterServer>(simulatedClock, siteLoad);
        if (!meterServer->listen(QHostAddress::LocalHost, meterSettings.port, meterSettings.unitId, error)) {
            QTextStream(stderr) << "linkray-sim: meterPort " << meterSettings.port << ": " << error << Qt::endl;
            return 1;
        }
        if (!meterSettings.baseLoadFile.isEmpty())
            baseLoadFile = std::make_unique<sim::BaseLoadFile>(meterSettings.baseLoadFile, siteLoad);
        const sim::PhaseCurrents base = siteLoad.baseLoad();
        out << "linkray-sim: site meter (" << meterServer->registerMap().name << ") on Modbus TCP port "
            << meterSettings.port << ", unit " << meterSettings.unitId << ", base load " << base[0] << '/' << base[1]
            << '/' << base[2] << " A" << Qt::endl;
    }
    std::vector<std::unique_ptr<sim::Connection>> connections;
    quint32 seed = config->seed;
    for (const sim::ChargePointSettings& settings : config->chargePoints()) {
        auto connection = std::make_unique<sim::Connection>(realClock, simulatedClock, settings, config->url, seed++);
        sim::ChargePoint& chargePoint = connection->chargePoint();
        QObject::connect(&chargePoint, &sim::ChargePoint::notableEvent, &app,
            [&out, &simulatedClock, &chargePoint](const QString& line) {
                out << simulatedClock.nowUtc().toString(Qt::ISODate) << ' ' << chargePoint.id() << ": " << line
                    << Qt::endl;
            });
        chargePoint.setRandomArrivals(true);
        siteLoad.addCharger(chargePoint);
        connection->open();
        connections.push_back(std::move(connection));
    }
    out << "linkray-sim: " << connections.size() << " charge point(s) -> " << config->url.toString() << ", time x"
        << config->timeScale << Qt::endl;
    return QCoreApplication::exec();
}
