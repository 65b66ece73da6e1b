#include "storage/csmsauthorizationrepository.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

const QDateTime t0(QDate(2026, 3, 5), QTime(12, 0, 0, 125), Qt::UTC);
const QString cp1 = QStringLiteral("CP-1");
const QString cp2 = QStringLiteral("CP-2");
const QString accepted = QStringLiteral("Accepted");
const QString blocked = QStringLiteral("Blocked");
const QString tagA = QStringLiteral("TAG-A");
const QString tagB = QStringLiteral("TAG-B");
const QString tagC = QStringLiteral("TAG-C");

CsmsIdTagInfo entry(const QString& idTag, const QString& status)
{
    return {idTag, status, std::nullopt, QString()};
}

// The statuses of `tags` in the charger's list, "-" for a tag that is not in it.
QStringList statusesIn(const CsmsAuthorizationRepository& repository, const QString& chargePointId)
{
    QStringList statuses;
    for (const QString& tag : {tagA, tagB, tagC})
        statuses.append(repository.localListEntry(chargePointId, tag).value_or(entry(tag, QStringLiteral("-"))).status);
    return statuses;
}

} // namespace

class TestCsmsAuthorization : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_repository = std::make_unique<CsmsAuthorizationRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_repository.reset();
        m_fresh.reset();
    }

    void theCacheKeepsTheLatestAnswer()
    {
        QVERIFY(!m_repository->cached(tagA));
        QVERIFY(m_repository->remember(tagA, accepted, t0.addDays(30), QStringLiteral("FLEET"), t0));
        const auto first = m_repository->cached(tagA);
        QVERIFY(first);
        QCOMPARE(first->idTag, tagA);
        QCOMPARE(first->status, accepted);
        QCOMPARE(first->expiryDate.value_or(QDateTime()), t0.addDays(30));
        QCOMPARE(first->parentIdTag, QStringLiteral("FLEET"));

        QVERIFY(m_repository->remember(tagA, blocked, std::nullopt, QString(), t0.addSecs(60)));
        const auto latest = m_repository->cached(tagA);
        QVERIFY(latest);
        QCOMPARE(latest->status, blocked);
        QVERIFY(!latest->expiryDate);
        QVERIFY(latest->parentIdTag.isEmpty());
        QVERIFY(!m_repository->cached(tagB));
    }

    void aFullListReplacesTheChargersList()
    {
        QVERIFY(!m_repository->localListVersion(cp1));
        QVERIFY(m_repository->applyLocalList(cp1, 3, true, {entry(tagA, accepted), entry(tagB, blocked)}));
        QVERIFY(m_repository->applyLocalList(cp2, 8, true, {entry(tagC, accepted)}));
        QCOMPARE(statusesIn(*m_repository, cp1), (QStringList {accepted, blocked, QStringLiteral("-")}));

        CsmsIdTagInfo withDetails = entry(tagC, accepted);
        withDetails.expiryDate = t0.addDays(1);
        withDetails.parentIdTag = QStringLiteral("FLEET");
        QVERIFY(m_repository->applyLocalList(cp1, 4, true, {withDetails}));
        QCOMPARE(statusesIn(*m_repository, cp1), (QStringList {QStringLiteral("-"), QStringLiteral("-"), accepted}));
        const auto stored = m_repository->localListEntry(cp1, tagC);
        QVERIFY(stored);
        QCOMPARE(stored->expiryDate.value_or(QDateTime()), t0.addDays(1));
        QCOMPARE(stored->parentIdTag, QStringLiteral("FLEET"));
        QCOMPARE(m_repository->localListVersion(cp1).value_or(0), 4);
        QCOMPARE(m_repository->localListVersion(cp2).value_or(0), 8); // other chargers keep theirs
        QCOMPARE(statusesIn(*m_repository, cp2), (QStringList {QStringLiteral("-"), QStringLiteral("-"), accepted}));

        QVERIFY(m_repository->applyLocalList(cp1, 5, true, {}));
        QCOMPARE(statusesIn(*m_repository, cp1), (QStringList(3, QStringLiteral("-"))));
        QCOMPARE(m_repository->localListVersion(cp1).value_or(0), 5);
    }

    void aDifferentialListUpsertsAndRemoves()
    {
        QVERIFY(m_repository->applyLocalList(cp1, 1, true, {entry(tagA, accepted), entry(tagB, accepted)}));
        QVERIFY(m_repository->applyLocalList(cp2, 1, true, {entry(tagA, accepted)}));
        QVERIFY(m_repository->applyLocalList(
            cp1, 2, false, {entry(tagA, blocked), entry(tagB, QString()), entry(tagC, accepted)}));
        QCOMPARE(statusesIn(*m_repository, cp1), (QStringList {blocked, QStringLiteral("-"), accepted}));
        QCOMPARE(m_repository->localListVersion(cp1).value_or(0), 2);
        QCOMPARE(statusesIn(*m_repository, cp2), (QStringList {accepted, QStringLiteral("-"), QStringLiteral("-")}));

        QVERIFY(m_repository->applyLocalList(cp1, 3, false, {entry(QStringLiteral("NEVER-SEEN"), QString())}));
        QCOMPARE(statusesIn(*m_repository, cp1), (QStringList {blocked, QStringLiteral("-"), accepted}));
        QCOMPARE(m_repository->localListVersion(cp1).value_or(0), 3);
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<CsmsAuthorizationRepository> m_repository;
};

QTEST_GUILESS_MAIN(TestCsmsAuthorization)
#include "tst_csmsauthorization.moc"
