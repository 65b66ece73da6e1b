#include "storage/chargepointrepository.h"
#include "testdatabase.h"

#include <QSet>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 1), QTime(8, 0, 0, 125), Qt::UTC);
const QString cp1 = QStringLiteral("CP-1");

ChargePointRecord bootOf(const QString& firmware, const QDateTime& at)
{
    ChargePointRecord record;
    record.id = cp1;
    record.vendor = QStringLiteral("Acme");
    record.model = QStringLiteral("Wallbox 22");
    record.serialNumber = QStringLiteral("SN-42");
    record.firmwareVersion = firmware;
    record.bootStatus = QStringLiteral("Accepted");
    record.lastBootAt = at;
    return record;
}

ConnectorRecord connectorOf(int connectorId, const QString& status, const QDateTime& at)
{
    ConnectorRecord record;
    record.chargePointId = cp1;
    record.connectorId = connectorId;
    record.status = status;
    record.errorCode = QStringLiteral("NoError");
    record.updatedAt = at;
    return record;
}

} // namespace

class TestChargePoints : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_repository = std::make_unique<ChargePointRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_repository.reset();
        m_fresh.reset();
    }

    void unknownChargePointIsNotFound()
    {
        QVERIFY(!m_repository->find(cp1));
        QVERIFY(m_repository->list().isEmpty());
    }

    void bootCreatesThenUpdatesIdentityKeepingOtherState()
    {
        QVERIFY(m_repository->recordBoot(bootOf(QStringLiteral("1.0"), t0)));
        QVERIFY(m_repository->touch(cp1, t0.addSecs(10)));
        QVERIFY(m_repository->setLocalListState(cp1, 3, true));

        QVERIFY(m_repository->recordBoot(bootOf(QStringLiteral("1.1"), t0.addSecs(60))));
        const auto found = m_repository->find(cp1);
        QVERIFY(found);
        QCOMPARE(found->firmwareVersion, QStringLiteral("1.1"));
        QCOMPARE(found->vendor, QStringLiteral("Acme"));
        QCOMPARE(found->serialNumber, QStringLiteral("SN-42"));
        QCOMPARE(found->bootStatus, QStringLiteral("Accepted"));
        QCOMPARE(found->lastBootAt, t0.addSecs(60));
        QCOMPARE(found->lastSeenAt, t0.addSecs(10));
        QCOMPARE(found->localListVersion, 3);
        QCOMPARE(m_repository->list().size(), 1);
    }

    void touchCreatesAnUnknownChargePoint()
    {
        QVERIFY(m_repository->touch(cp1, t0));
        QVERIFY(m_repository->touch(cp1, t0.addSecs(30)));
        const auto found = m_repository->find(cp1);
        QVERIFY(found);
        QCOMPARE(found->lastSeenAt, t0.addSecs(30));
        QVERIFY(!found->lastBootAt);
        QVERIFY(found->bootStatus.isEmpty());
        QCOMPARE(found->localListVersion, 0);
        QVERIFY(found->supportsLocalList);
    }

    void localListState()
    {
        QVERIFY(m_repository->setLocalListState(cp1, 0, false));
        const auto found = m_repository->find(cp1);
        QVERIFY(found);
        QVERIFY(!found->supportsLocalList);
        QVERIFY(m_repository->setLocalListState(cp1, 5, true));
        QCOMPARE(m_repository->find(cp1)->localListVersion, 5);
        QVERIFY(m_repository->find(cp1)->supportsLocalList);
    }

    void appliedLimitsSurviveAndOnlySetOnesAreListed()
    {
        const QString dc = QStringLiteral("CP-DC");
        QVERIFY(m_repository->touch(QStringLiteral("CP-NEVER-LIMITED"), t0));
        QVERIFY(m_repository->setAppliedLimit(cp1, {16.5, QStringLiteral("A"), 1}));
        QVERIFY(m_repository->setAppliedLimit(dc, {11000, QStringLiteral("W"), 3}));
        QVERIFY(m_repository->setAppliedLimit(cp1, {10, QStringLiteral("A"), 3}));
        const auto limits = m_repository->appliedLimits();
        QCOMPARE(limits.size(), 2);
        QCOMPARE(limits.value(cp1).limit, 10.0);
        QCOMPARE(limits.value(cp1).unit, QStringLiteral("A"));
        QCOMPARE(limits.value(cp1).numberPhases, 3);
        QCOMPARE(limits.value(dc).limit, 11000.0);
        QCOMPARE(limits.value(dc).unit, QStringLiteral("W"));
        QVERIFY(m_repository->find(cp1)); // the limit did not disturb the rest of the record

        const auto dcLimit = m_repository->appliedLimit(dc);
        QVERIFY(dcLimit);
        QCOMPARE(dcLimit->limit, 11000.0);
        QCOMPARE(dcLimit->unit, QStringLiteral("W"));
        QCOMPARE(dcLimit->numberPhases, 3);
        QCOMPARE(m_repository->appliedLimit(cp1)->limit, 10.0);
        QVERIFY(!m_repository->appliedLimit(QStringLiteral("CP-NEVER-LIMITED")));
        QVERIFY(!m_repository->appliedLimit(QStringLiteral("CP-UNKNOWN")));
    }

    void listIsOrderedById()
    {
        for (const auto& id : {QStringLiteral("CP-B"), QStringLiteral("CP-A"), QStringLiteral("CP-C")})
            QVERIFY(m_repository->touch(id, t0));
        QStringList ids;
        for (const ChargePointRecord& record : m_repository->list())
            ids.append(record.id);
        QCOMPARE(ids, (QStringList {QStringLiteral("CP-A"), QStringLiteral("CP-B"), QStringLiteral("CP-C")}));
    }

    void connectorStatusIsUpsertedPerConnector()
    {
        QVERIFY(m_repository->saveConnectorStatus(connectorOf(2, QStringLiteral("Available"), t0)));
        QVERIFY(m_repository->saveConnectorStatus(connectorOf(1, QStringLiteral("Available"), t0)));
        ConnectorRecord faulted = connectorOf(1, QStringLiteral("Faulted"), t0.addSecs(5));
        faulted.errorCode = QStringLiteral("GroundFailure");
        faulted.info = QStringLiteral("RCD tripped");
        faulted.vendorErrorCode = QStringLiteral("E17");
        QVERIFY(m_repository->saveConnectorStatus(faulted));

        const QList<ConnectorRecord> connectors = m_repository->connectors(cp1);
        QCOMPARE(connectors.size(), 2);
        QCOMPARE(connectors[0].connectorId, 1);
        QCOMPARE(connectors[0].status, QStringLiteral("Faulted"));
        QCOMPARE(connectors[0].errorCode, QStringLiteral("GroundFailure"));
        QCOMPARE(connectors[0].info, QStringLiteral("RCD tripped"));
        QCOMPARE(connectors[0].vendorErrorCode, QStringLiteral("E17"));
        QCOMPARE(connectors[0].updatedAt, t0.addSecs(5));
        QCOMPARE(connectors[1].connectorId, 2);
        QCOMPARE(connectors[1].status, QStringLiteral("Available"));
        QVERIFY(m_repository->find(cp1));
        QVERIFY(m_repository->connectors(QStringLiteral("CP-2")).isEmpty());
    }

    void allConnectorsAreListedByChargePointAndConnector()
    {
        ConnectorRecord other = connectorOf(1, QStringLiteral("Charging"), t0);
        other.chargePointId = QStringLiteral("CP-0");
        QVERIFY(m_repository->saveConnectorStatus(connectorOf(2, QStringLiteral("Available"), t0)));
        QVERIFY(m_repository->saveConnectorStatus(connectorOf(1, QStringLiteral("Faulted"), t0)));
        QVERIFY(m_repository->saveConnectorStatus(other));

        QStringList listed;
        for (const ConnectorRecord& connector : m_repository->allConnectors())
            listed.append(QStringLiteral("%1/%2 %3")
                              .arg(connector.chargePointId)
                              .arg(connector.connectorId)
                              .arg(connector.status));
        QCOMPARE(listed,
            (QStringList {QStringLiteral("CP-0/1 Charging"), cp1 + QStringLiteral("/1 Faulted"),
                cp1 + QStringLiteral("/2 Available")}));
    }

    void deviationsAreCountedPerKind_data()
    {
        QTest::addColumn<QStringList>("kinds");
        QTest::addColumn<QList<int>>("offsetsSeconds");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<int>("firstOffset");
        QTest::addColumn<int>("lastOffset");
        const QString typeError = QStringLiteral("StatusNotification.timestamp:TypeConstraintViolation");
        const QString missing = QStringLiteral("MeterValues.meterValue:OccurenceConstraintViolation");
        QTest::addRow("once") << QStringList {typeError} << QList<int> {4} << typeError << qint64(1) << 4 << 4;
        QTest::addRow("three times") << QStringList {typeError, typeError, typeError} << QList<int> {1, 2, 3}
                                     << typeError << qint64(3) << 1 << 3;
        QTest::addRow("out of order keeps first and last") << QStringList {typeError, typeError, typeError}
                                                           << QList<int> {5, 1, 3} << typeError << qint64(3) << 1 << 5;
        QTest::addRow("other kinds apart")
            << QStringList {typeError, missing, typeError} << QList<int> {1, 2, 3} << missing << qint64(1) << 2 << 2;
    }

    void deviationsAreCountedPerKind()
    {
        QFETCH(QStringList, kinds);
        QFETCH(QList<int>, offsetsSeconds);
        QFETCH(QString, kind);
        QFETCH(qint64, count);
        QFETCH(int, firstOffset);
        QFETCH(int, lastOffset);
        for (int i = 0; i < kinds.size(); ++i)
            QVERIFY(m_repository->countDeviation(cp1, kinds[i], t0.addSecs(offsetsSeconds[i])));

        QVERIFY(m_repository->deviations(cp1).contains(qMakePair(kind, count)));
        QCOMPARE(m_repository->deviations(cp1).size(), QSet<QString>(kinds.cbegin(), kinds.cend()).size());
        const QList<DeviationRecord> records = m_repository->deviationRecords(cp1);
        const auto record = std::find_if(
            records.cbegin(), records.cend(), [&](const DeviationRecord& candidate) { return candidate.kind == kind; });
        QVERIFY(record != records.cend());
        QCOMPARE(record->count, count);
        QCOMPARE(record->firstSeenAt, t0.addSecs(firstOffset));
        QCOMPARE(record->lastSeenAt, t0.addSecs(lastOffset));
        QVERIFY(m_repository->deviations(QStringLiteral("CP-2")).isEmpty());
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<ChargePointRepository> m_repository;
};

QTEST_GUILESS_MAIN(TestChargePoints)
#include "tst_chargepoints.moc"
