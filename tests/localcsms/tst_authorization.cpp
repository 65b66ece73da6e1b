#include "localcsms/authorization.h"

#include <QTest>

using namespace linkray;
using namespace linkray::localcsms;

Q_DECLARE_METATYPE(std::optional<storage::IdTagRecord>)
Q_DECLARE_METATYPE(linkray::localcsms::UnknownTags)
Q_DECLARE_METATYPE(linkray::localcsms::TagAuthorization)

namespace {

const QDateTime Now(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

storage::IdTagRecord tag(const QString& status, std::optional<QDateTime> expiry = {}, const QString& parent = {})
{
    storage::IdTagRecord record;
    record.idTag = QStringLiteral("TAG1");
    record.status = status;
    record.expiryDate = expiry;
    record.parentIdTag = parent;
    return record;
}

TagAuthorization verdict(
    const QString& status, std::optional<QDateTime> expiry = {}, std::optional<QString> parent = {})
{
    return {status, expiry, parent};
}

} // namespace

// The whitelist rules, as a charger sees them in idTagInfo.
class TestAuthorization : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decision_data();
    void decision();
};

void TestAuthorization::decision_data()
{
    QTest::addColumn<std::optional<storage::IdTagRecord>>("record");
    QTest::addColumn<int>("otherTransactions");
    QTest::addColumn<UnknownTags>("unknownTags");
    QTest::addColumn<TagAuthorization>("expected");

    const QString accepted = QStringLiteral("Accepted");
    const QDateTime tomorrow = Now.addDays(1);
    const QDateTime yesterday = Now.addDays(-1);
    storage::IdTagRecord tombstone = tag(accepted);
    tombstone.deleted = true;

    QTest::newRow("accepted") << std::optional(tag(accepted)) << 0 << UnknownTags::Reject << verdict(accepted);
    QTest::newRow("unknown rejected") << std::optional<storage::IdTagRecord>() << 0 << UnknownTags::Reject
                                      << verdict(QStringLiteral("Invalid"));
    QTest::newRow("unknown accepted by policy")
        << std::optional<storage::IdTagRecord>() << 0 << UnknownTags::Accept << verdict(accepted);
    QTest::newRow("unknown accepted but busy")
        << std::optional<storage::IdTagRecord>() << 1 << UnknownTags::Accept << verdict(QStringLiteral("ConcurrentTx"));
    QTest::newRow("tombstone is unknown")
        << std::optional(tombstone) << 0 << UnknownTags::Reject << verdict(QStringLiteral("Invalid"));
    QTest::newRow("blocked") << std::optional(tag(QStringLiteral("Blocked"))) << 0 << UnknownTags::Accept
                             << verdict(QStringLiteral("Blocked"));
    QTest::newRow("blocked wins over busy") << std::optional(tag(QStringLiteral("Blocked"))) << 1 << UnknownTags::Reject
                                            << verdict(QStringLiteral("Blocked"));
    QTest::newRow("invalid as set") << std::optional(tag(QStringLiteral("Invalid"))) << 0 << UnknownTags::Reject
                                    << verdict(QStringLiteral("Invalid"));
    QTest::newRow("expired as set") << std::optional(tag(QStringLiteral("Expired"))) << 0 << UnknownTags::Reject
                                    << verdict(QStringLiteral("Expired"));
    QTest::newRow("expiry passed") << std::optional(tag(accepted, yesterday)) << 0 << UnknownTags::Reject
                                   << verdict(QStringLiteral("Expired"), yesterday);
    QTest::newRow("expiry is now") << std::optional(tag(accepted, Now)) << 0 << UnknownTags::Reject
                                   << verdict(QStringLiteral("Expired"), Now);
    QTest::newRow("expiry ahead") << std::optional(tag(accepted, tomorrow)) << 0 << UnknownTags::Reject
                                  << verdict(accepted, tomorrow);
    QTest::newRow("concurrent") << std::optional(tag(accepted)) << 1 << UnknownTags::Reject
                                << verdict(QStringLiteral("ConcurrentTx"));
    QTest::newRow("expired and busy") << std::optional(tag(accepted, yesterday)) << 2 << UnknownTags::Reject
                                      << verdict(QStringLiteral("Expired"), yesterday);
    QTest::newRow("parent returned") << std::optional(tag(accepted, tomorrow, QStringLiteral("FLEET"))) << 0
                                     << UnknownTags::Reject << verdict(accepted, tomorrow, QStringLiteral("FLEET"));
    QTest::newRow("parent with blocked") << std::optional(tag(QStringLiteral("Blocked"), {}, QStringLiteral("FLEET")))
                                         << 0 << UnknownTags::Reject
                                         << verdict(QStringLiteral("Blocked"), {}, QStringLiteral("FLEET"));
}

void TestAuthorization::decision()
{
    QFETCH(std::optional<storage::IdTagRecord>, record);
    QFETCH(int, otherTransactions);
    QFETCH(UnknownTags, unknownTags);
    QFETCH(TagAuthorization, expected);

    QList<storage::TransactionRecord> others;
    for (int i = 0; i < otherTransactions; ++i) {
        storage::TransactionRecord running;
        running.id = i + 1;
        running.chargePointId = QStringLiteral("CP-OTHER");
        running.connectorId = 1;
        running.idTag = QStringLiteral("TAG1");
        running.startedAt = Now.addSecs(-600);
        others.append(running);
    }

    const TagAuthorization actual = authorizeTag(record, Now, others, unknownTags);
    QCOMPARE(actual.status, expected.status);
    QCOMPARE(actual.expiryDate, expected.expiryDate);
    QCOMPARE(actual.parentIdTag, expected.parentIdTag);
}

QTEST_GUILESS_MAIN(TestAuthorization)
#include "tst_authorization.moc"
