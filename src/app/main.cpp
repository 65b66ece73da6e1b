// linkray: the site controller. See README.md and docs/configuration.md.
#include "app/config.h"
#include "app/controlchannel.h"
#include "app/logging.h"
#include "app/shutdownsignals.h"
#include "app/site.h"
#include "core/clock.h"
#include "core/passwordhash.h"
#include "storage/database.h"
#include "web/authapi.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTextStream>

#include <cstdio>

using namespace linkray;

namespace {

int hashPasswordFromStdin()
{
    QTextStream in(stdin);
    const QString password = in.readLine();
    if (password.isEmpty()) {
        std::fprintf(stderr, "linkray --hash-password: type the password on standard input\n");
        return 2;
    }
    std::printf("%s\n", qPrintable(hashPassword(password)));
    return 0;
}

int createAdmin(const QString& dataDir, const QString& name)
{
    const QString password = QTextStream(stdin).readLine();
    storage::Database database;
    if (!QDir().mkpath(dataDir)) {
        std::fprintf(stderr, "linkray: cannot create the data directory %s\n", qPrintable(dataDir));
        return 1;
    }
    if (const auto error = storage::Database::open(database, storage::Database::filePathIn(dataDir))) {
        std::fprintf(stderr, "linkray --create-admin: %s\n", qPrintable(*error));
        return 1;
    }
    SystemClock clock;
    if (const auto error = web::createAdminAccount(database, clock, name, password)) {
        std::fprintf(stderr, "linkray --create-admin: %s\n", qPrintable(*error));
        return 2;
    }
    std::printf("linkray: admin %s created\n", qPrintable(name));
    return 0;
}

std::optional<app::Config> loadConfiguration(const QString& path)
{
    const app::ConfigResult result
        = path.isEmpty() ? app::parseConfig(app::benchConfigJson()) : app::loadConfigFile(path);
    if (const auto* errors = std::get_if<QList<app::ConfigError>>(&result)) {
        std::fprintf(stderr, "linkray: invalid configuration %s:\n",
            qPrintable(path.isEmpty() ? QStringLiteral("(bench defaults)") : path));
        for (const app::ConfigError& error : *errors)
            std::fprintf(stderr, "  %s\n", qPrintable(error.message()));
        return std::nullopt;
    }
    return std::get<app::Config>(result);
}

} // namespace

int main(int argc, char* argv[])
{
    QElapsedTimer startup;
    startup.start();
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("linkray"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LINKRAY_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("LinkRay EV-charging site controller (OCPP 1.6J)"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
        QStringLiteral("Configuration file (JSON). Without it: embedded bench defaults."), QStringLiteral("file"));
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database and the control socket."), QStringLiteral("dir"),
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation));
    const QCommandLineOption hashOption(QStringLiteral("hash-password"),
        QStringLiteral("Read a password on standard input and print its hash for the configuration."));
    const QCommandLineOption checkOption(
        QStringLiteral("check-config"), QStringLiteral("Validate the configuration and exit."));
    const QCommandLineOption callOption(QStringLiteral("call"),
        QStringLiteral("Send an OCPP call to a connected charger through the running linkray "
                       "(arguments: <chargePointId> <action> <payload JSON>)."),
        QStringLiteral("chargePointId"));
    const QCommandLineOption createAdminOption(QStringLiteral("create-admin"),
        QStringLiteral("Create a web app admin account in the data directory; the password is read on standard "
                       "input."),
        QStringLiteral("name"));
    parser.addOptions({configOption, dataDirOption, hashOption, checkOption, callOption, createAdminOption});
    parser.process(application);

    if (parser.isSet(hashOption))
        return hashPasswordFromStdin();
    const QString dataDir = parser.value(dataDirOption);
    if (parser.isSet(callOption)) {
        const QStringList rest = parser.positionalArguments();
        if (rest.size() != 2) {
            std::fprintf(stderr, "linkray --call <chargePointId> <action> <payload JSON>\n");
            return 2;
        }
        return app::runControlCall(dataDir, parser.value(callOption), rest[0], rest[1], 15000);
    }

    if (parser.isSet(createAdminOption))
        return createAdmin(dataDir, parser.value(createAdminOption));

    const std::optional<app::Config> config = loadConfiguration(parser.value(configOption));
    if (!config)
        return 1;
    if (parser.isSet(checkOption)) {
        std::printf("linkray: configuration is valid\n");
        return 0;
    }
    if (!config->logging.rules.isEmpty())
        QLoggingCategory::setFilterRules(config->logging.rules);
    if (!QDir().mkpath(dataDir)) {
        std::fprintf(stderr, "linkray: cannot create the data directory %s\n", qPrintable(dataDir));
        return 1;
    }

    SystemClock clock;
    app::Site site(clock, *config, dataDir, parser.value(configOption));
    if (const std::optional<QString> error = site.start()) {
        std::fprintf(stderr, "linkray: %s\n", qPrintable(*error));
        return 1;
    }
    app::ShutdownSignals shutdownSignals;
    QObject::connect(&shutdownSignals, &app::ShutdownSignals::shutdownRequested, &application, [&](int signalNumber) {
        qCInfo(lcApp) << "signal" << signalNumber << "received: shutting down";
        site.shutdown();
        QCoreApplication::quit();
    });
    std::printf("linkray %s: OCPP listening on %s (data in %s, started in %lld ms)\n", LINKRAY_VERSION,
        qPrintable(site.ocppUrl()), qPrintable(QDir(dataDir).absolutePath()), startup.elapsed());
    if (const QString webUrl = site.webUrl(); !webUrl.isEmpty())
        std::printf("linkray %s: web app at %s\n", LINKRAY_VERSION, qPrintable(webUrl));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
