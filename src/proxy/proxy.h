#pragma once

#include "proxy/proxysession.h"
#include "upstream/upstreamconnection.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

// Online mode: LinkRay between each charger and the operator's CSMS. See docs/proxy.md.
namespace linkray::proxy {

// What the operator sees of one charger's link to the CSMS.
struct ChargerLink {
    SessionStatus session;
    bool chargerConnected = false;
    int backlog = 0; // messages waiting in the outbox for the CSMS
    int held = 0; // messages given up after repeated failures, kept for the operator
    std::optional<QDateTime> oldestQueuedAt;
};

// One ProxySession and one upstream connection per connected charger, opened when the charger connects and closed
// when it leaves, so that the CSMS sees the charger's real presence.
class Proxy : public QObject {
    Q_OBJECT
public:
    using UpstreamOptionsFor = std::function<upstream::UpstreamConnection::Options(const QString& chargePointId)>;

    Proxy(ProxyContext context, UpstreamOptionsFor upstreamOptionsFor, QObject* parent = nullptr);
    ~Proxy() override;

    // Starts relaying for a charger that just connected. `local` answers it when the CSMS cannot and carries
    // LinkRay's own calls; `sendToCharger` writes to its socket. Replaces an earlier session of the same charger.
    ProxySession& attach(
        const QString& chargePointId, ocpp::Endpoint& local, std::function<void(const QByteArray&)> sendToCharger);
    // The charger left: its upstream is closed; its backlog waits in the outbox for its return.
    void detach(const QString& chargePointId);

    ProxySession* session(const QString& chargePointId) const;
    // Every connected charger, and every charger with messages in the outbox.
    QList<ChargerLink> links() const;

Q_SIGNALS:
    void linkChanged(const QString& chargePointId);

private:
    struct Relay {
        std::unique_ptr<upstream::UpstreamConnection> upstream;
        std::unique_ptr<ProxySession> session;
    };

    ProxyContext m_context;
    UpstreamOptionsFor m_upstreamOptionsFor;
    QHash<QString, std::shared_ptr<Relay>> m_relays;
};

} // namespace linkray::proxy
