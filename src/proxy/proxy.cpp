#include "proxy/proxy.h"

#include "proxy/logging.h"
#include "storage/repositories.h"

namespace linkray::proxy {

namespace {

QString describeClose(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    return reason.isEmpty() ? QStringLiteral("connection closed (%1)").arg(int(code))
                            : QStringLiteral("connection closed (%1): %2").arg(int(code)).arg(reason);
}

QString describeRefusal(const QString& reason, std::optional<int> httpStatus)
{
    return httpStatus ? QStringLiteral("refused by the CSMS (HTTP %1): %2").arg(*httpStatus).arg(reason)
                      : QStringLiteral("refused: %1").arg(reason);
}

} // namespace

Proxy::Proxy(ProxyContext context, UpstreamOptionsFor upstreamOptionsFor, QObject* parent)
    : QObject(parent)
    , m_context(context)
    , m_upstreamOptionsFor(std::move(upstreamOptionsFor))
{
}

Proxy::~Proxy()
{
    for (const auto& relay : std::as_const(m_relays))
        relay->upstream->close(QWebSocketProtocol::CloseCodeGoingAway);
}

ProxySession& Proxy::attach(
    const QString& chargePointId, ocpp::Endpoint& local, std::function<void(const QByteArray&)> sendToCharger)
{
    detach(chargePointId);
    auto relay = std::make_shared<Relay>();
    relay->upstream = std::make_unique<upstream::UpstreamConnection>(
        chargePointId, m_upstreamOptionsFor(chargePointId), m_context.clock);
    upstream::UpstreamConnection* connection = relay->upstream.get();
    relay->session = std::make_unique<ProxySession>(chargePointId, m_context, local, std::move(sendToCharger),
        [connection](const QByteArray& text) { return connection->sendText(text); });
    ProxySession* session = relay->session.get();

    connect(connection, &upstream::UpstreamConnection::opened, session, &ProxySession::upstreamOpened);
    connect(connection, &upstream::UpstreamConnection::textReceived, session, &ProxySession::handleCsmsText);
    connect(connection, &upstream::UpstreamConnection::closed, session,
        [session](QWebSocketProtocol::CloseCode code, const QString& reason) {
            session->upstreamLost(describeClose(code, reason));
        });
    connect(connection, &upstream::UpstreamConnection::refused, session,
        [session](const QString& reason, std::optional<int> httpStatus) {
            session->upstreamLost(describeRefusal(reason, httpStatus));
        });
    connect(session, &ProxySession::statusChanged, this, [this, chargePointId] { Q_EMIT linkChanged(chargePointId); });
    // The close reason becomes the link's last problem (via `closed`), so it names the call that went unanswered.
    connect(session, &ProxySession::upstreamStalled, connection, [connection](const QString& problem) {
        connection->close(QWebSocketProtocol::CloseCodeGoingAway, problem + QStringLiteral("; reconnecting"));
        connection->open();
    });

    m_relays.insert(chargePointId, relay);
    qCInfo(lcProxy).noquote() << chargePointId << "relayed to" << connection->url().toString();
    session->start();
    connection->open();
    return *session;
}

void Proxy::detach(const QString& chargePointId)
{
    const std::shared_ptr<Relay> relay = m_relays.take(chargePointId);
    if (!relay)
        return;
    relay->session->disconnect(this);
    relay->upstream->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("the charge point disconnected"));
    Q_EMIT linkChanged(chargePointId);
}

ProxySession* Proxy::session(const QString& chargePointId) const
{
    const std::shared_ptr<Relay> relay = m_relays.value(chargePointId);
    return relay ? relay->session.get() : nullptr;
}

QList<ChargerLink> Proxy::links() const
{
    storage::OutboxRepository outbox(m_context.database);
    QStringList ids = m_relays.keys();
    for (const QString& id : outbox.chargePointsWithBacklog()) {
        if (!ids.contains(id))
            ids.append(id);
    }
    ids.sort();
    QList<ChargerLink> links;
    for (const QString& id : std::as_const(ids)) {
        ChargerLink link;
        if (const ProxySession* connected = session(id)) {
            link.session = connected->status();
            link.chargerConnected = true;
        } else {
            link.session.chargePointId = id;
            link.session.state = LinkState::Outage;
        }
        const storage::OutboxStats stats = outbox.stats(id);
        link.backlog = stats.queued;
        link.held = stats.held;
        link.oldestQueuedAt = stats.oldestReceivedAt;
        links.append(link);
    }
    return links;
}

} // namespace linkray::proxy
