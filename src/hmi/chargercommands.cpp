#include "hmi/chargercommands.h"

#include "hmi/logging.h"

#include <QMetaEnum>
#include <QPointer>

namespace linkray::hmi {

namespace {

const char* commandName(ChargerCommand::Value command)
{
    return QMetaEnum::fromType<ChargerCommand::Value>().valueToKey(command);
}

} // namespace

ChargerCommands::ChargerCommands(PinGuard& pinGuard, QObject* parent)
    : QObject(parent)
    , m_pinGuard(pinGuard)
{
    connect(&pinGuard, &PinGuard::lockedOutChanged, this, &ChargerCommands::lockedOutChanged);
}

void ChargerCommands::setSender(CommandSender sender)
{
    const bool availableBefore = available();
    m_sender = std::move(sender);
    if (available() != availableBefore)
        Q_EMIT availableChanged();
}

ChargerCommands::Result ChargerCommands::request(
    const QString& chargePointId, int connectorId, ChargerCommand::Value command, const QString& pin)
{
    if (!m_sender)
        return Unavailable;
    switch (m_pinGuard.check(pin)) {
    case PinGuard::Check::NotConfigured:
        return Unavailable;
    case PinGuard::Check::LockedOut:
        return LockedOut;
    case PinGuard::Check::Wrong:
        qCInfo(lcHmi) << "Wrong operator PIN for" << commandName(command) << "of" << chargePointId << "connector"
                      << connectorId;
        return WrongPin;
    case PinGuard::Check::Accepted:
        break;
    }
    qCInfo(lcHmi) << "Operator" << commandName(command) << "of" << chargePointId << "connector" << connectorId;
    // The answer may come after the view is gone (shutdown while a call is out).
    m_sender(chargePointId, connectorId, command,
        [self = QPointer<ChargerCommands>(this), chargePointId, connectorId, command](bool accepted) {
            if (self)
                Q_EMIT self->answered(chargePointId, connectorId, command, accepted);
        });
    return Sent;
}

} // namespace linkray::hmi
