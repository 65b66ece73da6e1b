#include "app/site.h"

#include "app/configchoices.h"
#include "app/controlchannel.h"
#include "app/logging.h"
#include "app/sitebalancing.h"
#include "app/sitesetup.h"
#include "chargepoints/chargepointserver.h"
#include "localcsms/localcsms.h"
#include "localcsms/locallistsync.h"
#include "localcsms/remotecommands.h"
#include "ocpp/endpoint.h"
#include "proxy/csmstags.h"
#include "proxy/proxy.h"
#include "storage/messagelogwriter.h"
#include "storage/outboxwriter.h"
#include "storage/repositories.h"
#include "web/webserver.h"

#include <QDir>
#include <QPointer>
#include <QRegularExpression>

#include <algorithm>

namespace linkray::app {

namespace {

localcsms::Policy csmsPolicy(const Config& config, storage::Database& database)
{
    localcsms::Policy policy;
    policy.heartbeatIntervalSeconds = config.ocpp.heartbeatIntervalSeconds;
    switch (config.ocpp.unknownChargePoints) {
    case UnknownChargePointPolicy::Accept:
        policy.unknownChargePoints = localcsms::UnknownChargePoints::Accept;
        break;
    case UnknownChargePointPolicy::Pending:
        policy.unknownChargePoints = localcsms::UnknownChargePoints::Pending;
        break;
    case UnknownChargePointPolicy::Reject:
        policy.unknownChargePoints = localcsms::UnknownChargePoints::Reject;
        break;
    }
    QSet<QString> known;
    for (const ChargePointConfig& chargePoint : config.chargePoints)
        known.insert(chargePoint.id);
    // In online mode the CSMS decides which chargers it knows; during an outage LinkRay accepts the boots of the
    // chargers it relays (docs/proxy.md).
    const bool online = config.mode == Mode::Online;
    policy.isKnownChargePoint = [known, online, config](const QString& id) {
        return known.contains(id) || (online && isProxied(config, id));
    };
    policy.unknownTags = config.authorization.unknownTags == UnknownTagPolicy::Accept ? localcsms::UnknownTags::Accept
                                                                                      : localcsms::UnknownTags::Reject;
    policy.pushLocalList = config.authorization.pushLocalList;
    if (config.mode == Mode::Online) {
        // The CSMS owns the chargers' local lists in online mode: LinkRay only watches them pass (docs/proxy.md).
        policy.pushLocalList = false;
        policy.tagFromCsms = [&database](const QString& chargePointId, const QString& idTag) {
            return proxy::tagFromCsms(database, chargePointId, idTag);
        };
    }
    return policy;
}

chargepoints::ChargePointServer::Options serverOptions(const OcppConfig& ocpp)
{
    chargepoints::ChargePointServer::Options options;
    options.pathPrefix = ocpp.pathPrefix;
    options.maxMessageBytes = static_cast<quint64>(ocpp.hardFrameBytes);
    options.keepAlive.pingIntervalMs = qint64(ocpp.pingIntervalSeconds) * 1000;
    options.keepAlive.pongTimeoutMs = qint64(ocpp.pongTimeoutSeconds) * 1000;
    return options;
}

// The message type and unique id of a frame, read from its first bytes only: the log must not parse every frame twice.
std::pair<int, QString> frameHeader(const QByteArray& text)
{
    static const QRegularExpression header(QStringLiteral(R"(^\s*\[\s*([234])\s*,\s*"([^"]{0,64})\")"));
    const QRegularExpressionMatch match = header.match(QString::fromUtf8(text.left(128)));
    if (!match.hasMatch())
        return {0, QString()};
    return {match.captured(1).toInt(), match.captured(2)};
}

} // namespace

Site::Site(Clock& clock, Config config, QString dataDir, QString configPath, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_dataDir(std::move(dataDir))
    , m_configPath(std::move(configPath))
{
}

Site::~Site()
{
    shutdown();
}

std::optional<QString> Site::start()
{
    const QString databasePath = QDir(m_dataDir).filePath(QStringLiteral("linkray.db"));
    if (std::optional<QString> error = storage::Database::open(m_database, databasePath))
        return QStringLiteral("cannot open the database %1: %2").arg(databasePath, *error);
    const std::optional<int> maxMegabytes = m_config.storage.maxDatabaseMegabytes;
    if (std::optional<QString> error = m_database.limitSize(
            m_clock, maxMegabytes ? std::optional<qint64>(qint64 {*maxMegabytes} * 1024 * 1024) : std::nullopt))
        return error;
    if (std::optional<QString> error = m_database.checkpointInBackground(m_clock))
        return error;
    if (std::optional<QString> error = importWhitelist())
        return error;
    m_messageLog = std::make_unique<storage::MessageLogRepository>(m_database, m_config.storage.messageLogMaxEntries);
    m_messageLogWriter
        = std::make_unique<storage::MessageLogWriter>(m_clock, *m_messageLog, storage::MessageLogWriter::Options {});

    m_csms = std::make_unique<localcsms::LocalCsms>(
        localcsms::Context {m_clock, m_database, csmsPolicy(m_config, m_database)});
    m_commands = std::make_unique<localcsms::RemoteCommands>(*m_csms);
    m_localLists = std::make_unique<localcsms::LocalListSync>(*m_csms, *m_commands);
    m_balancing = std::make_unique<SiteBalancing>(m_clock, m_config, m_database, *m_commands);
    if (std::optional<QString> error = m_balancing->start())
        return error;
    if (std::optional<QString> error = startProxy())
        return error;

    m_server = std::make_unique<chargepoints::ChargePointServer>(m_clock, serverOptions(m_config.ocpp));
    m_server->setAdmissionPolicy([this](const chargepoints::ConnectionRequest& request) { return admit(request); });
    connect(m_server.get(), &chargepoints::ChargePointServer::connected, this, &Site::onConnected);
    if (!m_server->listen(m_config.ocpp.listenAddress, static_cast<quint16>(m_config.ocpp.port)))
        return QStringLiteral("cannot listen for charge points on %1:%2: %3")
            .arg(m_config.ocpp.listenAddress.toString())
            .arg(m_config.ocpp.port)
            .arg(m_server->errorString());

    m_control
        = std::make_unique<ControlServer>([this](const QString& id, const QString& action, const QJsonObject& payload,
                                              auto reply) { forwardCall(id, action, payload, std::move(reply)); });
    QString controlError;
    if (!m_control->listen(controlSocketPath(m_dataDir), &controlError))
        return QStringLiteral("cannot open the control socket: %1").arg(controlError);
    if (m_config.web.enabled)
        return startWeb();
    return std::nullopt;
}

void Site::shutdown()
{
    if (m_server)
        m_server->close();
    m_web.reset();
    m_control.reset();
    m_proxy.reset();
    m_outbox.reset();
    m_outboxRows.reset();
    m_balancing.reset();
    m_localLists.reset();
    m_commands.reset();
    m_csms.reset();
    m_server.reset();
    m_messageLogWriter.reset();
    m_messageLog.reset();
    m_database.close();
}

QString Site::urlHost(const QHostAddress& address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(address.toString())
                                                               : address.toString();
}

QString Site::ocppUrl() const
{
    return QStringLiteral("ws://%1:%2%3")
        .arg(urlHost(m_config.ocpp.listenAddress))
        .arg(m_server ? m_server->serverPort() : 0)
        .arg(m_config.ocpp.pathPrefix);
}

SiteServices Site::services()
{
    return {m_clock, m_config, m_database, *m_commands, m_balancing->controller(), m_balancing->meter(), m_proxy.get()};
}

std::optional<QString> Site::importWhitelist()
{
    QList<storage::IdTagRecord> tags;
    for (const WhitelistEntry& entry : m_config.authorization.whitelist) {
        storage::IdTagRecord tag;
        tag.idTag = entry.idTag;
        tag.status = nameOf(entry.status, TagStatusChoices);
        if (entry.expiryDate.isValid())
            tag.expiryDate = entry.expiryDate;
        tag.parentIdTag = entry.parentIdTag;
        tag.note = entry.note;
        tags.append(tag);
    }
    if (!storage::IdTagRepository(m_database).replaceAll(tags))
        return QStringLiteral("cannot store the whitelist from the configuration");
    return std::nullopt;
}

std::optional<QString> Site::startProxy()
{
    if (m_config.mode != Mode::Online)
        return std::nullopt;
    const ProxySettings configured = proxySettings(m_config);
    if (!storage::TransactionRepository(m_database).reserveIdsFrom(configured.firstProvisionalTransactionId))
        return QStringLiteral("cannot reserve the provisional transaction ids in the database");
    proxy::ProxySettings settings;
    settings.answerTimeoutMs = configured.answerTimeoutMs;
    settings.firstFrameWaitMs = configured.firstFrameWaitMs;
    settings.replayAttempts = configured.replayAttempts;
    settings.outboxMaxMessages = configured.outboxMaxMessages;
    m_outboxRows = std::make_unique<storage::OutboxRepository>(m_database);
    m_outbox = std::make_unique<storage::OutboxWriter>(*m_outboxRows);
    m_proxy = std::make_unique<proxy::Proxy>(
        proxy::ProxyContext {m_clock, m_database, *m_outbox, settings}, [this](const QString& chargePointId) {
            return upstreamOptions(m_config, chargePointId, m_chargerAuthorization.value(chargePointId));
        });
    return std::nullopt;
}

const ChargePointConfig* Site::chargePointConfig(const QString& id) const
{
    for (const ChargePointConfig& chargePoint : m_config.chargePoints) {
        if (chargePoint.id == id)
            return &chargePoint;
    }
    return nullptr;
}

chargepoints::Admission Site::admit(const chargepoints::ConnectionRequest& request)
{
    const ChargePointConfig* known = chargePointConfig(request.chargePointId);
    if (!known && m_config.ocpp.unknownChargePoints == UnknownChargePointPolicy::Reject)
        return chargepoints::Admission::refuse(QStringLiteral("unknown charge point"));
    const QString passwordHash = known ? known->passwordHash : QString();
    if (passwordHash.isEmpty()) {
        return m_config.ocpp.requireBasicAuth
            ? chargepoints::Admission::refuse(QStringLiteral("no password is configured for this charge point"))
            : chargepoints::Admission::accept();
    }
    if (!request.password || !m_passwords.verify(request.chargePointId, *request.password, passwordHash))
        return chargepoints::Admission::refuse(QStringLiteral("wrong or missing password"));
    m_chargerAuthorization.insert(request.chargePointId,
        "Basic " + QStringLiteral("%1:%2").arg(request.chargePointId, *request.password).toUtf8().toBase64());
    return chargepoints::Admission::accept();
}

void Site::onConnected(chargepoints::ChargePointConnection* connection)
{
    const QString id = connection->chargePointId();
    const ChargePointConfig* known = chargePointConfig(id);
    ocpp::Endpoint::Options options;
    const bool strict = known && known->strict ? *known->strict : m_config.ocpp.strict;
    options.strictness = strict ? ocpp::Strictness::Strict : ocpp::Strictness::Lenient;
    options.callTimeoutMs = qint64(m_config.ocpp.callTimeoutSeconds) * 1000;
    options.maxFrameBytes = m_config.ocpp.maxFrameBytes;
    options.callIdPrefix = QStringLiteral("lr-");
    auto* endpoint = new ocpp::Endpoint(
        m_clock, [connection](const QByteArray& text) { connection->sendText(text); }, options);
    endpoint->setParent(connection);

    if (m_proxy && isProxied(m_config, id))
        relay(connection, *endpoint);
    else
        connect(
            connection, &chargepoints::ChargePointConnection::textReceived, endpoint, &ocpp::Endpoint::handleIncoming);
    connect(endpoint, &ocpp::Endpoint::frameReceived, this,
        [this, id](const QByteArray& text, const QString& action) { logFrame(id, "in", text, action); });
    connect(endpoint, &ocpp::Endpoint::frameSent, this,
        [this, id](const QByteArray& text, const QString& action) { logFrame(id, "out", text, action); });
    connect(connection, &chargepoints::ChargePointConnection::closed, this, [this, id, endpoint] {
        endpoint->cancelAll(QStringLiteral("the charge point disconnected"));
        if (m_csms && m_csms->endpoint(id) == endpoint) {
            m_csms->detach(id);
            m_balancing->chargerDisconnected(id);
            Q_EMIT chargerDisconnected(id);
        }
    });
    m_csms->attach(id, endpoint);
    // After attach: an observer sees what LocalCsms stored for the call.
    connect(endpoint, &ocpp::Endpoint::callReceived, this,
        [this, id](const ocpp::IncomingCall& call) { Q_EMIT chargerCallObserved(id, call); });
    m_balancing->chargerConnected(id, *endpoint);
    Q_EMIT chargerConnected(id);
}

void Site::relay(chargepoints::ChargePointConnection* connection, ocpp::Endpoint& endpoint)
{
    const QString id = connection->chargePointId();
    QPointer<proxy::ProxySession> session
        = &m_proxy->attach(id, endpoint, [connection](const QByteArray& text) { connection->sendText(text); });
    connect(connection, &chargepoints::ChargePointConnection::textReceived, session,
        &proxy::ProxySession::handleChargerText);
    connect(session, &proxy::ProxySession::chargerFrameRelayed, this,
        [this, id](const QByteArray& text, bool fromCharger, const QString& action) {
            logFrame(id, fromCharger ? "in" : "out", text, action);
        });
    connect(session, &proxy::ProxySession::chargerCallRelayed, this, [this, id](const ocpp::IncomingCall& call) {
        m_balancing->observe(id, call);
        Q_EMIT chargerCallObserved(id, call);
    });
    connect(session, &proxy::ProxySession::relayedCallAnswered, this,
        [this, id](const ocpp::IncomingCall& call, const QJsonObject& csmsResult) {
            m_csms->recordRelayed(id, call, csmsResult);
            m_balancing->relayedCallAnswered(id, call, csmsResult);
        });
    connect(session, &proxy::ProxySession::csmsCommandAccepted, this,
        [this, id](const QString& action, const QJsonObject& request) {
            m_balancing->csmsCommandAccepted(id, action, request);
        });
    connect(session, &proxy::ProxySession::authorizationKeyChanged, this,
        [this, id](const QString& key) { adoptAuthorizationKey(id, key); });
    connect(connection, &chargepoints::ChargePointConnection::closed, this, [this, id, session] {
        if (m_proxy && session && m_proxy->session(id) == session)
            m_proxy->detach(id);
    });
}

namespace {

// Puts the charger's new AuthorizationKey where `config` keeps it; false when the charger is not configured.
bool adoptKeyIn(Config& config, const QString& chargePointId, const QString& key)
{
    auto configured = std::find_if(config.chargePoints.begin(), config.chargePoints.end(),
        [&](const ChargePointConfig& chargePoint) { return chargePoint.id == chargePointId; });
    if (configured == config.chargePoints.end())
        return false;
    if (!configured->passwordHash.isEmpty() || config.ocpp.requireBasicAuth)
        configured->passwordHash = hashPassword(key);
    if (configured->csms.credentials.value_or(config.csms.credentials) == CsmsCredentials::Configured)
        configured->csms.password = key;
    return true;
}

} // namespace

void Site::adoptAuthorizationKey(const QString& chargePointId, const QString& key)
{
    if (!adoptKeyIn(m_config, chargePointId, key)) {
        qCWarning(lcApp) << chargePointId
                         << "accepted a new AuthorizationKey but is not in the configuration: nothing to keep";
        return;
    }
    if (m_configOnFile)
        adoptKeyIn(*m_configOnFile, chargePointId, key);
    if (m_configPath.isEmpty()) {
        qCWarning(lcApp) << chargePointId
                         << "has a new AuthorizationKey; running on embedded defaults, so it is kept until exit only";
        return;
    }
    QString error;
    if (writeConfigFileAtomically(m_configPath, m_configOnFile.value_or(m_config), &error))
        qCInfo(lcApp) << chargePointId << "has a new AuthorizationKey: stored in" << m_configPath;
    else
        qCCritical(lcApp).noquote() << chargePointId << "has a new AuthorizationKey but" << m_configPath
                                    << "could not be written:" << error;
}

void Site::logFrame(const QString& chargePointId, const char* direction, const QByteArray& text, const QString& action)
{
    const auto [messageType, uniqueId] = frameHeader(text);
    storage::MessageLogEntry entry;
    entry.at = m_clock.nowUtc();
    entry.chargePointId = chargePointId;
    entry.direction = QLatin1String(direction);
    entry.messageType = messageType;
    entry.uniqueId = uniqueId;
    entry.action = action;
    entry.sizeBytes = static_cast<int>(text.size());
    m_messageLogWriter->append(entry);
}

void Site::forwardCall(const QString& chargePointId, const QString& action, const QJsonObject& payload,
    std::function<void(const CallReply&)> reply)
{
    m_commands->sendRaw(chargePointId, action, payload, [reply = std::move(reply)](const auto& outcome) {
        if (outcome.failure == localcsms::CommandFailure::None)
            reply({true, outcome.payload, {}});
        else
            reply({false, {}, outcome.description});
    });
}

} // namespace linkray::app
