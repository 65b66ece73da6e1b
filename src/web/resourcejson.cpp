#include "web/resourcejson.h"

#include "storage/chargepointrepository.h"
#include "web/apimessage.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <utility>

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

// A charge point connected now but not stored yet: only its id.
storage::ChargePointRecord unstoredChargePoint(const QString& id)
{
    return storage::ChargePointRecord {id, {}, {}, {}, {}, {}, {}, {}, 0, true};
}

QJsonObject chargePointObject(const storage::ChargePointRecord& record,
    const QList<storage::ConnectorRecord>& connectorRecords, const std::optional<storage::AppliedLimit>& limit,
    bool connected)
{
    QJsonArray connectors;
    for (const auto& connector : connectorRecords)
        connectors.append(connectorJson(connector));
    return QJsonObject {
        {QStringLiteral("id"), record.id},
        {QStringLiteral("connected"), connected},
        {QStringLiteral("vendor"), record.vendor},
        {QStringLiteral("model"), record.model},
        {QStringLiteral("serialNumber"), record.serialNumber},
        {QStringLiteral("firmwareVersion"), record.firmwareVersion},
        {QStringLiteral("bootStatus"), record.bootStatus},
        {QStringLiteral("lastBootAt"), optionalTime(record.lastBootAt)},
        {QStringLiteral("lastSeenAt"), optionalTime(record.lastSeenAt)},
        {QStringLiteral("connectors"), connectors},
        {QStringLiteral("appliedLimit"), appliedLimitJson(limit)},
    };
}

} // namespace

QJsonObject chargePointJson(storage::Database& db, const QString& id, const QStringList& connectedIds)
{
    const storage::ChargePointRepository repository(db);
    return chargePointObject(repository.find(id).value_or(unstoredChargePoint(id)), repository.connectors(id),
        repository.appliedLimit(id), connectedIds.contains(id));
}

QList<QJsonObject> allChargePointsJson(storage::Database& db, const QStringList& connectedIds)
{
    const storage::ChargePointRepository repository(db);
    const QSet<QString> connected(connectedIds.cbegin(), connectedIds.cend()); // all of them, at a large site
    QMap<QString, storage::ChargePointRecord> records; // sorted by id
    for (const auto& record : repository.list())
        records.insert(record.id, record);
    for (const QString& id : connected) {
        if (!records.contains(id))
            records.insert(id, unstoredChargePoint(id));
    }
    QHash<QString, QList<storage::ConnectorRecord>> connectors;
    for (const auto& connector : repository.allConnectors())
        connectors[connector.chargePointId].append(connector);
    const auto limits = repository.appliedLimits();
    QList<QJsonObject> chargePoints;
    chargePoints.reserve(records.size());
    for (const auto& record : std::as_const(records)) {
        const auto limit = limits.constFind(record.id);
        chargePoints.append(chargePointObject(record, connectors.value(record.id),
            limit == limits.cend() ? std::nullopt : std::optional(limit.value()), connected.contains(record.id)));
    }
    return chargePoints;
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
