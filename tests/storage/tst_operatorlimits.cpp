#include "storage/operatorlimitrepository.h"
#include "testdatabase.h"

#include <QTest>

using namespace linkray::storage;

namespace {

const QDateTime kSetAt = QDateTime::fromString(QStringLiteral("2024-05-01T12:00:00Z"), Qt::ISODate);

OperatorLimitRecord limitOf(const QString& chargePointId, const QString& groupId, double currentA)
{
    OperatorLimitRecord limit;
    limit.chargePointId = chargePointId;
    limit.groupId = groupId;
    limit.currentA = std::array<double, 3> {currentA, currentA, currentA};
    limit.expiresAt = kSetAt.addSecs(3600);
    limit.setBy = QStringLiteral("operator");
    limit.setAt = kSetAt;
    return limit;
}

} // namespace

// The site's, the chargers' and the groups' limits side by side (docs/storage.md, operator_limits and group_limits).
class TestOperatorLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void groupAndChargePointOfTheSameIdAreApart()
    {
        TestDatabase database;
        QVERIFY(!database.openError);
        OperatorLimitRepository repository(database.db);
        QVERIFY(repository.put(limitOf(QString(), QString(), 40)));
        QVERIFY(repository.put(limitOf(QStringLiteral("A"), QString(), 10)));
        QVERIFY(repository.put(limitOf(QString(), QStringLiteral("A"), 20)));
        OperatorLimitRecord lower = limitOf(QString(), QStringLiteral("A"), 16);
        lower.currentA = std::array<double, 3> {16, 12, 16};
        QVERIFY(repository.put(lower)); // replaces the group's

        QVERIFY(!database.reopen());
        QList<OperatorLimitRecord> all = OperatorLimitRepository(database.db).all();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].chargePointId, QString());
        QCOMPARE(all[0].groupId, QString());
        QCOMPARE(all[1].chargePointId, QStringLiteral("A"));
        QCOMPARE(*all[1].currentA, (std::array<double, 3> {10, 10, 10}));
        QCOMPARE(all[2].groupId, QStringLiteral("A"));
        QCOMPARE(all[2].chargePointId, QString());
        QCOMPARE(*all[2].currentA, (std::array<double, 3> {16, 12, 16}));
        QCOMPARE(all[2].expiresAt, kSetAt.addSecs(3600));
        QCOMPARE(all[2].setBy, QStringLiteral("operator"));

        QVERIFY(OperatorLimitRepository(database.db).removeGroup(QStringLiteral("A")));
        all = OperatorLimitRepository(database.db).all();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1].chargePointId, QStringLiteral("A")); // the charger's stays
    }
};

QTEST_GUILESS_MAIN(TestOperatorLimits)
#include "tst_operatorlimits.moc"
