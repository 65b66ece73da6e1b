#include "storage/transactionrepository.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 1), QTime(18, 0, 0, 500), Qt::UTC);

TransactionRecord startOf(const QString& chargePointId, int connectorId, const QString& idTag)
{
    TransactionRecord record;
    record.chargePointId = chargePointId;
    record.connectorId = connectorId;
    record.idTag = idTag;
    record.meterStartWh = 1000;
    record.startedAt = t0;
    return record;
}

QList<qint64> idsOf(const QList<TransactionRecord>& records)
{
    QList<qint64> ids;
    for (const TransactionRecord& record : records)
        ids.append(record.id);
    return ids;
}

const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");
const QString tagA = QStringLiteral("TAG-A");
const QString tagB = QStringLiteral("TAG-B");

} // namespace

class TestTransactions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_repository = std::make_unique<TransactionRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_repository.reset();
        m_fresh.reset();
    }

    void startStoresTheRecord()
    {
        TransactionRecord record = startOf(cp1, 2, tagA);
        record.reservationId = 77;
        const auto id = m_repository->start(record);
        QVERIFY(id);
        const auto found = m_repository->find(*id);
        QVERIFY(found);
        QCOMPARE(found->id, *id);
        QCOMPARE(found->chargePointId, cp1);
        QCOMPARE(found->connectorId, 2);
        QCOMPARE(found->idTag, tagA);
        QCOMPARE(found->meterStartWh, qint64(1000));
        QCOMPARE(found->startedAt, t0);
        QCOMPARE(found->reservationId.value_or(0), qint64(77));
        QVERIFY(found->active());
        QVERIFY(!found->meterStopWh);
        QVERIFY(!m_repository->find(*id + 1));
    }

    void idsIncreaseAndAreNeverReused()
    {
        const auto first = m_repository->start(startOf(cp1, 1, tagA));
        const auto second = m_repository->start(startOf(cp1, 2, tagB));
        QVERIFY(first && second);
        QVERIFY(*second > *first);
        {
            QSqlQuery deleteLast(m_fresh->db.connection());
            QVERIFY(deleteLast.exec(QStringLiteral("DELETE FROM transactions WHERE id = %1").arg(*second)));
        }
        m_repository.reset();
        QVERIFY(!m_fresh->reopen());
        m_repository = std::make_unique<TransactionRepository>(m_fresh->db);
        const auto third = m_repository->start(startOf(cp1, 2, tagB));
        QVERIFY(third);
        QVERIFY(*third > *second);
    }

    void reservedIdsSurviveAReopen_data()
    {
        QTest::addColumn<int>("startedBefore");
        QTest::addRow("no transaction ever started") << 0;
        QTest::addRow("after earlier transactions") << 3;
    }

    void reservedIdsSurviveAReopen()
    {
        QFETCH(int, startedBefore);
        for (int n = 0; n < startedBefore; ++n)
            QVERIFY(m_repository->start(startOf(cp1, 1, tagA)));
        QVERIFY(m_repository->reserveIdsFrom(2000000000));
        m_repository.reset();
        QVERIFY(!m_fresh->reopen());
        m_repository = std::make_unique<TransactionRepository>(m_fresh->db);
        QCOMPARE(m_repository->start(startOf(cp1, 2, tagB)).value_or(0), qint64(2000000000));
        QCOMPARE(m_repository->start(startOf(cp2, 1, tagB)).value_or(0), qint64(2000000001));
    }

    void reservingNeverLowersTheNextId()
    {
        QVERIFY(m_repository->reserveIdsFrom(1000));
        QCOMPARE(m_repository->start(startOf(cp1, 1, tagA)).value_or(0), qint64(1000));
        QVERIFY(m_repository->reserveIdsFrom(1000));
        QVERIFY(m_repository->reserveIdsFrom(5));
        QVERIFY(m_repository->reserveIdsFrom(0));
        QCOMPARE(m_repository->start(startOf(cp1, 2, tagA)).value_or(0), qint64(1001));
    }

    void stopCompletesTheTransaction()
    {
        const auto id = m_repository->start(startOf(cp1, 1, tagA));
        QVERIFY(id);
        QVERIFY(m_repository->stop(*id, 12345, t0.addSecs(3600), tagB, QStringLiteral("Local")));
        const auto found = m_repository->find(*id);
        QVERIFY(found);
        QVERIFY(!found->active());
        QCOMPARE(found->meterStopWh.value_or(0), qint64(12345));
        QCOMPARE(found->stoppedAt, t0.addSecs(3600));
        QCOMPARE(found->stopIdTag, tagB);
        QCOMPARE(found->stopReason, QStringLiteral("Local"));
        QVERIFY(!m_repository->activeOnConnector(cp1, 1));
    }

    void stopOfAnInactiveTransactionFails_data()
    {
        QTest::addColumn<bool>("stopTwice");
        QTest::addRow("already stopped") << true;
        QTest::addRow("unknown id") << false;
    }

    void stopOfAnInactiveTransactionFails()
    {
        QFETCH(bool, stopTwice);
        const auto id = m_repository->start(startOf(cp1, 1, tagA));
        QVERIFY(id);
        const qint64 target = stopTwice ? *id : *id + 100;
        if (stopTwice)
            QVERIFY(m_repository->stop(target, 2000, t0.addSecs(60), {}, QStringLiteral("Local")));
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("no active transaction with id %1").arg(target)));
        QVERIFY(!m_repository->stop(target, 3000, t0.addSecs(120), {}, QStringLiteral("Remote")));
        if (stopTwice)
            QCOMPARE(m_repository->find(target)->meterStopWh.value_or(0), qint64(2000));
    }

    void activeQueries()
    {
        const auto a1 = m_repository->start(startOf(cp1, 1, tagA));
        const auto b2 = m_repository->start(startOf(cp1, 2, tagB));
        const auto a3 = m_repository->start(startOf(cp2, 1, tagA));
        const auto stopped = m_repository->start(startOf(cp2, 2, tagA));
        QVERIFY(a1 && b2 && a3 && stopped);
        QVERIFY(m_repository->stop(*stopped, 1500, t0.addSecs(10), {}, QStringLiteral("EVDisconnected")));

        QCOMPARE(m_repository->activeOnConnector(cp1, 1)->id, *a1);
        QCOMPARE(m_repository->activeOnConnector(cp1, 2)->id, *b2);
        QCOMPARE(m_repository->activeOnConnector(cp2, 1)->id, *a3);
        QVERIFY(!m_repository->activeOnConnector(cp2, 2));
        QVERIFY(!m_repository->activeOnConnector(cp1, 3));
        QCOMPARE(idsOf(m_repository->activeForIdTag(tagA)), (QList<qint64> {*a1, *a3}));
        QCOMPARE(idsOf(m_repository->activeForIdTag(tagB)), QList<qint64> {*b2});
        QVERIFY(m_repository->activeForIdTag(QStringLiteral("TAG-C")).isEmpty());
        QCOMPARE(idsOf(m_repository->active()), (QList<qint64> {*a1, *b2, *a3}));
    }

    void listIsNewestFirstAndLimited()
    {
        QList<qint64> ids;
        for (int connector = 1; connector <= 4; ++connector)
            ids.prepend(m_repository->start(startOf(cp1, connector, tagA)).value_or(0));
        QCOMPARE(idsOf(m_repository->list()), ids);
        QCOMPARE(idsOf(m_repository->list(2)), ids.mid(0, 2));
    }

    void startWithoutStartTimeFails()
    {
        TransactionRecord record = startOf(cp1, 1, tagA);
        record.startedAt = QDateTime();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^start transaction failed: .*NOT NULL")));
        QVERIFY(!m_repository->start(record));
        QVERIFY(m_repository->active().isEmpty());
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<TransactionRepository> m_repository;
};

QTEST_GUILESS_MAIN(TestTransactions)
#include "tst_transactions.moc"
