#include "storage/chargepointrepository.h"
#include "storage/metervaluerepository.h"
#include "storage/statisticsrepository.h"
#include "storage/transactionrepository.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

QDateTime at(int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 3, 1), QTime(hour, minute), Qt::UTC);
}

MeterSample sampleOf(const QString& chargePointId, std::optional<qint64> transactionId, const QDateTime& time,
    const QString& measurand, const QString& unit, double value, const QString& phase = {})
{
    MeterSample sample;
    sample.chargePointId = chargePointId;
    sample.connectorId = 1;
    sample.transactionId = transactionId;
    sample.timestamp = time;
    sample.measurand = measurand;
    sample.unit = unit;
    sample.phase = phase;
    sample.location = QStringLiteral("Outlet");
    sample.rawValue = QString::number(value);
    sample.value = value;
    return sample;
}

const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");
const QString energy = QStringLiteral("Energy.Active.Import.Register");
const QString power = QStringLiteral("Power.Active.Import");

} // namespace

// The statistics queries: which transactions and readings a range sees, in Wh and W.
class TestStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { m_store.reset(); }

    void transactionsOverlappingTheRange();
    void energyReadingsOfThoseTransactionsInWh();
    void connectorReadingsOfTheRange();
    void latestEnergyOfActiveTransactions();

private:
    qint64 start(const QString& chargePointId, const QDateTime& time, std::optional<QDateTime> stop = {});

    std::unique_ptr<TestDatabase> m_store;
    qint64 m_early = 0; // CP-1 08:00–09:00
    qint64 m_late = 0; // CP-2 11:00–13:00
    qint64 m_active = 0; // CP-1 from 12:00
};

qint64 TestStatistics::start(const QString& chargePointId, const QDateTime& time, std::optional<QDateTime> stop)
{
    TransactionRepository transactions(m_store->db);
    TransactionRecord record;
    record.chargePointId = chargePointId;
    record.connectorId = 1;
    record.idTag = QStringLiteral("TAG");
    record.meterStartWh = 1000;
    record.startedAt = time;
    const auto id = transactions.start(record);
    if (!id)
        qFatal("cannot start a transaction");
    if (stop && !transactions.stop(*id, 2000, *stop, {}, QStringLiteral("Local")))
        qFatal("cannot stop a transaction");
    return *id;
}

void TestStatistics::init()
{
    m_store = std::make_unique<TestDatabase>();
    QVERIFY(!m_store->openError);
    m_early = start(cp1, at(8), at(9));
    m_late = start(cp2, at(11), at(13));
    m_active = start(cp1, at(12));
    QVERIFY(MeterValueRepository(m_store->db)
                .append({
                    sampleOf(cp1, m_early, at(8, 30), energy, QStringLiteral("Wh"), 1500),
                    sampleOf(cp1, m_early, at(8, 30), energy, QStringLiteral("Wh"), 500, QStringLiteral("L1")),
                    sampleOf(cp1, m_early, at(8, 30), power, QStringLiteral("kW"), 1.5),
                    sampleOf(cp2, m_late, at(12), energy, QStringLiteral("kWh"), 1.25),
                    sampleOf(cp1, m_active, at(12, 10), energy, QStringLiteral("Wh"), 1100),
                    sampleOf(cp1, m_active, at(12, 20), energy, QStringLiteral("Wh"), 1300),
                    sampleOf(cp1, std::nullopt, at(14), energy, QStringLiteral("Wh"), 7000),
                }));
}

void TestStatistics::transactionsOverlappingTheRange()
{
    const StatisticsRepository statistics(m_store->db);
    const auto idsOf = [](const QList<TransactionSpan>& spans) {
        QList<qint64> ids;
        for (const auto& span : spans)
            ids.append(span.id);
        return ids;
    };
    QCOMPARE(idsOf(statistics.transactionsOverlapping(at(0), at(0).addDays(1), {})),
        QList<qint64>({m_early, m_late, m_active}));
    // Started before the range but still charging in it; stopped before it: left out.
    QCOMPARE(
        idsOf(statistics.transactionsOverlapping(at(10), at(0).addDays(1), {})), QList<qint64>({m_late, m_active}));
    QCOMPARE(idsOf(statistics.transactionsOverlapping(at(12, 30), at(0).addDays(1), cp1)), QList<qint64>({m_active}));
    QCOMPARE(idsOf(statistics.transactionsOverlapping(at(0), at(8), {})), QList<qint64>());
    const TransactionSpan early = statistics.transactionsOverlapping(at(0), at(10), {}).first();
    QCOMPARE(early.chargePointId, cp1);
    QCOMPARE(early.startedAt, at(8));
    QCOMPARE(early.meterStartWh, 1000);
    QCOMPARE(early.stoppedAt, std::optional<QDateTime>(at(9)));
    QCOMPARE(early.meterStopWh, std::optional<qint64>(2000));
}

void TestStatistics::energyReadingsOfThoseTransactionsInWh()
{
    const StatisticsRepository statistics(m_store->db);
    const QList<EnergyReading> readings = statistics.energyReadingsOverlapping(at(0), at(0).addDays(1), {});
    QCOMPARE(readings.size(), 4); // not the phase, not the power, not the sample outside a transaction
    QCOMPARE(readings[0].transactionId, m_early);
    QCOMPARE(readings[0].wh, 1500.0);
    QCOMPARE(readings[1].transactionId, m_late);
    QCOMPARE(readings[1].wh, 1250.0);
    QCOMPARE(statistics.energyReadingsOverlapping(at(0), at(0).addDays(1), cp2).size(), 1);
}

void TestStatistics::connectorReadingsOfTheRange()
{
    const StatisticsRepository statistics(m_store->db);
    const QList<ConnectorReading> all = statistics.connectorReadings(at(0), at(0).addDays(1), {});
    QCOMPARE(all.size(), 6);
    QCOMPARE(all[0].chargePointId, cp1);
    QCOMPARE(all[0].timestamp, at(8, 30));
    const auto powerReading = std::find_if(
        all.begin(), all.end(), [](const ConnectorReading& r) { return r.kind == ConnectorReading::Kind::PowerW; });
    QVERIFY(powerReading != all.end());
    QCOMPARE(powerReading->value, 1500.0);
    QCOMPARE(all.last().chargePointId, cp2);
    QCOMPARE(all.last().value, 1250.0);

    const QList<ConnectorReading> afternoon = statistics.connectorReadings(at(12), at(14), cp1);
    QCOMPARE(afternoon.size(), 2); // 14:00 is the end of the range, not in it
    QCOMPARE(afternoon[1].value, 1300.0);
}

void TestStatistics::latestEnergyOfActiveTransactions()
{
    const StatisticsRepository statistics(m_store->db);
    QCOMPARE(statistics.latestEnergyOfActiveTransactions(), (QHash<qint64, double> {{m_active, 1300.0}}));
    QVERIFY(TransactionRepository(m_store->db).stop(m_active, 1400, at(13), {}, QStringLiteral("Local")));
    QVERIFY(statistics.latestEnergyOfActiveTransactions().isEmpty());
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
