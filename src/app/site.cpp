#include "app/site.h"

#include "app/configchoices.h"
#include "app/controlchannel.h"
#include "app/logging.h"
#include "app/sitebalancing.h"
#include "chargepoints/chargepointserver.h"
#include "localcsms/localcsms.h"
#include "localcsms/locallistsync.h"
#include "localcsms/remotecommands.h"
#include "ocpp/endpoint.h"
#include "storage/messagelogwriter.h"
#include "storage/repositories.h"

#include <QDir>
#include <QRegularExpression>

namespace linkray::app {

namespace {

localcsms::Policy csmsPolicy(const Config& config)
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
    policy.isKnownChargePoint = [known](const QString& id) { return known.contains(id); };
    policy.unknownTags = config.authorization.unknownTags == UnknownTagPolicy::Accept ? localcsms::UnknownTags::Accept
                                                                                      : localcsms::UnknownTags::Reject;
    policy.pushLocalList = config.authorization.pushLocalList;
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

Site::Site(Clock& clock, Config config, QString dataDir, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_dataDir(std::move(dataDir))
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
    if (std::optional<QString> error = importWhitelist())
        return error;
    m_messageLog = std::make_unique<storage::MessageLogRepository>(m_database, m_config.storage.messageLogMaxEntries);
    m_messageLogWriter
        = std::make_unique<storage::MessageLogWriter>(m_clock, *m_messageLog, storage::MessageLogWriter::Options {});

    m_csms = std::make_unique<localcsms::LocalCsms>(localcsms::Context {m_clock, m_database, csmsPolicy(m_config)});
    m_commands = std::make_unique<localcsms::RemoteCommands>(*m_csms);
    m_localLists = std::make_unique<localcsms::LocalListSync>(*m_csms, *m_commands);
    m_balancing = std::make_unique<SiteBalancing>(m_clock, m_config, m_database, *m_commands);
    if (std::optional<QString> error = m_balancing->start())
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
    return std::nullopt;
}

void Site::shutdown()
{
    if (m_server)
        m_server->close();
    m_control.reset();
    m_balancing.reset();
    m_localLists.reset();
    m_commands.reset();
    m_csms.reset();
    m_server.reset();
    m_messageLogWriter.reset();
    m_messageLog.reset();
    m_database.close();
}

QString Site::ocppUrl() const
{
    const QString host = m_config.ocpp.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(m_config.ocpp.listenAddress.toString())
        : m_config.ocpp.listenAddress.toString();
    return QStringLiteral("ws://%1:%2%3")
        .arg(host)
        .arg(m_server ? m_server->serverPort() : 0)
        .arg(m_config.ocpp.pathPrefix);
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
    auto* endpoint = new ocpp::Endpoint(
        m_clock, [connection](const QByteArray& text) { connection->sendText(text); }, options);
    endpoint->setParent(connection);

    connect(connection, &chargepoints::ChargePointConnection::textReceived, endpoint, &ocpp::Endpoint::handleIncoming);
    connect(endpoint, &ocpp::Endpoint::frameReceived, this,
        [this, id](const QByteArray& text, const QString& action) { logFrame(id, "in", text, action); });
    connect(endpoint, &ocpp::Endpoint::frameSent, this,
        [this, id](const QByteArray& text, const QString& action) { logFrame(id, "out", text, action); });
    connect(connection, &chargepoints::ChargePointConnection::closed, this, [this, id, endpoint] {
        endpoint->cancelAll(QStringLiteral("the charge point disconnected"));
        if (m_csms && m_csms->endpoint(id) == endpoint) {
            m_csms->detach(id);
            m_balancing->chargerDisconnected(id);
        }
    });
    m_csms->attach(id, endpoint);
    m_balancing->chargerConnected(id, *endpoint);
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
