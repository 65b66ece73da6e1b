#include "web/resourcejson.h"

#include "storage/chargepointrepository.h"
#include "web/apimessage.h"

#include <QJsonArray>

#include <algorithm>

namespace linkray::web {

namespace {

QJsonValue optionalNumber(const std::optional<qint64>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject connectorJson(const storage::ConnectorRecord& connector)
{
    return QJsonObject {{QStringLiteral("connectorId"), connector.connectorId},
        {QStringLiteral("status"), connector.status}, {QStringLiteral("errorCode"), connector.errorCode},
        {QStringLiteral("info"), connector.info}, {QStringLiteral("vendorErrorCode"), connector.vendorErrorCode},
        {QStringLiteral("updatedAt"), timeText(connector.updatedAt)}};
}

QJsonValue appliedLimitJson(const std::optional<storage::AppliedLimit>& limit)
{
    if (!limit)
        return QJsonValue::Null;
    return QJsonObject {{QStringLiteral("limit"), limit->limit}, {QStringLiteral("unit"), limit->unit},
        {QStringLiteral("numberPhases"), limit->numberPhases}};
}

} // namespace

QStringList knownChargePointIds(storage::Database& db, const QStringList& connectedIds)
{
    QStringList ids;
    for (const auto& record : storage::ChargePointRepository(db).list())
        ids.append(record.id);
    for (const QString& id : connectedIds) {
        if (!ids.contains(id))
            ids.append(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QJsonObject chargePointJson(storage::Database& db, const QString& id, const QStringList& connectedIds)
{
    const storage::ChargePointRepository repository(db);
    const auto record
        = repository.find(id).value_or(storage::ChargePointRecord {id, {}, {}, {}, {}, {}, {}, {}, 0, true});
    QJsonArray connectors;
    for (const auto& connector : repository.connectors(id))
        connectors.append(connectorJson(connector));
    const auto limits = repository.appliedLimits();
    const auto limit = limits.constFind(id);
    return QJsonObject {
        {QStringLiteral("id"), id},
        {QStringLiteral("connected"), connectedIds.contains(id)},
        {QStringLiteral("vendor"), record.vendor},
        {QStringLiteral("model"), record.model},
        {QStringLiteral("serialNumber"), record.serialNumber},
        {QStringLiteral("firmwareVersion"), record.firmwareVersion},
        {QStringLiteral("bootStatus"), record.bootStatus},
        {QStringLiteral("lastBootAt"), optionalTime(record.lastBootAt)},
        {QStringLiteral("lastSeenAt"), optionalTime(record.lastSeenAt)},
        {QStringLiteral("connectors"), connectors},
        {QStringLiteral("appliedLimit"),
            appliedLimitJson(limit == limits.cend() ? std::nullopt : std::optional(limit.value()))},
    };
}

std::optional<qint64> transactionEnergyWh(const storage::TransactionRecord& record)
{
    if (!record.meterStopWh)
        return std::nullopt;
    return *record.meterStopWh - record.meterStartWh;
}

QJsonObject transactionJson(const storage::TransactionRecord& record)
{
    return QJsonObject {
        {QStringLiteral("id"), record.id},
        {QStringLiteral("chargePointId"), record.chargePointId},
        {QStringLiteral("connectorId"), record.connectorId},
        {QStringLiteral("idTag"), record.idTag},
        {QStringLiteral("active"), record.active()},
        {QStringLiteral("startedAt"), timeText(record.startedAt)},
        {QStringLiteral("stoppedAt"), optionalTime(record.stoppedAt)},
        {QStringLiteral("meterStartWh"), record.meterStartWh},
        {QStringLiteral("meterStopWh"), optionalNumber(record.meterStopWh)},
        {QStringLiteral("energyWh"), optionalNumber(transactionEnergyWh(record))},
        {QStringLiteral("reservationId"), optionalNumber(record.reservationId)},
        {QStringLiteral("stopIdTag"), record.stopIdTag},
        {QStringLiteral("stopReason"), record.stopReason},
        {QStringLiteral("csmsTransactionId"), optionalNumber(record.csmsTransactionId)},
        {QStringLiteral("chargerTransactionId"), record.chargerTransactionId()},
    };
}

QJsonObject eventJson(const storage::EventRecord& event)
{
    return QJsonObject {{QStringLiteral("id"), event.id}, {QStringLiteral("at"), timeText(event.at)},
        {QStringLiteral("chargePointId"), event.chargePointId}, {QStringLiteral("kind"), event.kind},
        {QStringLiteral("details"), event.details}};
}

} // namespace linkray::web
