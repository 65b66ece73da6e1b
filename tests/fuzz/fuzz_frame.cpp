// libFuzzer target: any text a charger or CSMS could send, through framing, validation of every action and kind,
// and the typed messages for what validation lets through. Crashes, leaks and undefined behaviour are findings.
#include "ocpp/catalogue.h"
#include "ocpp/frame.h"
#include "ocpp/validation.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace linkray::ocpp;

namespace {

void exercise(const QString& action, PayloadKind kind, const QJsonObject& payload)
{
    const ValidationResult result = validatePayload(action, kind, payload);
    const ActionInfo* info = findAction(action);
    if (!info || !result.acceptable(Strictness::Lenient))
        return;
    const auto throughType = kind == PayloadKind::Request ? info->throughRequestType : info->throughResponseType;
    const QJsonObject typed = throughType(result.payload);
    // What LinkRay writes from an accepted payload must itself be acceptable: a peer would read it.
    if (!validatePayload(action, kind, typed).acceptable(Strictness::Lenient))
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray text(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const ParseResult parsed = parseFrame(text);
    const auto* frame = std::get_if<ParsedFrame>(&parsed);
    if (!frame)
        return 0;
    serializeFrame(frame->frame);
    if (const auto* call = std::get_if<Call>(&frame->frame)) {
        exercise(call->action, PayloadKind::Request, call->payload);
    } else if (const auto* result = std::get_if<CallResult>(&frame->frame)) {
        // An answer is read against the action of the call it answers, which the frame does not name: try them all.
        for (const ActionInfo& action : allActions())
            exercise(action.name, PayloadKind::Response, result->payload);
    }
    return 0;
}
