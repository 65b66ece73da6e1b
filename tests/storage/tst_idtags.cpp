#include "storage/idtagrepository.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace linkray::storage;

namespace {

IdTagRecord tag(const QString& idTag, const QString& status = QStringLiteral("Accepted"))
{
    IdTagRecord record;
    record.idTag = idTag;
    record.status = status;
    return record;
}

QString idTagsOf(const QList<IdTagRecord>& records)
{
    QStringList ids;
    for (const IdTagRecord& record : records)
        ids.append(record.idTag + (record.deleted ? QStringLiteral("(deleted)") : QString()));
    return ids.join(QLatin1Char(','));
}

const QString a = QStringLiteral("AAAA");
const QString b = QStringLiteral("BBBB");
const QString c = QStringLiteral("CCCC");

} // namespace

class TestIdTags : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fresh = std::make_unique<TestDatabase>();
        QVERIFY2(!m_fresh->openError, qPrintable(m_fresh->openError.value_or(QString())));
        m_repository = std::make_unique<IdTagRepository>(m_fresh->db);
    }

    void cleanup()
    {
        m_repository.reset();
        m_fresh.reset();
    }

    void emptyWhitelistIsVersionZero()
    {
        QCOMPARE(m_repository->currentVersion(), 0);
        QVERIFY(m_repository->list().isEmpty());
        QVERIFY(!m_repository->find(a));
    }

    void upsertStoresEveryField()
    {
        IdTagRecord record = tag(a, QStringLiteral("Blocked"));
        record.expiryDate = QDateTime(QDate(2027, 1, 31), QTime(23, 59, 59, 999), Qt::UTC);
        record.parentIdTag = QStringLiteral("FLEET-1");
        record.note = QStringLiteral("van 3");
        QVERIFY(m_repository->upsert(record));
        const auto found = m_repository->find(a);
        QVERIFY(found);
        QCOMPARE(found->status, QStringLiteral("Blocked"));
        QCOMPARE(found->expiryDate, record.expiryDate);
        QCOMPARE(found->parentIdTag, QStringLiteral("FLEET-1"));
        QCOMPARE(found->note, QStringLiteral("van 3"));
        QCOMPARE(found->version, 1);
        QVERIFY(!found->deleted);
    }

    // Each row: operations separated by spaces ("+TAG" upsert Accepted, "!TAG" upsert Blocked, "-TAG" remove,
    // "=TAG,TAG" replaceAll), then the version, the live list and what changed since version `since`.
    void versionsAndTombstones_data()
    {
        QTest::addColumn<QString>("operations");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("live");
        QTest::addColumn<int>("since");
        QTest::addColumn<QString>("changed");

        const auto row = [](const char* name, const char* operations, int version, const char* live, int since,
                             const char* changed) {
            QTest::newRow(name) << QString::fromLatin1(operations) << version << QString::fromLatin1(live) << since
                                << QString::fromLatin1(changed);
        };
        row("each upsert is a version", "+AAAA +BBBB", 2, "AAAA,BBBB", 1, "BBBB");
        row("unchanged upsert keeps the version", "+AAAA +AAAA", 1, "AAAA", 0, "AAAA");
        row("changed upsert bumps it", "+AAAA !AAAA", 2, "AAAA", 1, "AAAA");
        row("remove leaves a tombstone", "+AAAA +BBBB -AAAA", 3, "BBBB", 1, "BBBB,AAAA(deleted)");
        row("removing an unknown tag changes nothing", "+AAAA -CCCC -AAAA -AAAA", 2, "", 0, "AAAA(deleted)");
        row("upsert revives a tombstone", "+AAAA -AAAA +AAAA", 3, "AAAA", 2, "AAAA");
        row("replaceAll is one version and tombstones the rest", "+AAAA +BBBB =BBBB,CCCC", 3, "BBBB,CCCC", 2,
            "AAAA(deleted),CCCC");
        row("replaceAll with the same list keeps the version", "=AAAA,BBBB =BBBB,AAAA", 1, "AAAA,BBBB", 1, "");
        row("replaceAll with nothing empties the list", "=AAAA,BBBB =", 2, "", 0, "AAAA(deleted),BBBB(deleted)");
    }

    void versionsAndTombstones()
    {
        QFETCH(QString, operations);
        QFETCH(int, version);
        QFETCH(QString, live);
        QFETCH(int, since);
        QFETCH(QString, changed);
        for (const QString& operation : operations.split(QLatin1Char(' '))) {
            const QString argument = operation.mid(1);
            switch (operation.at(0).toLatin1()) {
            case '+':
                QVERIFY(m_repository->upsert(tag(argument)));
                break;
            case '!':
                QVERIFY(m_repository->upsert(tag(argument, QStringLiteral("Blocked"))));
                break;
            case '-':
                QVERIFY(m_repository->remove(argument));
                break;
            case '=': {
                QList<IdTagRecord> tags;
                for (const QString& idTag : argument.split(QLatin1Char(','), Qt::SkipEmptyParts))
                    tags.append(tag(idTag));
                QVERIFY(m_repository->replaceAll(tags));
                break;
            }
            default:
                QFAIL("unknown operation in test data");
            }
        }
        QCOMPARE(m_repository->currentVersion(), version);
        QCOMPARE(idTagsOf(m_repository->list()), live);
        QCOMPARE(idTagsOf(m_repository->changedSince(since)), changed);
        for (const IdTagRecord& record : m_repository->changedSince(since))
            QVERIFY(record.version > since && record.version <= version);
    }

    void tombstonesAreNotFound()
    {
        QVERIFY(m_repository->upsert(tag(a)));
        QVERIFY(m_repository->remove(a));
        QVERIFY(!m_repository->find(a));
    }

    void versionSurvivesReopening()
    {
        QVERIFY(m_repository->replaceAll({tag(a), tag(b)}));
        QVERIFY(m_repository->remove(b));
        m_repository.reset();
        QVERIFY(!m_fresh->reopen());
        IdTagRepository reopened(m_fresh->db);
        QCOMPARE(reopened.currentVersion(), 2);
        QCOMPARE(idTagsOf(reopened.list()), a);
        QVERIFY(reopened.upsert(tag(c)));
        QCOMPARE(reopened.currentVersion(), 3);
    }

private:
    std::unique_ptr<TestDatabase> m_fresh;
    std::unique_ptr<IdTagRepository> m_repository;
};

QTEST_GUILESS_MAIN(TestIdTags)
#include "tst_idtags.moc"
