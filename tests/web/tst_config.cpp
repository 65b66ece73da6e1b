#include "web/configsecrets.h"
#include "webfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace linkray;
using namespace linkray::web;
using namespace linkray::web::test;

namespace {

const QString HashOfCp1 = QStringLiteral("pbkdf2-sha256$1000$c2FsdA==$aGFzaA==");
const QString CsmsPasswordOfCp2 = QStringLiteral("csms-secret-of-cp2");
const QString MeterPassword = QStringLiteral("meter-secret");

QJsonObject chargePoint(const QString& id, const QJsonObject& extra = {})
{
    QJsonObject object = extra;
    object.insert(QStringLiteral("id"), id);
    return object;
}

// A configuration with secrets at three depths: a charge point's login hash, its CSMS password, the meter's.
QJsonObject configWithSecrets()
{
    return {
        {QStringLiteral("chargePoints"),
            QJsonArray {chargePoint(QStringLiteral("CP1"), {{QStringLiteral("passwordHash"), HashOfCp1}}),
                chargePoint(QStringLiteral("CP2"),
                    {{QStringLiteral("csms"), QJsonObject {{QStringLiteral("password"), CsmsPasswordOfCp2}}}})}},
        {QStringLiteral("meter"),
            QJsonObject {{QStringLiteral("type"), QStringLiteral("http-json")},
                {QStringLiteral("username"), QStringLiteral("reader")}, {QStringLiteral("password"), MeterPassword}}},
        {QStringLiteral("authorization"), QJsonObject {{QStringLiteral("whitelist"), QJsonArray()}}},
    };
}

QJsonObject at(const QJsonObject& object, const QString& key)
{
    return object.value(key).toObject();
}

QJsonObject chargePointAt(const QJsonObject& config, qsizetype index)
{
    return config.value(u"chargePoints").toArray().at(index).toObject();
}

} // namespace

// The configuration for administrators, /api/v1/config: secrets never leave, and are kept when sent back unseen.
class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void secretsAreRedactedWhereverTheyAre()
    {
        const QJsonObject redacted = redactSecrets(configWithSecrets());
        const QByteArray text = QJsonDocument(redacted).toJson();
        for (const QString& secret : {HashOfCp1, CsmsPasswordOfCp2, MeterPassword})
            QVERIFY2(!text.contains(secret.toUtf8()), qPrintable(secret));
        QCOMPARE(chargePointAt(redacted, 0).value(u"passwordHash").toString(), kSecretPlaceholder);
        QCOMPARE(
            at(chargePointAt(redacted, 1), QStringLiteral("csms")).value(u"password").toString(), kSecretPlaceholder);
        QCOMPARE(at(redacted, QStringLiteral("meter")).value(u"username").toString(), QStringLiteral("reader"));
    }

    void placeholdersKeepTheSecretsOfTheSameChargePointAfterReordering()
    {
        QJsonObject edited = redactSecrets(configWithSecrets());
        QJsonArray chargePoints = edited.value(u"chargePoints").toArray();
        edited.insert(QStringLiteral("chargePoints"), QJsonArray {chargePoints.at(1), chargePoints.at(0)});
        QJsonObject meter = at(edited, QStringLiteral("meter"));
        meter.insert(QStringLiteral("password"), QStringLiteral("a-new-meter-secret"));
        edited.insert(QStringLiteral("meter"), meter);

        const auto restored = restoreSecrets(edited, configWithSecrets());
        QVERIFY(std::holds_alternative<QJsonObject>(restored));
        const QJsonObject& config = std::get<QJsonObject>(restored);
        QCOMPARE(chargePointAt(config, 0).value(u"id").toString(), QStringLiteral("CP2"));
        QCOMPARE(at(chargePointAt(config, 0), QStringLiteral("csms")).value(u"password").toString(), CsmsPasswordOfCp2);
        QCOMPARE(chargePointAt(config, 1).value(u"passwordHash").toString(), HashOfCp1);
        QCOMPARE(
            at(config, QStringLiteral("meter")).value(u"password").toString(), QStringLiteral("a-new-meter-secret"));
    }

    void aPlaceholderWithNoSecretBehindItIsRefused()
    {
        QJsonObject edited = redactSecrets(configWithSecrets());
        QJsonArray chargePoints = edited.value(u"chargePoints").toArray();
        chargePoints.append(chargePoint(QStringLiteral("CP3"), {{QStringLiteral("passwordHash"), kSecretPlaceholder}}));
        edited.insert(QStringLiteral("chargePoints"), chargePoints);
        const auto restored = restoreSecrets(edited, configWithSecrets());
        QVERIFY(std::holds_alternative<SecretError>(restored));
        QCOMPARE(std::get<SecretError>(restored).path, QStringLiteral("chargePoints[2].passwordHash"));
    }

    void onlyAdministratorsSeeOrChangeIt()
    {
        WebFixture web;
        web.config = configWithSecrets();
        for (const Role role : {Role::Viewer, Role::Operator}) {
            ApiClient client = web.as(role);
            QCOMPARE(client.get(QStringLiteral("/api/v1/config")).status, 403);
            QCOMPARE(client.send("PUT", QStringLiteral("/api/v1/config"), redactSecrets(web.config)).status, 403);
        }
        QCOMPARE(web.client().get(QStringLiteral("/api/v1/config")).status, 401);
        ApiClient admin = web.as(Role::Admin);
        QCOMPARE(admin.send("PUT", QStringLiteral("/api/v1/config"), redactSecrets(web.config), false).status, 403);
        QCOMPARE(web.config, configWithSecrets());
    }

    void anAdministratorEditsItWithoutSeeingTheSecrets()
    {
        WebFixture web;
        web.config = configWithSecrets();
        ApiClient admin = web.as(Role::Admin);
        const ApiReply shown = admin.get(QStringLiteral("/api/v1/config"));
        QCOMPARE(shown.status, 200);
        for (const QString& secret : {HashOfCp1, CsmsPasswordOfCp2, MeterPassword})
            QVERIFY2(!shown.body.contains(secret.toUtf8()), qPrintable(secret));

        QJsonObject edited = shown.json.value(u"config").toObject();
        QJsonObject meter = at(edited, QStringLiteral("meter"));
        meter.insert(QStringLiteral("username"), QStringLiteral("another-reader"));
        edited.insert(QStringLiteral("meter"), meter);
        const ApiReply changed = admin.send("PUT", QStringLiteral("/api/v1/config"), edited);
        QCOMPARE(changed.status, 200);
        QVERIFY(!changed.body.contains(MeterPassword.toUtf8()));
        QCOMPARE(
            at(web.config, QStringLiteral("meter")).value(u"username").toString(), QStringLiteral("another-reader"));
        QCOMPARE(at(web.config, QStringLiteral("meter")).value(u"password").toString(), MeterPassword);
        QCOMPARE(chargePointAt(web.config, 0).value(u"passwordHash").toString(), HashOfCp1);
    }

    void refusalsNameTheKey()
    {
        WebFixture web;
        web.config = configWithSecrets();
        ApiClient admin = web.as(Role::Admin);
        QJsonObject edited = redactSecrets(web.config);
        edited.insert(QStringLiteral("authorization"),
            QJsonObject {{QStringLiteral("whitelist"),
                QJsonArray {QJsonObject {{QStringLiteral("idTag"), QStringLiteral("T1")},
                    {QStringLiteral("status"), QStringLiteral("Maybe")}}}}});
        const ApiReply refused = admin.send("PUT", QStringLiteral("/api/v1/config"), edited);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.field(), QStringLiteral("authorization.whitelist[0].status"));

        QJsonArray chargePoints = edited.value(u"chargePoints").toArray();
        chargePoints.append(chargePoint(QStringLiteral("CP3"), {{QStringLiteral("passwordHash"), kSecretPlaceholder}}));
        edited.insert(QStringLiteral("chargePoints"), chargePoints);
        QCOMPARE(admin.send("PUT", QStringLiteral("/api/v1/config"), edited).field(),
            QStringLiteral("chargePoints[2].passwordHash"));

        web.configWriteFailure = QStringLiteral("disk full");
        QCOMPARE(admin.send("PUT", QStringLiteral("/api/v1/config"), redactSecrets(web.config)).status, 500);
        QCOMPARE(web.config, configWithSecrets());
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
