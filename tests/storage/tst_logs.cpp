#include "core/clock.h"
#include "storage/eventrepository.h"
#include "storage/messagelogrepository.h"
#include "storage/messagelogwriter.h"
#include "storage/metervaluerepository.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 2), QTime(23, 59, 59, 900), Qt::UTC);
const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");

MeterSample sampleOf(std::optional<qint64> transactionId, qint64 offsetMs, const QString& rawValue)
{
    MeterSample sample;
    sample.chargePointId = cp1;
    sample.connectorId = 1;
    sample.transactionId = transactionId;
    sample.timestamp = t0.addMSecs(offsetMs);
    sample.unit = QStringLiteral("Wh");
    sample.context = QStringLiteral("Sample.Periodic");
    sample.rawValue = rawValue;
    bool isNumber = false;
    const double value = rawValue.toDouble(&isNumber);
    if (isNumber)
        sample.value = value;
    return sample;
}

MessageLogEntry entryOf(const QString& chargePointId, int n)
{
    MessageLogEntry entry;
    entry.at = t0.addSecs(n);
    entry.chargePointId = chargePointId;
    entry.direction = n % 2 ? QStringLiteral("out") : QStringLiteral("in");
    entry.messageType = 2;
    entry.uniqueId = QString::number(n);
    entry.action = QStringLiteral("Heartbeat");
    entry.sizeBytes = 40 + n;
    return entry;
}

QStringList uniqueIdsOf(const QList<MessageLogEntry>& entries)
{
    QStringList ids;
    for (const MessageLogEntry& entry : entries)
        ids.append(entry.uniqueId);
    return ids;
}

} // namespace

class TestLogs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
    }

    void cleanup() { m_fresh.reset(); }

    void meterSamplesOfATransactionInTimeOrder()
    {
        MeterValueRepository repository(m_fresh->db);
        MeterSample current = sampleOf(5, 1000, QStringLiteral("16.2"));
        current.measurand = QStringLiteral("Current.Import");
        current.phase = QStringLiteral("L2");
        current.unit = QStringLiteral("A");
        current.location = QStringLiteral("Outlet");
        QVERIFY(repository.append({sampleOf(5, 2000, QStringLiteral("1500")), current,
            sampleOf(6, 1500, QStringLiteral("9")), sampleOf({}, 0, QStringLiteral("n/a"))}));
        QVERIFY(repository.append({}));

        const QList<MeterSample> samples = repository.forTransaction(5);
        QCOMPARE(samples.size(), 2);
        QCOMPARE(samples[0].measurand, QStringLiteral("Current.Import"));
        QCOMPARE(samples[0].phase, QStringLiteral("L2"));
        QCOMPARE(samples[0].unit, QStringLiteral("A"));
        QCOMPARE(samples[0].location, QStringLiteral("Outlet"));
        QCOMPARE(samples[0].value.value_or(0), 16.2);
        QCOMPARE(samples[0].timestamp, t0.addMSecs(1000));
        QCOMPARE(samples[1].measurand, QStringLiteral("Energy.Active.Import.Register"));
        QCOMPARE(samples[1].rawValue, QStringLiteral("1500"));
        QCOMPARE(samples[1].context, QStringLiteral("Sample.Periodic"));
        QCOMPARE(samples[1].transactionId.value_or(0), qint64(5));
        QCOMPARE(samples[1].chargePointId, cp1);
        QCOMPARE(samples[1].connectorId, 1);
        QCOMPARE(repository.forTransaction(6).size(), 1);
        QVERIFY(repository.forTransaction(7).isEmpty());
    }

    void meterSampleWithoutNumberKeepsItsRawValue()
    {
        MeterValueRepository repository(m_fresh->db);
        QVERIFY(repository.append({sampleOf(8, 0, QStringLiteral("NaN-ish"))}));
        const QList<MeterSample> samples = repository.forTransaction(8);
        QCOMPARE(samples.size(), 1);
        QVERIFY(!samples[0].value);
        QCOMPARE(samples[0].rawValue, QStringLiteral("NaN-ish"));
    }

    void meterBatchIsAllOrNothing()
    {
        MeterValueRepository repository(m_fresh->db);
        MeterSample undated = sampleOf(9, 0, QStringLiteral("2"));
        undated.timestamp = QDateTime();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^append meter values failed: ")));
        QVERIFY(!repository.append({sampleOf(9, 0, QStringLiteral("1")), undated}));
        QVERIFY(repository.forTransaction(9).isEmpty());
    }

    void messageLogKeepsTheNewestEntries_data()
    {
        QTest::addColumn<int>("maxEntries");
        QTest::addColumn<int>("appends");
        QTest::addColumn<QStringList>("kept");
        QTest::addRow("below the bound") << 5 << 3
                                         << QStringList {QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("0")};
        QTest::addRow("at the bound") << 3 << 3
                                      << QStringList {QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("0")};
        QTest::addRow("beyond the bound")
            << 3 << 10 << QStringList {QStringLiteral("9"), QStringLiteral("8"), QStringLiteral("7")};
        QTest::addRow("bound of one") << 1 << 4 << QStringList {QStringLiteral("3")};
        QTest::addRow("bound of zero keeps nothing") << 0 << 2 << QStringList {};
    }

    void messageLogKeepsTheNewestEntries()
    {
        QFETCH(int, maxEntries);
        QFETCH(int, appends);
        QFETCH(QStringList, kept);
        MessageLogRepository repository(m_fresh->db, maxEntries);
        for (int n = 0; n < appends; ++n)
            QVERIFY(repository.append(entryOf(n % 2 ? cp2 : cp1, n)));
        QCOMPARE(uniqueIdsOf(repository.recent()), kept);
    }

    void aBatchIsOneWriteTrimmedToTheBound()
    {
        MessageLogRepository repository(m_fresh->db, 3);
        QList<MessageLogEntry> batch;
        for (int n = 0; n < 10; ++n)
            batch.append(entryOf(cp1, n));
        QVERIFY(repository.append(QList<MessageLogEntry> {}));
        QVERIFY(repository.append(batch));
        QCOMPARE(uniqueIdsOf(repository.recent()),
            (QStringList {QStringLiteral("9"), QStringLiteral("8"), QStringLiteral("7")}));
    }

    void writerCommitsOncePerIntervalOrFullBatch()
    {
        linkray::ManualClock clock;
        MessageLogRepository repository(m_fresh->db, 100);
        MessageLogWriter writer(clock, repository, {1000, 3});
        writer.append(entryOf(cp1, 0));
        writer.append(entryOf(cp1, 1));
        QVERIFY(repository.recent().isEmpty());
        clock.advance(999);
        QVERIFY(repository.recent().isEmpty());
        clock.advance(1);
        QCOMPARE(uniqueIdsOf(repository.recent()), (QStringList {QStringLiteral("1"), QStringLiteral("0")}));
        for (int n = 2; n < 5; ++n)
            writer.append(entryOf(cp1, n));
        QCOMPARE(repository.recent().size(), 5); // a full batch does not wait for the interval
        writer.append(entryOf(cp1, 5));
        QCOMPARE(writer.bufferedCount(), 1);
    }

    void writerFlushesWhatIsBufferedWhenDestroyed()
    {
        linkray::ManualClock clock;
        MessageLogRepository repository(m_fresh->db, 100);
        {
            MessageLogWriter writer(clock, repository, {});
            writer.append(entryOf(cp2, 7));
        }
        QCOMPARE(uniqueIdsOf(repository.recent()), QStringList {QStringLiteral("7")});
    }

    void smallerBoundTrimsAtTheNextAppend()
    {
        {
            MessageLogRepository generous(m_fresh->db, 100);
            for (int n = 0; n < 10; ++n)
                QVERIFY(generous.append(entryOf(cp1, n)));
        }
        MessageLogRepository strict(m_fresh->db, 4);
        QVERIFY(strict.append(entryOf(cp1, 10)));
        QCOMPARE(uniqueIdsOf(strict.recent()),
            (QStringList {QStringLiteral("10"), QStringLiteral("9"), QStringLiteral("8"), QStringLiteral("7")}));
    }

    void messageLogRecentFiltersAndLimits()
    {
        MessageLogRepository repository(m_fresh->db, 100);
        for (int n = 0; n < 6; ++n)
            QVERIFY(repository.append(entryOf(n % 2 ? cp2 : cp1, n)));
        QCOMPARE(uniqueIdsOf(repository.recent(cp2)),
            (QStringList {QStringLiteral("5"), QStringLiteral("3"), QStringLiteral("1")}));
        QCOMPARE(uniqueIdsOf(repository.recent({}, 2)), (QStringList {QStringLiteral("5"), QStringLiteral("4")}));
        const MessageLogEntry newest = repository.recent(cp1, 1).value(0);
        QCOMPARE(newest.uniqueId, QStringLiteral("4"));
        QCOMPARE(newest.at, t0.addSecs(4));
        QCOMPARE(newest.chargePointId, cp1);
        QCOMPARE(newest.direction, QStringLiteral("in"));
        QCOMPARE(newest.messageType, 2);
        QCOMPARE(newest.action, QStringLiteral("Heartbeat"));
        QCOMPARE(newest.sizeBytes, 44);
        QVERIFY(newest.id > 0);
    }

    // A frame that could not be read has no unique id and no action: both are stored as NULL, not as empty text,
    // and an action filter leaves the entry out.
    void anUnreadableFrameIsLoggedWithoutIdAndAction()
    {
        MessageLogRepository repository(m_fresh->db, 100);
        MessageLogEntry unreadable = entryOf(cp1, 1);
        unreadable.messageType = 0;
        unreadable.uniqueId = QString();
        unreadable.action = QString();
        QVERIFY(repository.append(QList<MessageLogEntry> {entryOf(cp1, 0), unreadable}));
        const MessageLogEntry stored = repository.recent(cp1, 1).value(0);
        QCOMPARE(stored.messageType, 0);
        QVERIFY(stored.uniqueId.isNull());
        QVERIFY(stored.action.isNull());
        QCOMPARE(stored.sizeBytes, 41);
        QCOMPARE(
            uniqueIdsOf(repository.recent(cp1, 10, QStringLiteral("Heartbeat"))), QStringList {QStringLiteral("0")});
        QSqlQuery nulls(m_fresh->db.connection());
        QVERIFY(nulls.exec(QStringLiteral(
            "SELECT count(*) FROM message_log WHERE unique_id IS NULL AND action IS NULL AND message_type = 0")));
        QVERIFY(nulls.next());
        QCOMPARE(nulls.value(0).toInt(), 1);
    }

    void eventsNewestFirstWithDetails()
    {
        EventRepository repository(m_fresh->db);
        const QJsonObject firmware {{QStringLiteral("status"), QStringLiteral("Installed")}};
        const QJsonObject transfer {
            {QStringLiteral("vendorId"), QStringLiteral("com.acme")}, {QStringLiteral("data"), QJsonArray {1, 2, 3}}};
        QVERIFY(repository.append({0, t0, cp1, QStringLiteral("FirmwareStatusNotification"), firmware}));
        QVERIFY(repository.append({0, t0.addSecs(1), cp2, QStringLiteral("DataTransfer"), transfer}));
        QVERIFY(repository.append({0, t0.addSecs(2), cp1, QStringLiteral("DataTransfer"), {}}));

        const QList<EventRecord> all = repository.recent();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].at, t0.addSecs(2));
        QCOMPARE(all[1].details, transfer);
        QCOMPARE(all[1].kind, QStringLiteral("DataTransfer"));
        QCOMPARE(all[1].chargePointId, cp2);
        QVERIFY(all[0].id > all[1].id);
        const QList<EventRecord> ofCp1 = repository.recent(cp1, 10);
        QCOMPARE(ofCp1.size(), 2);
        QCOMPARE(ofCp1[1].details, firmware);
        QCOMPARE(repository.recent({}, 1).size(), 1);
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
};

QTEST_GUILESS_MAIN(TestLogs)
#include "tst_logs.moc"
