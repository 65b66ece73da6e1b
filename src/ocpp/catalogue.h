#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

// The OCPP 1.6 actions LinkRay knows (core, optional profiles, security extension), generated from
// src/ocpp/codegen/actions.json and the official schemas: who sends each one and the rules of its payloads.
namespace linkray::ocpp {

namespace schema {
struct ObjectRule;
}

// Who sends the CALL. DataTransfer is the one action that both sides send.
enum class Direction { ChargePointToCsms, CsmsToChargePoint, Both };

struct ActionInfo {
    QString name;
    Direction direction;
    QString profile; // Core, FirmwareManagement, LocalAuthListManagement, Reservation, RemoteTrigger, SmartCharging,
                     // Security
    const schema::ObjectRule* request;
    const schema::ObjectRule* response;
    // A validated payload read into its typed struct (ocpp/messages.h) and written back: what LinkRay makes of it.
    QJsonObject (*throughRequestType)(const QJsonObject& payload);
    QJsonObject (*throughResponseType)(const QJsonObject& payload);

    // True when a CALL of this action may travel this way (Both matches either).
    bool travels(Direction way) const { return direction == way || direction == Direction::Both; }
};

const ActionInfo* findAction(const QString& name);
const QList<ActionInfo>& allActions();

} // namespace linkray::ocpp
