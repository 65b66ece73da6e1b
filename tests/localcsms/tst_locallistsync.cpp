#include "site.h"

#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::localcsms;
using namespace linkray::localcsms::test;
namespace v16 = linkray::ocpp::v16;

namespace {

const QString SendLocalList = QStringLiteral("SendLocalList");

QJsonObject status(const QString& value)
{
    return QJsonObject {{QStringLiteral("status"), value}};
}

void addTag(storage::Database& database, const QString& idTag, const QString& parent = {})
{
    storage::IdTagRecord tag;
    tag.idTag = idTag;
    tag.parentIdTag = parent;
    QVERIFY(storage::IdTagRepository(database).upsert(tag));
}

QList<v16::SendLocalListRequest> sentLists(const ChargerLink& link)
{
    QList<v16::SendLocalListRequest> lists;
    for (const auto& call : link.received()) {
        if (call.action == SendLocalList)
            lists.append(v16::SendLocalListRequest::fromJson(call.payload));
    }
    return lists;
}

// idTag -> status in the list, "-" for a removal.
QMap<QString, QString> entries(const v16::SendLocalListRequest& request)
{
    QMap<QString, QString> result;
    for (const auto& entry : request.localAuthorizationList.value_or(QList<v16::AuthorizationData>()))
        result.insert(entry.idTag, entry.idTagInfo ? entry.idTagInfo->status : QStringLiteral("-"));
    return result;
}

storage::ChargePointRecord stored(Site& site, const QString& id)
{
    return storage::ChargePointRepository(site.database).find(id).value_or(storage::ChargePointRecord());
}

} // namespace

// The chargers' local authorisation lists follow the whitelist, so they keep authorising without LinkRay.
class TestLocalListSync : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void fullThenDifferential();
    void versionMismatchSendsFull();
    void notSupportedStopsPushes();
    void failedIsRetriedOnNextChange();
    void reconnectWithAcceptedBootSyncs();
    void disabledByPolicy();

private:
    std::unique_ptr<Site> m_site;
};

void TestLocalListSync::init()
{
    m_site = std::make_unique<Site>();
    addTag(m_site->database, QStringLiteral("ALICE"));
    addTag(m_site->database, QStringLiteral("BOB"), QStringLiteral("FLEET"));
}

void TestLocalListSync::fullThenDifferential()
{
    QSignalSpy synchronised(m_site->localListSync.get(), &LocalListSync::synchronised);
    ChargerLink& link = m_site->connect(QStringLiteral("CP1"));
    link.answer(SendLocalList, status(QStringLiteral("Accepted")));
    QCOMPARE(link.call(bootRequest()).kind, ocpp::CallOutcome::Kind::Result);
    QTRY_COMPARE(synchronised.size(), 1);

    const int firstVersion = storage::IdTagRepository(m_site->database).currentVersion();
    auto lists = sentLists(link);
    QCOMPARE(lists.size(), 1);
    QCOMPARE(lists.first().updateType, QStringLiteral("Full"));
    QCOMPARE(lists.first().listVersion, qint64(firstVersion));
    QCOMPARE(entries(lists.first()),
        (QMap<QString, QString> {{QStringLiteral("ALICE"), QStringLiteral("Accepted")},
            {QStringLiteral("BOB"), QStringLiteral("Accepted")}}));
    QCOMPARE(stored(*m_site, QStringLiteral("CP1")).localListVersion, firstVersion);

    addTag(m_site->database, QStringLiteral("CAROL"));
    QVERIFY(storage::IdTagRepository(m_site->database).remove(QStringLiteral("ALICE")));
    m_site->localListSync->whitelistChanged();
    QTRY_COMPARE(synchronised.size(), 2);

    const int secondVersion = storage::IdTagRepository(m_site->database).currentVersion();
    lists = sentLists(link);
    QCOMPARE(lists.size(), 2);
    QCOMPARE(lists.last().updateType, QStringLiteral("Differential"));
    QCOMPARE(lists.last().listVersion, qint64(secondVersion));
    QCOMPARE(entries(lists.last()),
        (QMap<QString, QString> {
            {QStringLiteral("ALICE"), QStringLiteral("-")}, {QStringLiteral("CAROL"), QStringLiteral("Accepted")}}));
    QCOMPARE(stored(*m_site, QStringLiteral("CP1")).localListVersion, secondVersion);

    m_site->localListSync->whitelistChanged();
    QCOMPARE(sentLists(link).size(), 2);
}

void TestLocalListSync::versionMismatchSendsFull()
{
    QSignalSpy synchronised(m_site->localListSync.get(), &LocalListSync::synchronised);
    ChargerLink& link = m_site->connect(QStringLiteral("CP1"));
    link.answer(SendLocalList, status(QStringLiteral("Accepted")));
    link.answer(SendLocalList, status(QStringLiteral("VersionMismatch")));
    link.answer(SendLocalList, status(QStringLiteral("Accepted")));
    QCOMPARE(link.call(bootRequest()).kind, ocpp::CallOutcome::Kind::Result);
    QTRY_COMPARE(synchronised.size(), 1);

    addTag(m_site->database, QStringLiteral("CAROL"));
    m_site->localListSync->whitelistChanged();
    QTRY_COMPARE(synchronised.size(), 2);

    const auto lists = sentLists(link);
    QCOMPARE(lists.size(), 3);
    QCOMPARE(lists.at(1).updateType, QStringLiteral("Differential"));
    QCOMPARE(lists.at(2).updateType, QStringLiteral("Full"));
    QCOMPARE(entries(lists.at(2)).size(), 3);
    QCOMPARE(stored(*m_site, QStringLiteral("CP1")).localListVersion,
        storage::IdTagRepository(m_site->database).currentVersion());
}

void TestLocalListSync::notSupportedStopsPushes()
{
    ChargerLink& link = m_site->connect(QStringLiteral("CP1"));
    link.answer(SendLocalList, status(QStringLiteral("NotSupported")));
    QCOMPARE(link.call(bootRequest()).kind, ocpp::CallOutcome::Kind::Result);
    QTRY_VERIFY(!stored(*m_site, QStringLiteral("CP1")).supportsLocalList);

    addTag(m_site->database, QStringLiteral("CAROL"));
    m_site->localListSync->whitelistChanged();
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, ocpp::CallOutcome::Kind::Result);
    QCOMPARE(sentLists(link).size(), 1);
}

void TestLocalListSync::failedIsRetriedOnNextChange()
{
    QSignalSpy synchronised(m_site->localListSync.get(), &LocalListSync::synchronised);
    ChargerLink& link = m_site->connect(QStringLiteral("CP1"));
    link.answer(SendLocalList, status(QStringLiteral("Failed")));
    link.answer(SendLocalList, status(QStringLiteral("Accepted")));
    QCOMPARE(link.call(bootRequest()).kind, ocpp::CallOutcome::Kind::Result);
    QTRY_COMPARE(sentLists(link).size(), 1);
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, ocpp::CallOutcome::Kind::Result);
    QCOMPARE(sentLists(link).size(), 1);
    QCOMPARE(stored(*m_site, QStringLiteral("CP1")).localListVersion, 0);

    m_site->localListSync->whitelistChanged();
    QTRY_COMPARE(synchronised.size(), 1);
    QCOMPARE(sentLists(link).last().updateType, QStringLiteral("Full"));
}

void TestLocalListSync::reconnectWithAcceptedBootSyncs()
{
    QSignalSpy synchronised(m_site->localListSync.get(), &LocalListSync::synchronised);
    ChargerLink& first = m_site->connect(QStringLiteral("CP1"));
    QCOMPARE(first.call(bootRequest()).kind, ocpp::CallOutcome::Kind::Result); // no answer: stays unconfirmed

    QTRY_COMPARE(sentLists(first).size(), 1);

    // The connection drops with the SendLocalList unanswered; the charger reconnects without booting.
    ChargerLink& reconnected = m_site->connect(QStringLiteral("CP1"));
    reconnected.answer(SendLocalList, status(QStringLiteral("Accepted")));
    QTRY_COMPARE(synchronised.size(), 1);
    QCOMPARE(sentLists(reconnected).size(), 1);
}

void TestLocalListSync::disabledByPolicy()
{
    Policy policy = Site::knownChargersPolicy();
    policy.pushLocalList = false;
    m_site = std::make_unique<Site>(policy);
    addTag(m_site->database, QStringLiteral("ALICE"));
    ChargerLink& link = m_site->connectBooted(QStringLiteral("CP1"));
    link.answer(SendLocalList, status(QStringLiteral("Accepted")));
    m_site->localListSync->whitelistChanged();
    QCOMPARE(link.call(v16::HeartbeatRequest {}).kind, ocpp::CallOutcome::Kind::Result);
    QVERIFY(sentLists(link).isEmpty());
}

QTEST_GUILESS_MAIN(TestLocalListSync)
#include "tst_locallistsync.moc"
