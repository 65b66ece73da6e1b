#include "core/clock.h"
#include "sim/connection.h"
#include "sim/simconfig.h"

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
        connection->open();
        connections.push_back(std::move(connection));
    }
    out << "linkray-sim: " << connections.size() << " charge point(s) -> " << config->url.toString() << ", time x"
        << config->timeScale << Qt::endl;
    return QCoreApplication::exec();
}
