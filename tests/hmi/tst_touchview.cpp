#include "core/clock.h"
#include "hmi/touchview.h"
#include "hmifixture.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace linkray;
using namespace linkray::hmi;
using namespace linkray::hmi::test;

namespace {

struct SentCommand {
    QString chargePointId;
    int connectorId = 0;
    ChargerCommand::Value command = ChargerCommand::Start;
    std::function<void(bool)> done;
};

// Collects what is logged under one category while it lives.
class LogCapture {
public:
    explicit LogCapture(const char* category)
        : m_category(category)
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }

    QStringList messages;

private:
    static void handle(QtMsgType type, const QMessageLogContext& context, const QString& message)
    {
        if (s_current && context.category && qstrcmp(context.category, s_current->m_category) == 0)
            s_current->messages.append(message);
        s_current->m_previous(type, context, message);
    }

    static inline LogCapture* s_current = nullptr;
    const char* m_category;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

// The touch view as an operator sees it, shown offscreen at 800x480.
class TestTouchView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_sent.clear();
    }

    void cleanup()
    {
        m_view.reset();
        m_clock.reset();
    }

    void aTileAppearsForEveryConnector()
    {
        QQuickWindow* window = showView(6);
        QVERIFY(window);
        QCOMPARE(findItem(window, QStringLiteral("tiles"))->property("count").toInt(), 6);
        for (const ChargerTile& tile : sampleChargers(6)) {
            const QString name = QStringLiteral("tile:%1:%2").arg(tile.chargePointId).arg(tile.connectorId);
            QVERIFY2(findItem(window, name), qPrintable(name));
        }
        QCOMPARE(textOf(window, QStringLiteral("clock")), m_clock->nowUtc().toLocalTime().toString(u"HH:mm"));
    }

    void shownValuesFollowTheModels()
    {
        QQuickWindow* window = showView(4);
        QVERIFY(window);
        QQuickItem* tile = findItem(window, QStringLiteral("tile:CP-1:1"));
        QVERIFY(tile);
        QCOMPARE(textOf(tile, QStringLiteral("tileState")), QStringLiteral("Charging"));
        QCOMPARE(textOf(tile, QStringLiteral("tileCurrent")), QStringLiteral("12.5 / 16 A"));

        ChargerTile changed = sampleChargers(1).first();
        changed.state = ConnectorState::Suspended;
        changed.drawA = 0.0;
        changed.limitA = 6.0;
        m_view->chargers().updateCharger(changed);
        QTRY_COMPARE(textOf(tile, QStringLiteral("tileState")), QStringLiteral("Suspended"));
        QCOMPARE(textOf(tile, QStringLiteral("tileCurrent")), QStringLiteral("0.0 / 6 A"));

        m_view->chargers().setChargers(sampleChargers(3));
        QTRY_VERIFY(!findItem(window, QStringLiteral("tile:CP-2:2")));
        QCOMPARE(findItem(window, QStringLiteral("tiles"))->property("count").toInt(), 3);

        QCOMPARE(textOf(window, QStringLiteral("meterState")), QStringLiteral("Reading"));
        QCOMPARE(textOf(window, QStringLiteral("backlog")), QStringLiteral("42 messages"));
        m_view->site().setMeterState(MeterState::Stale);
        m_view->site().setCsmsLink(LinkState::Connected);
        m_view->site().setBacklog(0);
        QTRY_COMPARE(textOf(window, QStringLiteral("meterState")), QStringLiteral("No recent reading"));
        QCOMPARE(textOf(window, QStringLiteral("csmsLink")), QStringLiteral("Connected"));
        QVERIFY(!findItem(window, QStringLiteral("backlog")));
        QCOMPARE(textOf(window, QStringLiteral("alerts")), QStringLiteral("CP-3 faulted (+1 more)"));

        m_clock->advance(60 * 1000);
        QCOMPARE(textOf(window, QStringLiteral("clock")), m_clock->nowUtc().toLocalTime().toString(u"HH:mm"));
    }

    void theRightPinStartsAndTheChargersAnswerShows()
    {
        QQuickWindow* window = showDetail(QStringLiteral("tile:CP-1:2")); // Occupied: a car waits
        QVERIFY(window);
        QCOMPARE(textOf(window, QStringLiteral("detailTitle")), QStringLiteral("CP-1 · connector 2"));
        QVERIFY(findItem(window, QStringLiteral("detailStart"))->isEnabled());
        QVERIFY(!findItem(window, QStringLiteral("detailStop"))->isEnabled());

        enterPin(window, QStringLiteral("detailStart"), QStringLiteral("1234"));
        QCOMPARE(textOf(window, QStringLiteral("detailMessage")), QStringLiteral("Wrong PIN"));
        QVERIFY(m_sent.isEmpty());

        enterPin(window, QStringLiteral("detailStart"), kOperatorPin);
        QCOMPARE(m_sent.size(), 1);
        QCOMPARE(m_sent[0].chargePointId, QStringLiteral("CP-1"));
        QCOMPARE(m_sent[0].connectorId, 2);
        QCOMPARE(m_sent[0].command, ChargerCommand::Start);
        QCOMPARE(textOf(window, QStringLiteral("detailMessage")), QStringLiteral("Start sent"));
        m_sent[0].done(true);
        QTRY_COMPARE(textOf(window, QStringLiteral("detailMessage")), QStringLiteral("The charger accepted the start"));
    }

    void fiveWrongPinsLockStartAndStopForAMinute()
    {
        QQuickWindow* window = showDetail(QStringLiteral("tile:CP-1:1")); // Charging
        QVERIFY(window);
        for (int i = 0; i < PinGuard::kMaxWrongPins; ++i)
            enterPin(window, QStringLiteral("detailStop"), QStringLiteral("99"));
        QTRY_VERIFY(!findItem(window, QStringLiteral("detailStop"))->isEnabled());
        QCOMPARE(textOf(window, QStringLiteral("detailMessage")),
            QStringLiteral("Too many wrong PINs: locked for a minute"));
        QVERIFY(m_sent.isEmpty());

        m_clock->advance(PinGuard::kLockoutMs);
        QTRY_VERIFY(findItem(window, QStringLiteral("detailStop"))->isEnabled());
        enterPin(window, QStringLiteral("detailStop"), kOperatorPin);
        QCOMPARE(m_sent.size(), 1);
        QCOMPARE(m_sent[0].command, ChargerCommand::Stop);
    }

    void withoutAnOperatorPinThereIsNoStartOrStop()
    {
        QQuickWindow* window = showDetail(QStringLiteral("tile:CP-1:2"), TouchViewOptions {});
        QVERIFY(window);
        QVERIFY(!findItem(window, QStringLiteral("detailStart"))->isEnabled());
        QCOMPARE(textOf(window, QStringLiteral("detailMessage")),
            QStringLiteral("Start and stop need an operator PIN in the configuration"));
    }

    void germanWhenConfigured()
    {
        TouchViewOptions options = withPin();
        options.language = QStringLiteral("de");
        QQuickWindow* window = showView(4, options);
        QVERIFY(window);
        QCOMPARE(textOf(window, QStringLiteral("overviewTab")), QStringLiteral("Übersicht"));
        QCOMPARE(textOf(window, QStringLiteral("historyTab")), QStringLiteral("Verlauf"));
        QQuickItem* tile = findItem(window, QStringLiteral("tile:CP-1:1"));
        QCOMPARE(textOf(tile, QStringLiteral("tileState")), QStringLiteral("Lädt"));
        QCOMPARE(textOf(tile, QStringLiteral("tileCurrent")), QStringLiteral("12,5 / 16 A"));
        QCOMPARE(textOf(window, QStringLiteral("csmsLink")), QStringLiteral("Nicht erreichbar"));
        QCOMPARE(textOf(window, QStringLiteral("backlog")), QStringLiteral("42 Nachrichten"));
        tap(window, tile);
        QTRY_VERIFY(findItem(window, QStringLiteral("detailBack")));
        QCOMPARE(textOf(window, QStringLiteral("detailBack")), QStringLiteral("Zurück"));
    }

    void theHistoryPageShowsItsCharts()
    {
        QQuickWindow* window = showView(4);
        QVERIFY(window);
        QVERIFY(!findItem(window, QStringLiteral("energyChart")));
        tap(window, QStringLiteral("historyTab"));
        QTRY_VERIFY(findItem(window, QStringLiteral("energyChart")));
        QVERIFY(findItem(window, QStringLiteral("sitePowerChart")));
        tap(window, QStringLiteral("overviewTab"));
        QTRY_VERIFY(!findItem(window, QStringLiteral("energyChart")));
    }

    void aQmlErrorIsLoggedAndTheViewGoesOn()
    {
        QQuickWindow* window = showView(2);
        QVERIFY(window);
        LogCapture log("linkray.hmi");
        QQmlEngine* engine = qmlEngine(findItem(window, QStringLiteral("tiles")));
        QVERIFY(engine);
        QQmlComponent broken(engine);
        broken.setData("import QtQuick\nItem { Component.onCompleted: notAFunction() }", QUrl());
        std::unique_ptr<QObject> item(broken.create());
        QVERIFY(item);
        QTRY_VERIFY(!log.messages.isEmpty());
        QVERIFY2(log.messages.first().contains(QStringLiteral("notAFunction")), qPrintable(log.messages.first()));

        m_view->chargers().setChargers(sampleChargers(3));
        QTRY_VERIFY(findItem(window, QStringLiteral("tile:CP-2:1")));
    }

    void aViewThatFailsToLoadIsLoggedAndNotShown()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("Broken.qml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("import QtQuick\nRectangle { colour: \"red\" }\n");
        file.close();

        LogCapture log("linkray.hmi");
        TouchViewOptions options;
        options.qmlSource = QUrl::fromLocalFile(path);
        TouchView view(*m_clock, options);
        QVERIFY(!view.show());
        QVERIFY(!view.window());
        QVERIFY2(log.messages.join(u'\n').contains(QStringLiteral("colour")), qPrintable(log.messages.join(u'\n')));
        view.chargers().setChargers(sampleChargers(2));
        QCOMPARE(view.chargers().count(), 2);
    }

private:
    static TouchViewOptions withPin()
    {
        TouchViewOptions options;
        options.operatorPinHash = operatorPinHash();
        return options;
    }

    QQuickWindow* showView(int chargers, const TouchViewOptions& options = withPin())
    {
        m_view = std::make_unique<TouchView>(*m_clock, options);
        m_view->setCommandSender([this](const QString& chargePointId, int connectorId, ChargerCommand::Value command,
                                     std::function<void(bool)> done) {
            m_sent.append({chargePointId, connectorId, command, std::move(done)});
        });
        m_view->chargers().setChargers(sampleChargers(chargers));
        feedSampleSite(*m_view);
        if (!m_view->show() || !QTest::qWaitForWindowExposed(m_view->window()))
            return nullptr;
        return m_view->window();
    }

    QQuickWindow* showDetail(const QString& tileName, const TouchViewOptions& options = withPin())
    {
        QQuickWindow* window = showView(4, options);
        if (!window)
            return nullptr;
        tap(window, tileName);
        return QTest::qWaitFor([&] { return findItem(window, QStringLiteral("detailStart")) != nullptr; }) ? window
                                                                                                           : nullptr;
    }

    void enterPin(QQuickWindow* window, const QString& button, const QString& pin)
    {
        tap(window, button);
        QTRY_VERIFY(findItem(window, QStringLiteral("pinOk")));
        for (const QChar digit : pin)
            tap(window, QStringLiteral("pinKey") + digit);
        tap(window, QStringLiteral("pinOk"));
        QTRY_VERIFY(!findItem(window, QStringLiteral("pinOk")));
    }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<TouchView> m_view;
    QList<SentCommand> m_sent;
};

QTEST_MAIN(TestTouchView)
#include "tst_touchview.moc"
