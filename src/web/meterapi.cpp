#include "web/meterapi.h"

#include "meter/singleread.h"
#include "web/configapi.h"
#include "web/configsecrets.h"
#include "web/logging.h"

#include <QJsonArray>

namespace linkray::web {

namespace {

QJsonValue optionalNumber(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonArray phaseValues(const std::array<std::optional<double>, 3>& values)
{
    return {optionalNumber(values[0]), optionalNumber(values[1]), optionalNumber(values[2])};
}

QJsonObject readingJson(const meter::MeterReading& reading)
{
    return {
        {QStringLiteral("voltageV"), phaseValues(reading.voltageV)},
        {QStringLiteral("currentA"), phaseValues(reading.currentA)},
        {QStringLiteral("powerW"), phaseValues(reading.powerW)},
        {QStringLiteral("totalPowerW"), optionalNumber(reading.totalPowerW)},
        {QStringLiteral("importedWh"), optionalNumber(reading.importedWh)},
        {QStringLiteral("exportedWh"), optionalNumber(reading.exportedWh)},
        {QStringLiteral("at"), timeText(reading.timestamp)},
    };
}

ApiResponse outcomeResponse(const meter::SingleRead::Outcome& outcome)
{
    if (const auto* reason = std::get_if<QString>(&outcome))
        return errorResponse(502, QStringLiteral("the meter gave no reading: %1").arg(*reason));
    return jsonResponse({{QStringLiteral("reading"), readingJson(std::get<meter::MeterReading>(outcome))}});
}

} // namespace

MeterApi::MeterApi(const WebServices& services)
    : m_services(services)
{
}

MeterApi::~MeterApi() = default;

void MeterApi::addRoutes(Router& router)
{
    router.addDeferred("POST", QStringLiteral("/api/v1/meter/test-read"), Access::needs(Permission::Administer),
        [this](const ApiRequest& request, const Reply& reply) { testRead(request, reply); });
}

void MeterApi::testRead(const ApiRequest& request, const Reply& reply)
{
    if (!m_services.testMeter || !m_services.currentConfig) {
        reply(errorResponse(503, QStringLiteral("the meter cannot be read from here now")));
        return;
    }
    if (m_read) {
        reply(errorResponse(409, QStringLiteral("a test read is already running")));
        return;
    }
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body)) {
        reply(*error);
        return;
    }
    const QJsonObject& meterSection = std::get<QJsonObject>(body);
    const QJsonValue type = meterSection.value(QStringLiteral("type"));
    if (type.isUndefined() || type == QJsonValue(QStringLiteral("none"))) {
        reply(errorResponse(
            400, QStringLiteral("the meter type \"none\" has nothing to read"), QStringLiteral("meter.type")));
        return;
    }
    // The settings are tried within the current configuration, so that they are validated exactly as a save would
    // validate them and a "********" password means the saved one.
    const QJsonObject current = m_services.currentConfig();
    QJsonObject config = current;
    config.insert(QStringLiteral("meter"), meterSection);
    const auto restored = restoreSecrets(config, current);
    if (const auto* error = std::get_if<SecretError>(&restored)) {
        reply(errorResponse(400, error->reason, error->path));
        return;
    }
    TestMeter testMeter = m_services.testMeter(std::get<QJsonObject>(restored), kMeterTestReadTimeoutMs);
    if (!testMeter.driver) {
        reply(configRefused(testMeter.fieldErrors));
        return;
    }
    qCInfo(lcWeb).noquote() << request.session->userName << "reads a meter of type" << type.toString() << "once";
    m_read = std::make_unique<meter::SingleRead>(
        std::move(testMeter.driver), [this, reply](const meter::SingleRead::Outcome& outcome) {
            // Deleted later: this runs inside a signal of the driver that m_read owns.
            m_read.release()->deleteLater();
            reply(outcomeResponse(outcome));
        });
    m_read->start();
}

} // namespace linkray::web
