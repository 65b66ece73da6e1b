#pragma once

#include "storage/statisticsrepository.h"

#include <QDate>
#include <QList>
#include <QMap>
#include <QTimeZone>

// The arithmetic of /api/v1/stats (docs/api.md) and of the touch view's history: energy per local day and average
// power per bucket, from what storage holds. Pure (no database, no clock) but for the two stored* readers at the end.
namespace linkray::web {

struct ChargePointDay {
    qint64 energyWh = 0;
    int transactions = 0;
};

struct DayTotals {
    QDate date;
    qint64 energyWh = 0; // the sum of the charge points' rounded energies
    int transactions = 0;
    QMap<QString, ChargePointDay> chargePoints; // only those with a transaction or energy that day
};

// Every day of [from, to] in `zone`, zeros included. A transaction counts on the day it started; its energy is
// spread between its readings (start, register samples, stop) in proportion to time, split at local midnight;
// without samples its whole energy goes to its start day. A register that goes down counts nothing.
QList<DayTotals> dailyTotals(const QDate& from, const QDate& to, const QTimeZone& zone,
    const QList<storage::TransactionSpan>& transactions, const QList<storage::EnergyReading>& readings);

using PowerPoint = QPair<qint64, qint64>; // bucket start (ms since the epoch), average watts

struct PowerDay {
    QList<PowerPoint> site; // per bucket, the sum of the charge points that have a value in it
    QMap<QString, QList<PowerPoint>> chargePoints;
    QMap<QPair<QString, int>, QList<PowerPoint>> connectors; // (charge point, connector) → its own curve
};

// Average power per bucket of [dayStart, dayEnd), from readings taken in it. Per connector: the mean of its power
// samples, or, when it sends none, the energy register's increase over time between consecutive readings at most
// kMaxDerivedGapMs apart. A charge point is the sum of its connectors (connector 0 only when no other connector
// reported). Buckets without data are left out.
PowerDay powerBuckets(const QDateTime& dayStart, const QDateTime& dayEnd, int bucketSeconds,
    const QList<storage::ConnectorReading>& readings);

inline constexpr qint64 kMaxDerivedGapMs = 60 * 60 * 1000;

// The same figures with their inputs read from storage, so that every view of them (the web app's statistics, the
// touch view's history) shows the same numbers. An empty charge point id means all of them.
QDateTime localMidnight(const QDate& day, const QTimeZone& zone);
QList<DayTotals> storedDailyTotals(
    storage::Database& db, const QDate& from, const QDate& to, const QTimeZone& zone, const QString& chargePointId);
PowerDay storedPowerOfDay(
    storage::Database& db, const QDate& day, const QTimeZone& zone, int bucketSeconds, const QString& chargePointId);

} // namespace linkray::web
