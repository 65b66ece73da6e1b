#pragma once

#include "hmi/pinguard.h"
#include "hmi/viewstates.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace linkray::hmi {

// Sends a start or stop to a connector (the application turns it into RemoteStartTransaction or
// RemoteStopTransaction); `done` runs exactly once: true when the charger accepted, false otherwise.
using CommandSender = std::function<void(const QString& chargePointId, int connectorId, ChargerCommand::Value command,
    std::function<void(bool accepted)> done)>;

// Start and stop from the detail view, each guarded by the operator PIN.
class ChargerCommands : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by the TouchView")
    Q_PROPERTY(bool available READ available NOTIFY availableChanged FINAL)
    Q_PROPERTY(bool lockedOut READ lockedOut NOTIFY lockedOutChanged FINAL)
public:
    enum Result {
        Sent, // the answer follows with answered()
        WrongPin,
        LockedOut,
        Unavailable, // no PIN configured, or no sender set
    };
    Q_ENUM(Result)

    explicit ChargerCommands(PinGuard& pinGuard, QObject* parent = nullptr);

    void setSender(CommandSender sender);

    Q_INVOKABLE linkray::hmi::ChargerCommands::Result request(
        const QString& chargePointId, int connectorId, linkray::hmi::ChargerCommand::Value command, const QString& pin);

    bool available() const { return m_pinGuard.configured() && m_sender; }
    bool lockedOut() const { return m_pinGuard.lockedOut(); }

Q_SIGNALS:
    void answered(
        const QString& chargePointId, int connectorId, linkray::hmi::ChargerCommand::Value command, bool accepted);
    void availableChanged();
    void lockedOutChanged();

private:
    PinGuard& m_pinGuard;
    CommandSender m_sender;
};

} // namespace linkray::hmi
