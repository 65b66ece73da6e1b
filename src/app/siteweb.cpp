// The Site's side of the web app: the server, the configuration changes it makes, and the status it shows.
#include "app/logging.h"
#include "app/site.h"
#include "app/sitebalancing.h"
#include "app/sitesetup.h"
#include "localcsms/localcsms.h"
#include "proxy/proxy.h"
#include "web/selfsignedcertificate.h"
#include "web/webserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSysInfo>

namespace linkray::app {

namespace {

QJsonObject linkJson(const proxy::ChargerLink& link)
{
    QJsonObject object {
        {QStringLiteral("chargePointId"), link.session.chargePointId},
        {QStringLiteral("state"), proxy::linkStateName(link.session.state)},
        {QStringLiteral("chargerConnected"), link.chargerConnected},
        {QStringLiteral("backlog"), link.backlog},
        {QStringLiteral("held"), link.held},
    };
    if (!link.session.lastProblem.isEmpty())
        object.insert(QStringLiteral("lastProblem"), link.session.lastProblem);
    const auto insertTime = [&object](const QString& key, const std::optional<QDateTime>& time) {
        if (time)
            object.insert(key, time->toUTC().toString(Qt::ISODateWithMs));
    };
    insertTime(QStringLiteral("outageSince"), link.session.outageSince);
    insertTime(QStringLiteral("oldestQueuedAt"), link.oldestQueuedAt);
    insertTime(QStringLiteral("lastReplayAt"), link.session.lastReplayAt);
    return object;
}

// The groups in force (the configuration the site started with), so that every role sees the circuits whose manual
// limit it may look at.
QJsonArray groupsJson(const QList<SiteGroupConfig>& groups)
{
    QJsonArray list;
    for (const SiteGroupConfig& group : groups) {
        QJsonObject object {{QStringLiteral("id"), group.id},
            {QStringLiteral("phaseLimitA"),
                QJsonArray {group.phaseLimitA[0], group.phaseLimitA[1], group.phaseLimitA[2]}}};
        if (!group.parent.isEmpty())
            object.insert(QStringLiteral("parent"), group.parent);
        if (group.powerLimitKw)
            object.insert(QStringLiteral("powerLimitKw"), *group.powerLimitKw);
        list.append(object);
    }
    return list;
}

QList<web::ConfigFieldError> fieldErrorsOf(const QList<ConfigError>& errors)
{
    QList<web::ConfigFieldError> fields;
    for (const ConfigError& error : errors)
        fields.append({error.path, error.reason});
    return fields;
}

} // namespace

std::optional<QString> Site::startWeb()
{
    const WebConfig& config = m_config.web;
    web::WebServer::Options options;
    options.address = config.listenAddress;
    options.port = static_cast<quint16>(config.port);
    if (config.https) {
        options.tlsCertificateFile = config.certificateFile;
        options.tlsKeyFile = config.keyFile;
        if (options.tlsCertificateFile.isEmpty()) {
            const QDir tlsDir(QDir(m_dataDir).filePath(QStringLiteral("tls")));
            options.tlsCertificateFile = tlsDir.filePath(QStringLiteral("web-certificate.pem"));
            options.tlsKeyFile = tlsDir.filePath(QStringLiteral("web-key.pem"));
            if (!QFile::exists(options.tlsCertificateFile) || !QFile::exists(options.tlsKeyFile)) {
                if (!tlsDir.mkpath(QStringLiteral(".")))
                    return QStringLiteral("cannot create %1").arg(tlsDir.path());
                if (const auto error = web::generateSelfSignedCertificate(
                        options.tlsCertificateFile, options.tlsKeyFile, QSysInfo::machineHostName()))
                    return QStringLiteral("cannot create the web app's certificate: %1").arg(*error);
                qCInfo(lcApp) << "generated a self-signed certificate for the web app in" << tlsDir.path();
            }
        }
    }
    web::WebServices services;
    services.connectedChargePoints = [this] { return m_csms->attachedChargePoints(); };
    services.commands = m_commands.get();
    services.siteStatus = [this] { return statusJson(); };
    services.currentConfig = [this] { return toJson(m_configOnFile.value_or(m_config)); };
    services.applyConfig = [this](const QJsonObject& json) { return applyConfig(json); };
    services.testMeter = [this](const QJsonObject& json, qint64 timeoutMs) {
        web::TestMeter meter;
        QList<ConfigError> errors;
        meter.driver = meterForTestRead(json, m_clock, timeoutMs, errors);
        meter.fieldErrors = fieldErrorsOf(errors);
        return meter;
    };
    services.operatorLimit = [this](const QString& id) { return m_balancing->operatorLimit(id); };
    services.setOperatorLimit
        = [this](const storage::OperatorLimitRecord& limit) { return m_balancing->setOperatorLimit(limit); };
    services.clearOperatorLimit = [this](const QString& id) { return m_balancing->clearOperatorLimit(id); };
    services.groupLimit = [this](const QString& id) { return m_balancing->groupLimit(id); };
    services.clearGroupLimit = [this](const QString& id) { return m_balancing->clearGroupLimit(id); };
    services.isGroup = [this](const QString& id) { return m_balancing->isGroup(id); };
    services.isBalanced = [this](const QString& id) { return m_balancing->isBalanced(id); };
    m_web = std::make_unique<web::WebServer>(m_clock, m_database, std::move(services), options);
    if (const auto error = m_web->listen())
        return QStringLiteral("cannot start the web server: %1").arg(*error);
    return std::nullopt;
}

QString Site::webUrl() const
{
    if (!m_web)
        return QString();
    const QHostAddress& address = m_config.web.listenAddress;
    const bool anyAddress
        = address == QHostAddress::Any || address == QHostAddress::AnyIPv6 || address == QHostAddress::AnyIPv4;
    const QString host = anyAddress ? QSysInfo::machineHostName() : urlHost(address);
    return QStringLiteral("%1://%2:%3/")
        .arg(m_web->isHttps() ? QStringLiteral("https") : QStringLiteral("http"), host)
        .arg(m_web->port());
}

web::ConfigChange Site::applyConfig(const QJsonObject& json)
{
    web::ConfigChange change;
    const ConfigResult parsed = parseConfig(json);
    if (const auto* errors = std::get_if<QList<ConfigError>>(&parsed)) {
        change.fieldErrors = fieldErrorsOf(*errors);
        return change;
    }
    const Config& next = std::get<Config>(parsed);
    if (m_configPath.isEmpty()) {
        qCWarning(lcApp) << "configuration changed from the web app; running on embedded defaults, so the change"
                            " is kept until exit only";
    } else if (QString error; !writeConfigFileAtomically(m_configPath, next, &error)) {
        change.failure = error;
        return change;
    }
    // The whitelist is put in force now; every other change is written and read at the next start.
    m_config.authorization = next.authorization;
    if (const auto error = importWhitelist())
        change.failure = *error;
    change.restartRequired = toJson(next) != toJson(m_config);
    if (change.restartRequired)
        m_configOnFile = next;
    else
        m_configOnFile.reset();
    return change;
}

QJsonObject Site::statusJson() const
{
    QJsonArray links;
    if (m_proxy) {
        for (const proxy::ChargerLink& link : m_proxy->links())
            links.append(linkJson(link));
    }
    const PhaseCurrents& grid = m_config.site.phaseLimitA;
    return {
        {QStringLiteral("mode"), m_config.mode == Mode::Online ? QStringLiteral("online") : QStringLiteral("offline")},
        {QStringLiteral("gridLimitA"), QJsonArray {grid[0], grid[1], grid[2]}},
        {QStringLiteral("loadA"), m_balancing->siteLoadJson()},
        {QStringLiteral("meter"), m_balancing->meterStatusJson()},
        {QStringLiteral("csmsLinks"), links},
        {QStringLiteral("balancing"), m_balancing->chargerStatusJson()},
        {QStringLiteral("groups"), groupsJson(m_config.site.groups)},
    };
}

} // namespace linkray::app
