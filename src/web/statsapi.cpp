#include "web/statsapi.h"

#include "web/statistics.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace linkray::web {

namespace {

constexpr int kMaxChargePointIdLength = 100;

// A query item as a calendar date YYYY-MM-DD; required.
std::optional<ApiResponse> readQueryDate(const ApiRequest& request, const QString& name, QDate& out)
{
    static const QRegularExpression dateShape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QString text = request.queryItem(name);
    out = QDate::fromString(text, Qt::ISODate);
    if (!dateShape.match(text).hasMatch() || !out.isValid())
        return errorResponse(400, QStringLiteral("must be a date YYYY-MM-DD"), name);
    return std::nullopt;
}

QJsonArray pointsJson(const QList<PowerPoint>& points)
{
    QJsonArray array;
    for (const auto& [epochMs, watts] : points)
        array.append(QJsonArray {epochMs, watts});
    return array;
}

} // namespace

StatsApi::StatsApi(storage::Database& db, QTimeZone zone)
    : m_db(db)
    , m_zone(std::move(zone))
{
}

void StatsApi::addRoutes(Router& router)
{
    router.add("GET", QStringLiteral("/api/v1/stats/daily"), Access::needs(Permission::Read),
        [this](const ApiRequest& request) { return daily(request); });
    router.add("GET", QStringLiteral("/api/v1/stats/power"), Access::needs(Permission::Read),
        [this](const ApiRequest& request) { return power(request); });
}

ApiResponse StatsApi::daily(const ApiRequest& request)
{
    QDate from;
    QDate to;
    QString chargePoint;
    if (auto error = readQueryDate(request, QStringLiteral("from"), from))
        return *error;
    if (auto error = readQueryDate(request, QStringLiteral("to"), to))
        return *error;
    if (to < from || from.daysTo(to) >= kMaxStatsDays) {
        return errorResponse(400,
            QStringLiteral("must be from the day of `from` to %1 days after it").arg(kMaxStatsDays - 1),
            QStringLiteral("to"));
    }
    if (auto error = readQueryText(request, QStringLiteral("chargePoint"), kMaxChargePointIdLength, chargePoint))
        return *error;
    const QList<DayTotals> totals = storedDailyTotals(m_db, from, to, m_zone, chargePoint);
    QJsonArray days;
    for (const DayTotals& day : totals) {
        QJsonArray chargePoints;
        for (auto entry = day.chargePoints.cbegin(); entry != day.chargePoints.cend(); ++entry) {
            chargePoints.append(
                QJsonObject {{QStringLiteral("id"), entry.key()}, {QStringLiteral("energyWh"), entry.value().energyWh},
                    {QStringLiteral("transactions"), entry.value().transactions}});
        }
        days.append(QJsonObject {{QStringLiteral("date"), day.date.toString(Qt::ISODate)},
            {QStringLiteral("energyWh"), day.energyWh}, {QStringLiteral("transactions"), day.transactions},
            {QStringLiteral("chargePoints"), chargePoints}});
    }
    return jsonResponse(
        {{QStringLiteral("from"), from.toString(Qt::ISODate)}, {QStringLiteral("to"), to.toString(Qt::ISODate)},
            {QStringLiteral("timeZone"), QString::fromUtf8(m_zone.id())}, {QStringLiteral("days"), days}});
}

ApiResponse StatsApi::power(const ApiRequest& request)
{
    QDate date;
    QString chargePoint;
    if (auto error = readQueryDate(request, QStringLiteral("date"), date))
        return *error;
    if (auto error = readQueryText(request, QStringLiteral("chargePoint"), kMaxChargePointIdLength, chargePoint))
        return *error;
    const PowerDay day = storedPowerOfDay(m_db, date, m_zone, kPowerBucketSeconds, chargePoint);
    QJsonArray chargePoints;
    for (auto entry = day.chargePoints.cbegin(); entry != day.chargePoints.cend(); ++entry) {
        chargePoints.append(
            QJsonObject {{QStringLiteral("id"), entry.key()}, {QStringLiteral("points"), pointsJson(entry.value())}});
    }
    return jsonResponse({{QStringLiteral("date"), date.toString(Qt::ISODate)},
        {QStringLiteral("timeZone"), QString::fromUtf8(m_zone.id())},
        {QStringLiteral("bucketSeconds"), kPowerBucketSeconds}, {QStringLiteral("site"), pointsJson(day.site)},
        {QStringLiteral("chargePoints"), chargePoints}});
}

} // namespace linkray::web
