#include "web/statistics.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <functional>

namespace linkray::web {

namespace {

using storage::ConnectorReading;

struct Reading {
    QDateTime at;
    double wh = 0;
};

// Adds `energyWh`, spent evenly over [from, to], to the local days it falls on.
void spreadOverDays(const QDateTime& from, const QDateTime& to, double energyWh, const QTimeZone& zone,
    const std::function<void(const QDate&, double)>& add)
{
    const qint64 spanMs = from.msecsTo(to);
    if (spanMs <= 0) {
        add(from.toTimeZone(zone).date(), energyWh);
        return;
    }
    QDateTime segmentStart = from;
    while (segmentStart < to) {
        const QDate day = segmentStart.toTimeZone(zone).date();
        const QDateTime nextMidnight = QDateTime(day.addDays(1), QTime(0, 0), zone);
        const QDateTime segmentEnd = std::min(nextMidnight, to);
        add(day, energyWh * static_cast<double>(segmentStart.msecsTo(segmentEnd)) / static_cast<double>(spanMs));
        segmentStart = segmentEnd;
    }
}

QList<Reading> readingsOf(const storage::TransactionSpan& transaction, const QList<storage::EnergyReading>& samples)
{
    QList<Reading> readings {{transaction.startedAt, static_cast<double>(transaction.meterStartWh)}};
    for (const auto& sample : samples)
        readings.append({sample.timestamp, sample.wh});
    if (transaction.stoppedAt && transaction.meterStopWh)
        readings.append({*transaction.stoppedAt, static_cast<double>(*transaction.meterStopWh)});
    std::stable_sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) { return a.at < b.at; });
    return readings;
}

// Per bucket index: a sum and what it is divided by (samples, or milliseconds covered).
struct Accumulator {
    double sum = 0;
    double weight = 0;
};

using Buckets = QMap<qint64, Accumulator>;

void addPowerSamples(
    const QList<const ConnectorReading*>& readings, const QDateTime& dayStart, qint64 bucketMs, Buckets& buckets)
{
    for (const ConnectorReading* reading : readings) {
        Accumulator& bucket = buckets[dayStart.msecsTo(reading->timestamp) / bucketMs];
        bucket.sum += reading->value;
        bucket.weight += 1;
    }
}

// The register's increase between consecutive readings, spent evenly over the time between them: each bucket gets
// the energy of the time it covers, and its average power is that energy over that time.
void addDerivedPower(
    const QList<const ConnectorReading*>& readings, const QDateTime& dayStart, qint64 bucketMs, Buckets& buckets)
{
    for (qsizetype i = 1; i < readings.size(); ++i) {
        const qint64 fromMs = dayStart.msecsTo(readings[i - 1]->timestamp);
        const qint64 toMs = dayStart.msecsTo(readings[i]->timestamp);
        const double increaseWh = readings[i]->value - readings[i - 1]->value;
        if (toMs <= fromMs || toMs - fromMs > kMaxDerivedGapMs || increaseWh < 0)
            continue;
        const double watts = increaseWh * 3600.0 * 1000.0 / static_cast<double>(toMs - fromMs);
        for (qint64 segmentStart = fromMs; segmentStart < toMs;) {
            const qint64 index = segmentStart / bucketMs;
            const qint64 segmentEnd = std::min(toMs, (index + 1) * bucketMs);
            Accumulator& bucket = buckets[index];
            bucket.sum += watts * static_cast<double>(segmentEnd - segmentStart);
            bucket.weight += static_cast<double>(segmentEnd - segmentStart);
            segmentStart = segmentEnd;
        }
    }
}

Buckets connectorBuckets(const QList<const ConnectorReading*>& readings, const QDateTime& dayStart, qint64 bucketMs)
{
    QList<const ConnectorReading*> power;
    QList<const ConnectorReading*> energy;
    for (const ConnectorReading* reading : readings)
        (reading->kind == ConnectorReading::Kind::PowerW ? power : energy).append(reading);
    Buckets buckets;
    if (!power.isEmpty())
        addPowerSamples(power, dayStart, bucketMs, buckets);
    else
        addDerivedPower(energy, dayStart, bucketMs, buckets);
    return buckets;
}

QList<PowerPoint> pointsOf(const QMap<qint64, double>& watts, const QDateTime& dayStart, qint64 bucketMs)
{
    QList<PowerPoint> points;
    for (auto bucket = watts.cbegin(); bucket != watts.cend(); ++bucket)
        points.append({dayStart.toMSecsSinceEpoch() + bucket.key() * bucketMs, std::llround(bucket.value())});
    return points;
}

} // namespace

QList<DayTotals> dailyTotals(const QDate& from, const QDate& to, const QTimeZone& zone,
    const QList<storage::TransactionSpan>& transactions, const QList<storage::EnergyReading>& readings)
{
    QList<DayTotals> days;
    for (QDate day = from; day <= to; day = day.addDays(1))
        days.append(DayTotals {day, 0, 0, {}});
    QHash<qint64, QList<storage::EnergyReading>> readingsByTransaction;
    for (const auto& reading : readings)
        readingsByTransaction[reading.transactionId].append(reading);

    QMap<QPair<qint64, QString>, double> energy; // (day index, charge point) → Wh, rounded at the end
    const auto dayIndex = [&from, &to](const QDate& day) { return day < from || day > to ? -1 : from.daysTo(day); };
    for (const auto& transaction : transactions) {
        const qint64 startDay = dayIndex(transaction.startedAt.toTimeZone(zone).date());
        if (startDay >= 0) {
            ChargePointDay& chargePoint = days[startDay].chargePoints[transaction.chargePointId];
            ++chargePoint.transactions;
            ++days[startDay].transactions;
        }
        const auto add = [&](const QDate& day, double wh) {
            if (const qint64 index = dayIndex(day); index >= 0)
                energy[{index, transaction.chargePointId}] += wh;
        };
        const QList<storage::EnergyReading> samples = readingsByTransaction.value(transaction.id);
        if (samples.isEmpty()) {
            if (transaction.meterStopWh && *transaction.meterStopWh > transaction.meterStartWh)
                add(transaction.startedAt.toTimeZone(zone).date(),
                    static_cast<double>(*transaction.meterStopWh - transaction.meterStartWh));
            continue;
        }
        const QList<Reading> points = readingsOf(transaction, samples);
        for (qsizetype i = 1; i < points.size(); ++i) {
            if (points[i].wh > points[i - 1].wh)
                spreadOverDays(points[i - 1].at, points[i].at, points[i].wh - points[i - 1].wh, zone, add);
        }
    }
    for (auto entry = energy.cbegin(); entry != energy.cend(); ++entry) {
        const qint64 wh = std::llround(entry.value());
        if (wh == 0)
            continue;
        DayTotals& day = days[entry.key().first];
        day.chargePoints[entry.key().second].energyWh += wh;
        day.energyWh += wh;
    }
    return days;
}

PowerDay powerBuckets(const QDateTime& dayStart, const QDateTime& dayEnd, int bucketSeconds,
    const QList<storage::ConnectorReading>& readings)
{
    const qint64 bucketMs = static_cast<qint64>(bucketSeconds) * 1000;
    QMap<QString, QMap<int, QList<const ConnectorReading*>>> byConnector;
    for (const ConnectorReading& reading : readings) {
        if (reading.timestamp >= dayStart && reading.timestamp < dayEnd)
            byConnector[reading.chargePointId][reading.connectorId].append(&reading);
    }
    PowerDay day;
    QMap<qint64, double> site;
    for (auto chargePoint = byConnector.cbegin(); chargePoint != byConnector.cend(); ++chargePoint) {
        const bool hasOutlets = chargePoint.value().size() > 1 || !chargePoint.value().contains(0);
        QMap<qint64, double> watts;
        for (auto connector = chargePoint.value().cbegin(); connector != chargePoint.value().cend(); ++connector) {
            if (hasOutlets && connector.key() == 0)
                continue;
            const Buckets buckets = connectorBuckets(connector.value(), dayStart, bucketMs);
            QMap<qint64, double> connectorWatts;
            for (auto bucket = buckets.cbegin(); bucket != buckets.cend(); ++bucket) {
                connectorWatts[bucket.key()] = bucket.value().sum / bucket.value().weight;
                watts[bucket.key()] += connectorWatts[bucket.key()];
            }
            if (!connectorWatts.isEmpty())
                day.connectors.insert(
                    {chargePoint.key(), connector.key()}, pointsOf(connectorWatts, dayStart, bucketMs));
        }
        if (watts.isEmpty())
            continue;
        for (auto bucket = watts.cbegin(); bucket != watts.cend(); ++bucket)
            site[bucket.key()] += bucket.value();
        day.chargePoints.insert(chargePoint.key(), pointsOf(watts, dayStart, bucketMs));
    }
    day.site = pointsOf(site, dayStart, bucketMs);
    return day;
}

QDateTime localMidnight(const QDate& day, const QTimeZone& zone)
{
    return QDateTime(day, QTime(0, 0), zone).toUTC();
}

QList<DayTotals> storedDailyTotals(
    storage::Database& db, const QDate& from, const QDate& to, const QTimeZone& zone, const QString& chargePointId)
{
    const QDateTime start = localMidnight(from, zone);
    const QDateTime end = localMidnight(to.addDays(1), zone);
    const storage::StatisticsRepository repository(db);
    return dailyTotals(from, to, zone, repository.transactionsOverlapping(start, end, chargePointId),
        repository.energyReadingsOverlapping(start, end, chargePointId));
}

PowerDay storedPowerOfDay(
    storage::Database& db, const QDate& day, const QTimeZone& zone, int bucketSeconds, const QString& chargePointId)
{
    const QDateTime start = localMidnight(day, zone);
    const QDateTime end = localMidnight(day.addDays(1), zone);
    return powerBuckets(
        start, end, bucketSeconds, storage::StatisticsRepository(db).connectorReadings(start, end, chargePointId));
}

} // namespace linkray::web
