#pragma once

#include "localcsms/localcsms.h"
#include "localcsms/remotecommands.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

// Keeps each charger's local authorisation list equal to the whitelist, so that chargers keep authorising
// tags when LinkRay itself is down. One SendLocalList in flight per charger.
namespace linkray::localcsms {

class LocalListSync : public QObject {
    Q_OBJECT
public:
    LocalListSync(LocalCsms& csms, RemoteCommands& commands, QObject* parent = nullptr);

    // The application calls this after every whitelist change: every attached charger is brought up to date.
    void whitelistChanged();

Q_SIGNALS:
    // The charger confirmed the whitelist at `version`.
    void synchronised(const QString& chargePointId, int version);

private:
    enum class Update { Differential, Full };

    void sync(const QString& chargePointId, Update update);
    bool inFlight(const QString& chargePointId) const;
    void onAnswer(const QString& chargePointId, int version, int confirmedVersion,
        const CommandResult<ocpp::v16::SendLocalListResponse>& result);

    LocalCsms& m_csms;
    RemoteCommands& m_commands;
    // The endpoint each SendLocalList went to: a call on a connection that has since gone does not block a new one.
    QHash<QString, QPointer<ocpp::Endpoint>> m_inFlight;
    QSet<QString> m_triggeredWhileInFlight;
};

} // namespace linkray::localcsms
