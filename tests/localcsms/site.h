#pragma once

#include "core/clock.h"
#include "localcsms/localcsms.h"
#include "localcsms/locallistsync.h"
#include "localcsms/remotecommands.h"
#include "ocpp/endpoint.h"
#include "ocpp/messages.h"
#include "storage/database.h"
#include "storage/repositories.h"

#include <QList>
#include <QObject>
#include <QTemporaryDir>

#include <map>
#include <memory>

namespace linkray::localcsms::test {

// One charger's connection without a socket: a strict charger-side endpoint back to back with the
// central-system-side endpoint that LocalCsms answers on; frames are delivered through the event loop.
class ChargerLink : public QObject {
    Q_OBJECT
public:
    ChargerLink(Clock& clock, qint64 callTimeoutMs);

    ocpp::Endpoint& csmsSide() { return *m_csmsSide; }
    ocpp::Endpoint& chargerSide() { return *m_chargerSide; }

    // Sends a CALL from the charger and waits for LinkRay's answer (validated by the strict charger side).
    ocpp::CallOutcome call(const QString& action, const QJsonObject& payload);
    template<class Request> ocpp::CallOutcome call(const Request& request)
    {
        return call(QLatin1String(Request::action), request.toJson());
    }

    // Queues the charger's answer (a CALLRESULT payload) to LinkRay's calls of `action`: answers are used in
    // order and the last one repeats; without one the call stays unanswered. Every call is recorded.
    void answer(const QString& action, const QJsonObject& payload) { m_answers[action].append(payload); }
    const QList<ocpp::IncomingCall>& received() const { return m_received; }

private:
    std::unique_ptr<ocpp::Endpoint> m_csmsSide;
    std::unique_ptr<ocpp::Endpoint> m_chargerSide;
    QHash<QString, QList<QJsonObject>> m_answers;
    QList<ocpp::IncomingCall> m_received;
};

// A site with LocalCsms, RemoteCommands and LocalListSync over a fresh database, in simulated time.
class Site {
public:
    explicit Site(Policy policy = knownChargersPolicy());
    ~Site();

    // Known charge points are the ones whose id starts with "CP".
    static Policy knownChargersPolicy();

    ChargerLink& connect(const QString& chargePointId, qint64 callTimeoutMs = 30000);
    // connect() and an accepted BootNotification.
    ChargerLink& connectBooted(const QString& chargePointId);

    ManualClock clock;
    QTemporaryDir directory;
    storage::Database database;
    std::unique_ptr<LocalCsms> csms;
    std::unique_ptr<RemoteCommands> commands;
    std::unique_ptr<LocalListSync> localListSync;

private:
    std::map<QString, std::unique_ptr<ChargerLink>> m_links;
};

ocpp::v16::BootNotificationRequest bootRequest();
QString describe(const ocpp::CallOutcome& outcome);

} // namespace linkray::localcsms::test
