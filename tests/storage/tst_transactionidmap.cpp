#include "storage/transactionidmaprepository.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 4), QTime(9, 0), Qt::UTC);
const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");

} // namespace

class TestTransactionIdMap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_map = std::make_unique<TransactionIdMapRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_map.reset();
        m_fresh.reset();
    }

    void lookupsBothWays()
    {
        QVERIFY(m_map->insert(2000000000, 51, cp1, t0));
        QVERIFY(m_map->insert(2000000001, 51, cp2, t0)); // CSMS ids are only unique per charger here
        QVERIFY(m_map->insert(2000000002, 52, cp1, t0.addSecs(1)));

        QCOMPARE(m_map->csmsId(2000000000).value_or(0), qint64(51));
        QCOMPARE(m_map->csmsId(2000000002).value_or(0), qint64(52));
        QVERIFY(!m_map->csmsId(2000000003));
        QCOMPARE(m_map->provisionalId(cp1, 51).value_or(0), qint64(2000000000));
        QCOMPARE(m_map->provisionalId(cp2, 51).value_or(0), qint64(2000000001));
        QVERIFY(!m_map->provisionalId(cp2, 52));
    }

    void theFirstAnswerStays()
    {
        QVERIFY(m_map->insert(2000000000, 51, cp1, t0));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^map transaction id failed: .*UNIQUE")));
        QVERIFY(!m_map->insert(2000000000, 77, cp1, t0.addSecs(5)));
        QCOMPARE(m_map->csmsId(2000000000).value_or(0), qint64(51));
        QVERIFY(!m_map->provisionalId(cp1, 77));
    }

    void removedMappingsAreGoneAfterAReopen()
    {
        QVERIFY(m_map->insert(2000000000, 51, cp1, t0));
        QVERIFY(m_map->insert(2000000001, 52, cp1, t0));
        QVERIFY(m_map->remove(2000000000));
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("provisional id 2000000000 is not mapped")));
        QVERIFY(!m_map->remove(2000000000));
        m_map.reset();
        QVERIFY(!m_fresh->reopen());
        m_map = std::make_unique<TransactionIdMapRepository>(m_fresh->db);
        QVERIFY(!m_map->csmsId(2000000000));
        QVERIFY(!m_map->provisionalId(cp1, 51));
        QCOMPARE(m_map->csmsId(2000000001).value_or(0), qint64(52));
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<TransactionIdMapRepository> m_map;
};

QTEST_GUILESS_MAIN(TestTransactionIdMap)
#include "tst_transactionidmap.moc"
