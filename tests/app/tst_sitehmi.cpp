#include "app/config.h"
#include "app/site.h"
#include "app/sitehmi.h"
#include "configtest.h"
#include "core/clock.h"
#include "core/passwordhash.h"
#include "hmi/touchview.h"
#include "hmifixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

using namespace linkray;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kAnswerWaitMs = 5000;
const QString kOperatorPin = u"4711"_s;

QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// A charge point speaking OCPP-J over a real WebSocket: sends calls and waits for their results, answers LinkRay's
// calls with Accepted and keeps them for the test to read.
class TestCharger : public QObject {
public:
    bool connectTo(const QString& ocppUrl, const QString& chargePointId)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &TestCharger::received);
        QSignalSpy connected(&m_socket, &QWebSocket::connected);
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({u"ocpp1.6"_s});
        m_socket.open(QNetworkRequest(QUrl(ocppUrl + u'/' + chargePointId)), options);
        return connected.wait(kAnswerWaitMs);
    }

    // The CALLRESULT's payload; empty when none came in time.
    QJsonObject call(const QString& action, const QJsonObject& payload)
    {
        const QString uniqueId = QString::number(++m_lastId);
        m_socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonArray {2, uniqueId, action, payload}).toJson(QJsonDocument::Compact)));
        if (!QTest::qWaitFor([&] { return m_results.contains(uniqueId); }, kAnswerWaitMs))
            qWarning().noquote() << "no answer to" << action;
        return m_results.value(uniqueId);
    }

    void close() { m_socket.close(); }

    // The payloads of LinkRay's calls of `action`, oldest first.
    QList<QJsonObject> callsOf(const QString& action) const { return m_calls.values(action); }

private:
    void received(const QString& text)
    {
        const QJsonArray frame = QJsonDocument::fromJson(text.toUtf8()).array();
        if (frame.at(0).toInt() == 3) {
            m_results.insert(frame.at(1).toString(), frame.at(2).toObject());
        } else if (frame.at(0).toInt() == 2) {
            m_calls.insert(frame.at(2).toString(), frame.at(3).toObject());
            const QJsonObject accepted {{u"status"_s, u"Accepted"_s}};
            m_socket.sendTextMessage(
                QString::fromUtf8(QJsonDocument(QJsonArray {3, frame.at(1), accepted}).toJson(QJsonDocument::Compact)));
        }
    }

    QWebSocket m_socket;
    int m_lastId = 0;
    QHash<QString, QJsonObject> m_results;
    QMultiHash<QString, QJsonObject> m_calls;
};

// Offline mode, chargers CP-1 and CP-2 configured, the charge point server on an ephemeral port.
QByteArray siteJson(const QByteArray& hmi)
{
    return configtest::doc(R"("mode": "offline", "ocpp": {"listenAddress": "127.0.0.1", "port": 0},
        "web": {"enabled": false}, "chargePoints": [{"id": "CP-1"}, {"id": "CP-2"}], "hmi": )"
        + hmi);
}

// A started Site in a temporary data directory with the touch view's models fed from it. The members are
// destroyed in reverse: the adapter first, then the view, then the Site.
struct SiteUnderTest {
    explicit SiteUnderTest(const QByteArray& hmi)
        : config(configtest::configOf(app::parseConfig(siteJson(hmi))))
        , site(clock, config, dataDir.path())
        , view(clock, app::touchViewOptions(config.hmi))
    {
        startError = site.start();
        if (!startError)
            adapter = std::make_unique<app::SiteHmi>(site, view);
    }

    std::optional<hmi::ChargerTile> tile(const QString& chargePointId)
    {
        return view.chargers().tile(chargePointId, 1);
    }

    SystemClock clock;
    QTemporaryDir dataDir;
    app::Config config;
    app::Site site;
    hmi::TouchView view;
    std::optional<QString> startError;
    std::unique_ptr<app::SiteHmi> adapter;
};

QByteArray withPin()
{
    static const QByteArray hmi = R"({"pinHash": ")" + hashPassword(kOperatorPin).toLatin1() + R"("})";
    return hmi;
}

} // namespace

// The touch view's models fed from a running Site: real charger connections, real storage.
class TestSiteHmi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void configuredChargersShowOfflineUntilTheyConnect();
    void aTransactionShowsItsDrawAndEnergy();
    void stopFromTheViewNeedsTheConfiguredPin();
    void withoutAPinStartAndStopAreDisabled();
    void theConfiguredLanguageIsShown();
};

void TestSiteHmi::configuredChargersShowOfflineUntilTheyConnect()
{
    SiteUnderTest fixture(withPin());
    QVERIFY2(!fixture.startError, qPrintable(fixture.startError.value_or(QString())));
    QCOMPARE(fixture.view.chargers().count(), 2);
    QCOMPARE(fixture.tile(u"CP-1"_s)->state, hmi::ConnectorState::Offline);
    QCOMPARE(fixture.view.site().alertCount(), 2);
    QCOMPARE(fixture.view.site().csmsLink(), hmi::LinkState::NotConfigured);
    QCOMPARE(fixture.view.site().meterState(), hmi::MeterState::NotConfigured);

    TestCharger charger;
    QVERIFY(charger.connectTo(fixture.site.ocppUrl(), u"CP-1"_s));
    QCOMPARE(charger.call(u"BootNotification"_s, {{u"chargePointVendor"_s, u"V"_s}, {u"chargePointModel"_s, u"M"_s}})
                 .value(u"status"),
        u"Accepted"_s);
    charger.call(u"StatusNotification"_s,
        {{u"connectorId"_s, 1}, {u"errorCode"_s, u"NoError"_s}, {u"status"_s, u"Available"_s},
            {u"timestamp"_s, timestamp()}});
    QTRY_COMPARE(fixture.tile(u"CP-1"_s)->state, hmi::ConnectorState::Available);
    QCOMPARE(fixture.tile(u"CP-2"_s)->state, hmi::ConnectorState::Offline);
    QCOMPARE(fixture.view.site().alertCount(), 1);

    charger.call(u"StatusNotification"_s,
        {{u"connectorId"_s, 2}, {u"errorCode"_s, u"GroundFailure"_s}, {u"status"_s, u"Faulted"_s}});
    QTRY_COMPARE(fixture.view.chargers().count(), 3);
    QCOMPARE(fixture.view.chargers().tile(u"CP-1"_s, 2)->state, hmi::ConnectorState::Faulted);
    QCOMPARE(fixture.view.site().alertCount(), 2);

    charger.close();
    QTRY_COMPARE(fixture.tile(u"CP-1"_s)->state, hmi::ConnectorState::Offline);
}

void TestSiteHmi::aTransactionShowsItsDrawAndEnergy()
{
    SiteUnderTest fixture(withPin());
    QVERIFY(!fixture.startError);
    TestCharger charger;
    QVERIFY(charger.connectTo(fixture.site.ocppUrl(), u"CP-2"_s));
    charger.call(u"BootNotification"_s, {{u"chargePointVendor"_s, u"V"_s}, {u"chargePointModel"_s, u"M"_s}});
    charger.call(
        u"StatusNotification"_s, {{u"connectorId"_s, 1}, {u"errorCode"_s, u"NoError"_s}, {u"status"_s, u"Charging"_s}});
    const QJsonObject started = charger.call(u"StartTransaction"_s,
        {{u"connectorId"_s, 1}, {u"idTag"_s, u"ANY"_s}, {u"meterStart"_s, 1000}, {u"timestamp"_s, timestamp()}});
    const QJsonValue transactionId = started.value(u"transactionId");
    QVERIFY(transactionId.isDouble());
    QTRY_COMPARE(fixture.tile(u"CP-2"_s)->sessionEnergyKWh, std::optional<double>(0.0));

    const QJsonArray sampled {
        QJsonObject {{u"value"_s, u"3500"_s}, {u"measurand"_s, u"Energy.Active.Import.Register"_s}},
        QJsonObject {{u"value"_s, u"15.5"_s}, {u"measurand"_s, u"Current.Import"_s}, {u"phase"_s, u"L1"_s}},
        QJsonObject {{u"value"_s, u"16.2"_s}, {u"measurand"_s, u"Current.Import"_s}, {u"phase"_s, u"L2"_s}},
        QJsonObject {{u"value"_s, u"15.9"_s}, {u"measurand"_s, u"Current.Import"_s}, {u"phase"_s, u"L3"_s}},
    };
    charger.call(u"MeterValues"_s,
        {{u"connectorId"_s, 1}, {u"transactionId"_s, transactionId},
            {u"meterValue"_s, QJsonArray {QJsonObject {{u"timestamp"_s, timestamp()}, {u"sampledValue"_s, sampled}}}}});
    QTRY_COMPARE(fixture.tile(u"CP-2"_s)->sessionEnergyKWh, std::optional<double>(2.5));
    QCOMPARE(fixture.tile(u"CP-2"_s)->drawA, std::optional<double>(16.2));
    QCOMPARE(fixture.tile(u"CP-2"_s)->state, hmi::ConnectorState::Charging);

    charger.call(u"StopTransaction"_s,
        {{u"transactionId"_s, transactionId}, {u"meterStop"_s, 4000}, {u"timestamp"_s, timestamp()}});
    QTRY_VERIFY(!fixture.tile(u"CP-2"_s)->sessionEnergyKWh);
    const QVariantList days = fixture.view.history().dailyEnergyKWh();
    QCOMPARE(days.size(), 7);
    QCOMPARE(days.last().toDouble(), 3.0);
}

void TestSiteHmi::stopFromTheViewNeedsTheConfiguredPin()
{
    SiteUnderTest fixture(withPin());
    QVERIFY(!fixture.startError);
    TestCharger charger;
    QVERIFY(charger.connectTo(fixture.site.ocppUrl(), u"CP-1"_s));
    charger.call(u"BootNotification"_s, {{u"chargePointVendor"_s, u"V"_s}, {u"chargePointModel"_s, u"M"_s}});
    const QJsonValue transactionId
        = charger
              .call(u"StartTransaction"_s,
                  {{u"connectorId"_s, 1}, {u"idTag"_s, u"ANY"_s}, {u"meterStart"_s, 0}, {u"timestamp"_s, timestamp()}})
              .value(u"transactionId");
    hmi::ChargerCommands& commands = fixture.view.commands();
    QVERIFY(commands.available());
    QSignalSpy answered(&commands, &hmi::ChargerCommands::answered);

    QCOMPARE(commands.request(u"CP-1"_s, 1, hmi::ChargerCommand::Stop, u"0000"_s), hmi::ChargerCommands::WrongPin);
    QCOMPARE(commands.request(u"CP-1"_s, 1, hmi::ChargerCommand::Stop, kOperatorPin), hmi::ChargerCommands::Sent);
    QVERIFY(answered.wait(kAnswerWaitMs));
    QCOMPARE(answered.first().at(3).toBool(), true);
    const QList<QJsonObject> stops = charger.callsOf(u"RemoteStopTransaction"_s);
    QCOMPARE(stops.size(), 1);
    QCOMPARE(stops.first().value(u"transactionId"), transactionId);

    QCOMPARE(commands.request(u"CP-1"_s, 1, hmi::ChargerCommand::Start, kOperatorPin), hmi::ChargerCommands::Sent);
    QVERIFY(answered.wait(kAnswerWaitMs));
    const QList<QJsonObject> starts = charger.callsOf(u"RemoteStartTransaction"_s);
    QCOMPARE(starts.size(), 1);
    QCOMPARE(starts.first().value(u"connectorId").toInt(), 1);
    QCOMPARE(starts.first().value(u"idTag").toString(), u"LINKRAY-HMI"_s);
}

void TestSiteHmi::withoutAPinStartAndStopAreDisabled()
{
    SiteUnderTest fixture("{}");
    QVERIFY(!fixture.startError);
    hmi::ChargerCommands& commands = fixture.view.commands();
    QVERIFY(!commands.available());
    QCOMPARE(
        commands.request(u"CP-1"_s, 1, hmi::ChargerCommand::Start, kOperatorPin), hmi::ChargerCommands::Unavailable);
}

void TestSiteHmi::theConfiguredLanguageIsShown()
{
    SiteUnderTest fixture(R"({"language": "de", "fullScreen": false})");
    QVERIFY(!fixture.startError);
    QVERIFY(fixture.view.show());
    QQuickWindow* window = fixture.view.window();
    QVERIFY(hmi::test::waitUntilRendered(window));
    QCOMPARE(hmi::test::textOf(window, u"overviewTab"_s), u"Übersicht"_s);
    QQuickItem* tile = hmi::test::findItem(window, u"tile:CP-1:1"_s);
    QVERIFY(tile);
    QCOMPARE(hmi::test::textOf(tile, u"tileState"_s), u"Offline"_s);
}

QTEST_MAIN(TestSiteHmi)
#include "tst_sitehmi.moc"
