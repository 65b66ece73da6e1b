#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

// The states the touch view shows. Each enumeration sits in its own namespace so that QML reads it as
// ConnectorState.Charging, MeterState.Stale and so on; the QML maps each value to its text and colour.
namespace linkray::hmi {

namespace ConnectorState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Available,
    Occupied, // OCPP Preparing, Finishing or Reserved: a car or a reservation, no energy flowing
    Charging,
    Suspended, // OCPP SuspendedEV or SuspendedEVSE
    Faulted,
    Unavailable,
    Offline, // the charger is not connected to LinkRay
};
Q_ENUM_NS(Value)

// Maps an OCPP 1.6 ChargePointStatus; a status outside the list (a lenient charger's invention) shows as Unavailable.
Value fromOcppStatus(const QString& status);
} // namespace ConnectorState

namespace MeterState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    NotConfigured,
    Ok,
    Stale, // readings stopped arriving: the balancer runs on its fail-safe limit
    Failed,
};
Q_ENUM_NS(Value)
} // namespace MeterState

namespace LinkState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    NotConfigured, // offline mode: LinkRay is the central system
    Connected,
    Connecting,
    Down, // an outage: messages wait in the backlog
};
Q_ENUM_NS(Value)
} // namespace LinkState

namespace NetworkState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Unknown,
    Online,
    Offline,
};
Q_ENUM_NS(Value)
} // namespace NetworkState

namespace AlertKind {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    ChargerFaulted,
    ChargerOffline,
    ChargerOverLimit, // accepted its limit but draws above it
    ProfileRejected, // did not accept LinkRay's charging profile
    MeterProblem,
    CsmsUnreachable,
};
Q_ENUM_NS(Value)
} // namespace AlertKind

namespace ChargerCommand {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Start,
    Stop,
};
Q_ENUM_NS(Value)
} // namespace ChargerCommand

} // namespace linkray::hmi
