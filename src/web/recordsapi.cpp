#include "web/recordsapi.h"

#include "storage/eventrepository.h"
#include "storage/messagelogrepository.h"
#include "storage/metervaluerepository.h"
#include "storage/transactionrepository.h"
#include "web/csv.h"
#include "web/resourcejson.h"

#include <QJsonArray>

namespace linkray::web {

namespace {

constexpr int kMaxPageSize = 1000;
constexpr int kMaxFilterLength = 100;

QByteArray transactionsCsv(const QList<storage::TransactionRecord>& records)
{
    const auto number = [](const std::optional<qint64>& value) { return value ? QString::number(*value) : QString(); };
    QByteArray csv = csvRow(
        {QStringLiteral("id"), QStringLiteral("chargePointId"), QStringLiteral("connectorId"), QStringLiteral("idTag"),
            QStringLiteral("startedAt"), QStringLiteral("stoppedAt"), QStringLiteral("meterStartWh"),
            QStringLiteral("meterStopWh"), QStringLiteral("energyWh"), QStringLiteral("stopReason")});
    for (const auto& record : records) {
        csv += csvRow({QString::number(record.id), record.chargePointId, QString::number(record.connectorId),
            record.idTag, timeText(record.startedAt), record.stoppedAt ? timeText(*record.stoppedAt) : QString(),
            QString::number(record.meterStartWh), number(record.meterStopWh), number(transactionEnergyWh(record)),
            record.stopReason});
    }
    return csv;
}

QJsonObject meterSampleJson(const storage::MeterSample& sample)
{
    return QJsonObject {
        {QStringLiteral("timestamp"), timeText(sample.timestamp)},
        {QStringLiteral("connectorId"), sample.connectorId},
        {QStringLiteral("measurand"), sample.measurand},
        {QStringLiteral("phase"), sample.phase},
        {QStringLiteral("unit"), sample.unit},
        {QStringLiteral("context"), sample.context},
        {QStringLiteral("location"), sample.location},
        {QStringLiteral("value"), sample.value ? QJsonValue(*sample.value) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rawValue"), sample.rawValue},
    };
}

} // namespace

RecordsApi::RecordsApi(storage::Database& db, const WebServices& services)
    : m_db(db)
    , m_services(services)
{
}

void RecordsApi::addRoutes(Router& router)
{
    const auto bind = [this](ApiResponse (RecordsApi::*method)(const ApiRequest&)) {
        return [this, method](const ApiRequest& request) { return (this->*method)(request); };
    };
    const Access readers = Access::needs(Permission::Read);
    router.add("GET", QStringLiteral("/api/v1/transactions"), readers, bind(&RecordsApi::transactions));
    router.add("GET", QStringLiteral("/api/v1/transactions/{id}"), readers, bind(&RecordsApi::transaction));
    router.add("GET", QStringLiteral("/api/v1/events"), readers, bind(&RecordsApi::events));
    router.add("GET", QStringLiteral("/api/v1/message-log"), readers, bind(&RecordsApi::messageLog));
    router.add("GET", QStringLiteral("/api/v1/site"), readers, bind(&RecordsApi::site));
}

ApiResponse RecordsApi::transactions(const ApiRequest& request)
{
    storage::TransactionFilter filter;
    bool csv = false;
    if (auto error = readFormat(request, csv))
        return *error;
    if (auto error = readQueryText(request, QStringLiteral("chargePoint"), kMaxFilterLength, filter.chargePointId))
        return *error;
    if (auto error = readQueryText(request, QStringLiteral("idTag"), kMaxFilterLength, filter.idTag))
        return *error;
    if (auto error = readQueryTime(request, QStringLiteral("from"), filter.startedFrom))
        return *error;
    if (auto error = readQueryTime(request, QStringLiteral("to"), filter.startedBefore))
        return *error;
    if (auto error = readQueryInt(request, QStringLiteral("limit"), 1, kMaxPageSize, 100, filter.limit))
        return *error;
    if (auto error
        = readQueryInt(request, QStringLiteral("offset"), 0, std::numeric_limits<int>::max(), 0, filter.offset))
        return *error;
    const auto records = storage::TransactionRepository(m_db).search(filter);
    if (csv)
        return ApiResponse {200, "text/csv; charset=utf-8", transactionsCsv(records), {}};
    QJsonArray items;
    for (const auto& record : records)
        items.append(transactionJson(record));
    return jsonResponse({{QStringLiteral("transactions"), items}, {QStringLiteral("limit"), filter.limit},
        {QStringLiteral("offset"), filter.offset}});
}

ApiResponse RecordsApi::transaction(const ApiRequest& request)
{
    bool ok = false;
    const qint64 id = request.param(QStringLiteral("id")).toLongLong(&ok);
    if (!ok || id < 1)
        return errorResponse(400, QStringLiteral("must be a positive integer"), QStringLiteral("id"));
    const auto record = storage::TransactionRepository(m_db).find(id);
    if (!record)
        return errorResponse(404, QStringLiteral("no such transaction"), QStringLiteral("id"));
    QJsonArray samples;
    for (const auto& sample : storage::MeterValueRepository(m_db).forTransaction(id))
        samples.append(meterSampleJson(sample));
    QJsonObject object = transactionJson(*record);
    object.insert(QStringLiteral("meterValues"), samples);
    return jsonResponse(object);
}

ApiResponse RecordsApi::events(const ApiRequest& request)
{
    QString chargePoint;
    QString kind;
    int limit = 0;
    if (auto error = readQueryText(request, QStringLiteral("chargePoint"), kMaxFilterLength, chargePoint))
        return *error;
    if (auto error = readQueryText(request, QStringLiteral("kind"), kMaxFilterLength, kind))
        return *error;
    if (auto error = readQueryInt(request, QStringLiteral("limit"), 1, kMaxPageSize, 200, limit))
        return *error;
    QJsonArray items;
    for (const auto& event : storage::EventRepository(m_db).recent(chargePoint, limit, kind))
        items.append(eventJson(event));
    return jsonResponse({{QStringLiteral("events"), items}});
}

ApiResponse RecordsApi::messageLog(const ApiRequest& request)
{
    QString chargePoint;
    QString action;
    int limit = 0;
    if (auto error = readQueryText(request, QStringLiteral("chargePoint"), kMaxFilterLength, chargePoint))
        return *error;
    if (auto error = readQueryText(request, QStringLiteral("action"), kMaxFilterLength, action))
        return *error;
    if (auto error = readQueryInt(request, QStringLiteral("limit"), 1, kMaxPageSize, 200, limit))
        return *error;
    // Reading only: the bound on the log's size matters to the writer alone.
    const storage::MessageLogRepository log(m_db, 0);
    QJsonArray items;
    for (const auto& entry : log.recent(chargePoint, limit, action)) {
        items.append(QJsonObject {{QStringLiteral("id"), entry.id}, {QStringLiteral("at"), timeText(entry.at)},
            {QStringLiteral("chargePointId"), entry.chargePointId}, {QStringLiteral("direction"), entry.direction},
            {QStringLiteral("messageType"), entry.messageType}, {QStringLiteral("uniqueId"), entry.uniqueId},
            {QStringLiteral("action"), entry.action}, {QStringLiteral("sizeBytes"), entry.sizeBytes}});
    }
    return jsonResponse({{QStringLiteral("messages"), items}});
}

ApiResponse RecordsApi::site(const ApiRequest&)
{
    if (!m_services.siteStatus)
        return errorResponse(503, QStringLiteral("the site status is not available"));
    return jsonResponse(m_services.siteStatus());
}

} // namespace linkray::web
