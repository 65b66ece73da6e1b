#include "app/sitebalancing.h"
#include "configtest.h"
#include "meter/meterdriver.h"
#include "site.h"

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace configtest;
namespace v16 = ocpp::v16;

namespace {

// The site meter's web server on 127.0.0.1: every GET of /status gets the phase currents the test last set.
class MeterWebServer {
public:
    bool start()
    {
        m_server.route(QStringLiteral("/status"), [this](const QHttpServerRequest&, QHttpServerResponder&& responder) {
            responder.write(QJsonDocument(m_document));
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        return m_port != 0;
    }
    quint16 port() const { return m_port; }
    void currents(double amperes)
    {
        m_document = {{QStringLiteral("a"), amperes}, {QStringLiteral("b"), amperes}, {QStringLiteral("c"), amperes}};
    }

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QJsonObject m_document;
};

enum class MeteredPhases { All, L1AndL2 };

// One 32 A charger on a 32 A site whose meter is polled every second. (No raw string literal: moc misreads this file
// with one.)
Config siteConfig(quint16 meterPort, MeteredPhases metered = MeteredPhases::All)
{
    const QString members = QStringLiteral(
        "\"site\": {\"phaseLimitA\": 32, \"safetyMarginA\": 0, \"failSafeLimitA\": 32},"
        "\"meter\": {\"type\": \"http-json\", \"url\": \"http://127.0.0.1:%1/status\", \"pollIntervalSeconds\": 1,"
        "  \"values\": {\"currentL1\": {\"pointer\": \"/a\"}, \"currentL2\": {\"pointer\": \"/b\"}%2}},"
        "\"chargePoints\": [{\"id\": \"CP1\", \"balancing\": {\"enabled\": true, \"rateUnit\": \"A\"}}]");
    const QString l3
        = metered == MeteredPhases::All ? QStringLiteral(", \"currentL3\": {\"pointer\": \"/c\"}") : QString();
    return configOf(app::parseConfig(doc(members.arg(meterPort).arg(l3).toUtf8())));
}

// The limit of the newest SetChargingProfile the charger received; none before the first.
std::optional<double> lastLimit(const localcsms::test::ChargerLink& link)
{
    for (auto call = link.received().crbegin(); call != link.received().crend(); ++call) {
        if (call->action == QLatin1String(v16::SetChargingProfileRequest::action))
            return v16::SetChargingProfileRequest::fromJson(call->payload)
                .csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(0)
                .limit;
    }
    return std::nullopt;
}

} // namespace

// SiteBalancing wired as the application runs it: a site meter over HTTP, a charger on an OCPP link, simulated time.
class TestSiteBalancing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meterReadingLowersTheChargersProfile();
    void unmeasuredPhaseLoadIsUnknownNotZero();
};

void TestSiteBalancing::meterReadingLowersTheChargersProfile()
{
    MeterWebServer meterServer;
    QVERIFY(meterServer.start());
    // Nothing drawn yet. A first reading with the car's current in it could come before the car's MeterValues, and
    // then count as house load: the car's limit would go down and come back up only after the increase delay.
    meterServer.currents(0);
    const Config config = siteConfig(meterServer.port());
    localcsms::test::Site site;
    localcsms::test::ChargerLink& link = site.connectBooted(QStringLiteral("CP1"));
    link.answer(QLatin1String(v16::SetChargingProfileRequest::action),
        {{QStringLiteral("status"), QStringLiteral("Accepted")}});
    const QJsonObject charging {{QStringLiteral("connectorId"), 1},
        {QStringLiteral("errorCode"), QStringLiteral("NoError")},
        {QStringLiteral("status"), QStringLiteral("Charging")}};
    QCOMPARE(link.call(QStringLiteral("StatusNotification"), charging).kind, ocpp::CallOutcome::Kind::Result);

    // Started as after a restart: the stored status says the car charges.
    app::SiteBalancing balancing(site.clock, config, site.database, *site.commands);
    QCOMPARE(balancing.start(), std::nullopt);
    QSignalSpy firstReading(&balancing.meter(), &meter::MeterDriver::readingAvailable);
    balancing.chargerConnected(QStringLiteral("CP1"), link.csmsSide());
    QVERIFY(firstReading.wait());
    QTRY_COMPARE(lastLimit(link).value_or(-1), 32.0); // no house load: all of the site for the car

    QJsonArray sampled;
    for (const char* phase : {"L1", "L2", "L3"})
        sampled.append(QJsonObject {{QStringLiteral("value"), QStringLiteral("16")},
            {QStringLiteral("measurand"), QStringLiteral("Current.Import")},
            {QStringLiteral("phase"), QLatin1String(phase)}, {QStringLiteral("unit"), QStringLiteral("A")}});
    const QJsonObject meterValues {{QStringLiteral("connectorId"), 1},
        {QStringLiteral("meterValue"),
            QJsonArray {QJsonObject {{QStringLiteral("timestamp"), site.clock.nowUtc().toString(Qt::ISODate)},
                {QStringLiteral("sampledValue"), sampled}}}}};
    QCOMPARE(link.call(QStringLiteral("MeterValues"), meterValues).kind, ocpp::CallOutcome::Kind::Result);

    // The house draws 14 A beside the car's 16 A: the car may have what is left of 32 A, at once.
    meterServer.currents(30);
    QSignalSpy readings(&balancing.meter(), &meter::MeterDriver::readingAvailable);
    site.clock.advance(1000);
    QVERIFY(readings.wait());
    QTRY_COMPARE(lastLimit(link).value_or(-1), 18.0);
    QCOMPARE(balancing.siteLoadA(), (balancer::MeteredPhaseValues {30, 30, 30}));
    QCOMPARE(balancing.siteLoadJson(), QJsonValue(QJsonArray {30, 30, 30}));
}

// GET /api/v1/site's loadA: null before a reading, then null on a phase the meter does not measure.
void TestSiteBalancing::unmeasuredPhaseLoadIsUnknownNotZero()
{
    MeterWebServer meterServer;
    QVERIFY(meterServer.start());
    meterServer.currents(12);
    const Config config = siteConfig(meterServer.port(), MeteredPhases::L1AndL2);
    localcsms::test::Site site;
    app::SiteBalancing balancing(site.clock, config, site.database, *site.commands);
    QCOMPARE(balancing.siteLoadJson(), QJsonValue(QJsonValue::Null));
    QCOMPARE(balancing.start(), std::nullopt);
    QSignalSpy reading(&balancing.meter(), &meter::MeterDriver::readingAvailable);
    QVERIFY(reading.wait());
    QCOMPARE(balancing.siteLoadJson(), QJsonValue(QJsonArray {12, 12, QJsonValue::Null}));
}

QTEST_GUILESS_MAIN(TestSiteBalancing)
#include "tst_sitebalancing.moc"
