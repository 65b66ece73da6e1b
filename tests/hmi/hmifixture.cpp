#include "hmifixture.h"

#include "core/passwordhash.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace linkray::hmi::test {

namespace {

// Long enough for a chart's late frame to be scheduled; no frame in this time means the view is drawn.
constexpr int kQuietFrameMs = 300;

} // namespace

QString operatorPinHash()
{
    static const QString hash = hashPassword(kOperatorPin);
    return hash;
}

QList<ChargerTile> sampleChargers(int count)
{
    static const ConnectorState::Value states[]
        = {ConnectorState::Charging, ConnectorState::Occupied, ConnectorState::Available, ConnectorState::Suspended,
            ConnectorState::Charging, ConnectorState::Faulted, ConnectorState::Offline};
    QList<ChargerTile> tiles;
    for (int i = 0; i < count; ++i) {
        ChargerTile tile;
        tile.chargePointId = QStringLiteral("CP-%1").arg(i / 2 + 1);
        tile.connectorId = i % 2 + 1;
        tile.state = states[i % std::size(states)];
        if (tile.state != ConnectorState::Offline)
            tile.limitA = tile.state == ConnectorState::Charging ? 16.0 : 6.0;
        if (tile.state == ConnectorState::Charging || tile.state == ConnectorState::Suspended) {
            tile.drawA = tile.state == ConnectorState::Charging ? 12.5 + i % 3 : 0.0;
            tile.sessionEnergyKWh = 3.2 + i * 0.7;
        }
        tiles.append(tile);
    }
    return tiles;
}

void feedSampleSite(TouchView& view)
{
    SiteViewModel& site = view.site();
    site.setPhases({{41.5, 63.0}, {57.9, 63.0}, {66.2, 63.0}});
    site.setMeterState(MeterState::Ok);
    site.setCsmsLink(LinkState::Down);
    site.setBacklog(42);
    site.setNetwork(NetworkState::Online);
    site.setAlerts({{AlertKind::ChargerFaulted, QStringLiteral("CP-3")}, {AlertKind::CsmsUnreachable, {}}});

    HistoryModel& history = view.history();
    const QDate today(2026, 3, 8);
    QList<DailyEnergy> days;
    const double energies[] = {182.0, 240.5, 96.3, 210.0, 264.8, 120.4, 88.1};
    for (int i = 0; i < 7; ++i)
        days.append({today.addDays(i - 6), energies[i]});
    history.setDailyEnergy(days);
    QList<QPointF> sitePower;
    QList<QPointF> chargerPower;
    for (int quarter = 0; quarter <= 4 * 14; ++quarter) {
        const double hour = quarter / 4.0;
        const double daytime = hour < 7.0 ? 0.0 : std::sin((hour - 7.0) / 10.0 * 3.14159);
        sitePower.append({hour, 6.0 + 38.0 * std::max(0.0, daytime)});
        chargerPower.append({hour, hour >= 8.0 && hour < 11.5 ? 11.0 - (hour - 8.0) : 0.0});
    }
    history.setSitePowerToday(sitePower);
    history.setChargerPowerToday(QStringLiteral("CP-1"), 1, chargerPower);
    history.setChargerPowerToday(QStringLiteral("CP-1"), 2, chargerPower);
}

QQuickItem* findItem(QQuickItem* root, const QString& objectName)
{
    if (!root || !root->isVisible())
        return nullptr;
    if (root->objectName() == objectName)
        return root;
    const QList<QQuickItem*> children = root->childItems();
    for (QQuickItem* child : children) {
        if (QQuickItem* found = findItem(child, objectName))
            return found;
    }
    return nullptr;
}

QQuickItem* findItem(QQuickWindow* window, const QString& objectName)
{
    return findItem(window->contentItem(), objectName);
}

QString textOf(QQuickItem* root, const QString& objectName)
{
    QQuickItem* item = findItem(root, objectName);
    return item ? item->property("text").toString() : QString();
}

QString textOf(QQuickWindow* window, const QString& objectName)
{
    return textOf(window->contentItem(), objectName);
}

void tap(QQuickWindow* window, QQuickItem* item)
{
    QVERIFY2(item, "no item to tap");
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
}

void tap(QQuickWindow* window, const QString& objectName)
{
    QQuickItem* item = findItem(window, objectName);
    QVERIFY2(item, qPrintable(QStringLiteral("no item %1").arg(objectName)));
    tap(window, item);
}

bool waitUntilRendered(QQuickWindow* window)
{
    if (!QTest::qWaitForWindowExposed(window))
        return false;
    QSignalSpy frames(window, &QQuickWindow::frameSwapped);
    window->update();
    while (frames.wait(kQuietFrameMs)) { }
    return frames.count() > 0;
}

} // namespace linkray::hmi::test
