// linkray: the site controller. See README.md and docs/configuration.md.
#include "app/config.h"
#include "app/controlchannel.h"
#include "app/logging.h"
#include "app/shutdownsignals.h"
#include "app/site.h"
#include "app/sitehmi.h"
#include "core/clock.h"
#include "core/epolleventdispatcher.h"
#include "core/passwordhash.h"
#include "storage/database.h"
#include "web/authapi.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <memory>

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

// A PIN of 4 to 12 digits, read on standard input and stored only as its hash in the configuration file.
int setHmiPin(const QString& configPath)
{
    if (configPath.isEmpty()) {
        std::fprintf(stderr, "linkray --set-hmi-pin needs --config: the PIN's hash is stored in that file\n");
        return 2;
    }
    const QString pin = QTextStream(stdin).readLine().trimmed();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{4,12}$"));
    if (!digits.match(pin).hasMatch()) {
        std::fprintf(stderr, "linkray --set-hmi-pin: type a PIN of 4 to 12 digits on standard input\n");
        return 2;
    }
    std::optional<app::Config> config = loadConfiguration(configPath);
    if (!config)
        return 1;
    config->hmi.pinHash = hashPassword(pin);
    if (QString error; !app::writeConfigFileAtomically(configPath, *config, &error)) {
        std::fprintf(stderr, "linkray --set-hmi-pin: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("linkray: operator PIN stored in %s (as hmi.pinHash); it applies from the next start\n",
        qPrintable(configPath));
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    QElapsedTimer startup;
    startup.start();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("LinkRay EV-charging site controller (OCPP 1.6J)"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
        QStringLiteral("Configuration file (JSON). Without it: embedded bench defaults."), QStringLiteral("file"));
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database and the control socket."), QStringLiteral("dir"));
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
    const QCommandLineOption viewOption(QStringLiteral("view"),
        QStringLiteral("Show the touch view on this machine's screen (also with hmi.enabled in the configuration). "
                       "Closing it does not stop LinkRay."));
    const QCommandLineOption setPinOption(QStringLiteral("set-hmi-pin"),
        QStringLiteral("Read the touch view's operator PIN (4 to 12 digits) on standard input and store its hash in "
                       "the configuration file given with --config."));
    parser.addOptions({configOption, dataDirOption, hashOption, checkOption, callOption, createAdminOption, viewOption,
        setPinOption});

    // The touch view needs a QApplication (Qt Charts draws with Widgets) and headless LinkRay must not need a display,
    // so the command line and the configuration are read before the application exists; process() reports errors.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const QList<QCommandLineOption> oneShotOptions {
        helpOption, versionOption, hashOption, checkOption, callOption, createAdminOption, setPinOption};
    const bool serving = parser.parse(arguments)
        && std::none_of(oneShotOptions.cbegin(), oneShotOptions.cend(),
            [&parser](const QCommandLineOption& option) { return parser.isSet(option); });
    std::optional<app::Config> servedConfig;
    bool showView = false;
    if (serving) {
        servedConfig = loadConfiguration(parser.value(configOption));
        if (!servedConfig)
            return 1;
        showView = parser.isSet(viewOption) || servedConfig->hmi.enabled;
    }
    // Headless, the event loop runs on epoll: Qt's own loop polls every socket on each turn, a cost per connected
    // charger on every frame relayed (docs/performance.md). The touch view keeps its platform's loop for its window
    // events.
    if (!showView)
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    std::unique_ptr<QCoreApplication> application
        = showView ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("linkray"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LINKRAY_VERSION));
    parser.process(*application);

    if (parser.isSet(hashOption))
        return hashPasswordFromStdin();
    if (parser.isSet(setPinOption))
        return setHmiPin(parser.value(configOption));
    // Absolute, because the control socket's name is derived from it and a relative name is refused.
    const QString dataDir
        = QDir(parser.isSet(dataDirOption) ? parser.value(dataDirOption)
                                           : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
              .absolutePath();
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

    const std::optional<app::Config> config
        = servedConfig ? std::move(servedConfig) : loadConfiguration(parser.value(configOption));
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
    std::unique_ptr<hmi::TouchView> touchView;
    std::unique_ptr<app::SiteHmi> siteHmi;
    if (showView) {
        QGuiApplication::setQuitOnLastWindowClosed(false); // a closed window must not stop the chargers' controller
        touchView = std::make_unique<hmi::TouchView>(clock, app::touchViewOptions(config->hmi));
        siteHmi = std::make_unique<app::SiteHmi>(site, *touchView);
        if (!touchView->show())
            qCWarning(lcApp) << "the touch view could not be shown; LinkRay serves the chargers without it";
    }
    app::ShutdownSignals shutdownSignals;
    QObject::connect(
        &shutdownSignals, &app::ShutdownSignals::shutdownRequested, application.get(), [&](int signalNumber) {
            qCInfo(lcApp) << "signal" << signalNumber << "received: shutting down";
            siteHmi.reset(); // it reads the Site's services, which shutdown() ends
            touchView.reset();
            site.shutdown();
            QCoreApplication::quit();
        });
    std::printf("linkray %s: OCPP listening on %s (data in %s, started in %lld ms)\n", LINKRAY_VERSION,
        qPrintable(site.ocppUrl()), qPrintable(QDir(dataDir).absolutePath()), startup.elapsed());
    if (const QString webUrl = site.webUrl(); !webUrl.isEmpty())
        std::printf("linkray %s: web app at %s\n", LINKRAY_VERSION, qPrintable(webUrl));
    if (touchView && touchView->window())
        std::printf("linkray %s: touch view shown (language %s)\n", LINKRAY_VERSION, qPrintable(config->hmi.language));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
