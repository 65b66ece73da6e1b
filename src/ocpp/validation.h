#pragma once

#include "ocpp/frame.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// Validation of OCPP 1.6 payloads against the rules of the official JSON schemas, with LinkRay's tolerance for
// what real chargers send. See docs/ocpp.md for the rules.
namespace linkray::ocpp {

enum class Strictness { Lenient, Strict };

enum class PayloadKind { Request, Response };

struct Violation {
    ErrorCode code; // the CALLERROR code the spec gives for this fault
    QString path; // JSON path of the field, e.g. "meterValue[0].sampledValue[2].context"
    QString description; // one line for the log and the CALLERROR description
    bool tolerable; // lenient mode may act on the payload despite it (extra property, long string, ...)
};

struct ValidationResult {
    QList<Violation> violations;
    QJsonObject payload; // the payload as LinkRay acts on it: lenient coercions applied (e.g. "12" -> 12)

    // True when a handler can act on `payload` under the given strictness.
    bool acceptable(Strictness strictness) const;
    // The first violation that makes the payload unacceptable under the given strictness.
    const Violation* blocking(Strictness strictness) const;
};

// True when the action is in the OCPP 1.6 catalogue (core, security extension and the optional profiles).
bool isKnownAction(const QString& action);

ValidationResult validatePayload(const QString& action, PayloadKind kind, const QJsonObject& payload);

} // namespace linkray::ocpp
