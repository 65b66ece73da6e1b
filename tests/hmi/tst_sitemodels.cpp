#include "core/clock.h"
#include "hmi/chargerdetail.h"
#include "hmi/historymodel.h"
#include "hmi/siteviewmodel.h"

#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::hmi;

// The site, history and detail models the QML binds to, without the QML.
class TestSiteModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void phasesCarryLoadRatioAndOverLimit()
    {
        ManualClock clock;
        SiteViewModel site(clock);
        QSignalSpy changed(&site, &SiteViewModel::phasesChanged);
        site.setPhases({{20.0, 40.0}, {42.0, 40.0}, {std::nullopt, 40.0}});
        site.setPhases({{20.0, 40.0}, {42.0, 40.0}, {std::nullopt, 40.0}}); // unchanged: no signal
        QCOMPARE(changed.count(), 1);

        const QVariantList phases = site.phases();
        QCOMPARE(phases.size(), 3);
        const QVariantMap l1 = phases[0].toMap();
        QCOMPARE(l1.value(QStringLiteral("name")).toString(), QStringLiteral("L1"));
        QCOMPARE(l1.value(QStringLiteral("ratio")).toDouble(), 0.5);
        QVERIFY(!l1.value(QStringLiteral("nearLimit")).toBool());
        QVERIFY(!l1.value(QStringLiteral("overLimit")).toBool());
        const QVariantMap l2 = phases[1].toMap();
        QVERIFY(l2.value(QStringLiteral("nearLimit")).toBool());
        QVERIFY(l2.value(QStringLiteral("overLimit")).toBool());
        const QVariantMap l3 = phases[2].toMap();
        QVERIFY(!l3.value(QStringLiteral("currentA")).isValid());
        QVERIFY(!l3.value(QStringLiteral("ratio")).isValid());
        QVERIFY(!l3.value(QStringLiteral("overLimit")).toBool());
    }

    void backlogShowsDuringAnOutageAndWhileItDrains()
    {
        ManualClock clock;
        SiteViewModel site(clock);
        QSignalSpy visibility(&site, &SiteViewModel::backlogVisibleChanged);
        site.setBacklog(3); // offline mode: LinkRay is the central system, nothing waits for a CSMS
        QVERIFY(!site.backlogVisible());
        site.setCsmsLink(LinkState::Connected);
        QVERIFY(site.backlogVisible());
        site.setBacklog(0);
        QVERIFY(!site.backlogVisible());
        site.setCsmsLink(LinkState::Down);
        QVERIFY(site.backlogVisible());
        QCOMPARE(visibility.count(), 3);
    }

    void timeFollowsTheClockEachMinute()
    {
        const QDateTime start(QDate(2026, 3, 1), QTime(9, 58, 30), Qt::UTC);
        const auto localTime
            = [&](qint64 afterMs) { return start.addMSecs(afterMs).toLocalTime().toString(QStringLiteral("HH:mm")); };
        ManualClock clock(start);
        SiteViewModel site(clock);
        QCOMPARE(site.timeText(), localTime(0));
        QSignalSpy changed(&site, &SiteViewModel::timeTextChanged);
        clock.advance(29999);
        QCOMPARE(changed.count(), 0);
        clock.advance(1);
        QCOMPARE(site.timeText(), localTime(30000));
        clock.advance(60000);
        QCOMPARE(site.timeText(), localTime(90000));
        QCOMPARE(changed.count(), 2);
    }

    void alertsAreListedInOrder()
    {
        ManualClock clock;
        SiteViewModel site(clock);
        site.setAlerts({{AlertKind::ChargerFaulted, QStringLiteral("CP-3")}, {AlertKind::MeterProblem, {}}});
        QCOMPARE(site.alertCount(), 2);
        const QVariantMap first = site.alerts().first().toMap();
        QCOMPARE(first.value(QStringLiteral("kind")).toInt(), int(AlertKind::ChargerFaulted));
        QCOMPARE(first.value(QStringLiteral("subject")).toString(), QStringLiteral("CP-3"));
    }

    void axisMaximaAreRound_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("maximum");
        QTest::newRow("nothing") << 0.0 << 1.0;
        QTest::newRow("0.4") << 0.4 << 1.0;
        QTest::newRow("1.5") << 1.5 << 2.0;
        QTest::newRow("22") << 22.0 << 50.0;
        QTest::newRow("50") << 50.0 << 50.0;
        QTest::newRow("51") << 51.0 << 100.0;
        QTest::newRow("140") << 140.0 << 200.0;
    }

    void axisMaximaAreRound()
    {
        QFETCH(double, value);
        QFETCH(double, maximum);
        QCOMPARE(roundAxisMaximum(value), maximum);
    }

    void daysAreNamedInTheViewsLanguage()
    {
        const QList<DailyEnergy> days {{QDate(2026, 3, 2), 40.0}, {QDate(2026, 3, 3), 55.5}};
        HistoryModel english(QLocale(QStringLiteral("en")));
        english.setDailyEnergy(days);
        QCOMPARE(english.dayLabels(), QStringList({QStringLiteral("Mon"), QStringLiteral("Tue")}));
        QCOMPARE(english.dailyEnergyKWh(), QVariantList({40.0, 55.5}));
        QCOMPARE(english.energyAxisMaxKWh(), 100.0);

        HistoryModel german(QLocale(QStringLiteral("de")));
        german.setDailyEnergy(days);
        QCOMPARE(german.dayLabels(), QStringList({QStringLiteral("Mo."), QStringLiteral("Di.")}));
    }

    void powerCurvesFillLineSeries()
    {
        HistoryModel history(QLocale(QStringLiteral("en")));
        const QList<QPointF> site {{0.0, 2.0}, {12.0, 31.0}};
        const QList<QPointF> charger {{8.0, 11.0}, {9.0, 7.0}};
        history.setSitePowerToday(site);
        QSignalSpy chargerChanged(&history, &HistoryModel::chargerPowerChanged);
        history.setChargerPowerToday(QStringLiteral("CP-1"), 2, charger);
        QCOMPARE(chargerChanged.count(), 1);

        QLineSeries series;
        history.fillSitePower(&series);
        QCOMPARE(series.points(), site);
        QCOMPARE(history.sitePowerAxisMaxKW(), 50.0);
        history.fillChargerPower(&series, QStringLiteral("CP-1"), 2);
        QCOMPARE(series.points(), charger);
        QCOMPARE(history.chargerPowerAxisMaxKW(QStringLiteral("CP-1"), 2), 20.0);
        history.fillChargerPower(&series, QStringLiteral("CP-1"), 1);
        QVERIFY(series.points().isEmpty());
    }

    void detailFollowsItsTileAndOffersWhatFits()
    {
        ChargerListModel chargers;
        ChargerDetail detail(chargers);
        ChargerTile tile;
        tile.chargePointId = QStringLiteral("CP-1");
        tile.state = ConnectorState::Occupied;
        chargers.setChargers({tile});
        detail.select(QStringLiteral("CP-1"), 1);
        QVERIFY(detail.present());
        QVERIFY(detail.canStart());
        QVERIFY(!detail.canStop());
        QVERIFY(!detail.drawA().isValid());

        QSignalSpy changed(&detail, &ChargerDetail::changed);
        tile.state = ConnectorState::Charging;
        tile.drawA = 15.5;
        chargers.updateCharger(tile);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(detail.drawA().toDouble(), 15.5);
        QVERIFY(!detail.canStart());
        QVERIFY(detail.canStop());

        ChargerTile other = tile;
        other.chargePointId = QStringLiteral("CP-2");
        chargers.updateCharger(other);
        QCOMPARE(changed.count(), 1);

        chargers.setChargers({other});
        QVERIFY(!detail.present());
        QVERIFY(!detail.canStop());
    }
};

QTEST_MAIN(TestSiteModels)
#include "tst_sitemodels.moc"
