#include "benchframes.h"

namespace linkray::bench {

namespace {

// A fixed time keeps every frame the same size from call to call, so that runs compare.
const QString kTimestamp = QStringLiteral("2026-11-25T08:00:00.000Z");

// The quoted string that starts at `from` (at its opening quote); nullopt when there is none.
std::optional<QStringView> quotedAt(QStringView frame, qsizetype from)
{
    if (from >= frame.size() || frame[from] != u'"')
        return std::nullopt;
    const qsizetype end = frame.indexOf(u'"', from + 1);
    if (end < 0)
        return std::nullopt;
    return frame.mid(from + 1, end - from - 1);
}

} // namespace

QString callFrame(ChargerMessage message, const QString& uniqueId, qint64 sequence)
{
    switch (message) {
    case ChargerMessage::BootNotification:
        return QStringLiteral(
            "[2,\"%1\",\"BootNotification\",{\"chargePointVendor\":\"LinkRay\",\"chargePointModel\":\"Bench\"}]")
            .arg(uniqueId);
    case ChargerMessage::Heartbeat:
        return QStringLiteral("[2,\"%1\",\"Heartbeat\",{}]").arg(uniqueId);
    case ChargerMessage::MeterValues:
        return QStringLiteral("[2,\"%1\",\"MeterValues\",{\"connectorId\":1,\"transactionId\":%2,\"meterValue\":[{"
                              "\"timestamp\":\"%3\",\"sampledValue\":[{\"value\":\"%4\",\"measurand\":\"Energy.Active."
                              "Import.Register\",\"unit\":\"Wh\"}]}]}]")
            .arg(uniqueId)
            .arg(1000 + sequence % 1000)
            .arg(kTimestamp)
            .arg(sequence);
    case ChargerMessage::StandaloneMeterValues:
        return QStringLiteral("[2,\"%1\",\"MeterValues\",{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"%2\","
                              "\"sampledValue\":[{\"value\":\"%3\",\"measurand\":\"Energy.Active.Import.Register\","
                              "\"unit\":\"Wh\"}]}]}]")
            .arg(uniqueId, kTimestamp)
            .arg(sequence);
    case ChargerMessage::StatusNotification:
        return QStringLiteral("[2,\"%1\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\","
                              "\"status\":\"%2\",\"timestamp\":\"%3\"}]")
            .arg(uniqueId, sequence % 2 ? QStringLiteral("SuspendedEV") : QStringLiteral("Charging"), kTimestamp);
    }
    return QString();
}

std::optional<CallHeader> callHeaderOf(QStringView frame)
{
    if (!frame.startsWith(u"[2,"))
        return std::nullopt;
    const std::optional<QStringView> uniqueId = quotedAt(frame, 3);
    if (!uniqueId)
        return std::nullopt;
    const qsizetype afterId = 3 + uniqueId->size() + 2;
    if (afterId >= frame.size() || frame[afterId] != u',')
        return std::nullopt;
    const std::optional<QStringView> action = quotedAt(frame, afterId + 1);
    if (!action)
        return std::nullopt;
    return CallHeader {*uniqueId, *action};
}

QString resultFrame(const CallHeader& call)
{
    QString payload = QStringLiteral("{}"); // MeterValues.conf is empty
    if (call.action == u"Heartbeat")
        payload = QStringLiteral("{\"currentTime\":\"%1\"}").arg(kTimestamp);
    else if (call.action == u"BootNotification")
        payload = QStringLiteral("{\"status\":\"Accepted\",\"currentTime\":\"%1\",\"interval\":60}").arg(kTimestamp);
    return QStringLiteral("[3,\"%1\",%2]").arg(call.uniqueId.toString(), payload);
}

Answer answerTo(QStringView frame, QStringView uniqueId)
{
    const std::optional<QStringView> answered = quotedAt(frame, 3);
    if (!answered || *answered != uniqueId)
        return Answer::None;
    if (frame.startsWith(u"[3,"))
        return Answer::Result;
    if (frame.startsWith(u"[4,"))
        return Answer::Error;
    return Answer::None;
}

} // namespace linkray::bench
