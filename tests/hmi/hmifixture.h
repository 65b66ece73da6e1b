#pragma once

#include "hmi/touchview.h"

#include <QList>
#include <QString>

class QQuickItem;
class QQuickWindow;

// Sample data and helpers shared by the tests that show the touch view offscreen.
namespace linkray::hmi::test {

inline const QString kOperatorPin = QStringLiteral("4711");

// The hash of kOperatorPin, made once per process (a hash costs about 15 ms).
QString operatorPinHash();

// `count` connectors CP-1/1 … in a mix of states, values and absent values.
QList<ChargerTile> sampleChargers(int count);

// Phases, meter, CSMS outage with a backlog, alerts and a week of history.
void feedSampleSite(TouchView& view);

// The first visible item called `objectName` in the window's visual tree, or null.
QQuickItem* findItem(QQuickItem* root, const QString& objectName);
QQuickItem* findItem(QQuickWindow* window, const QString& objectName);
// The `text` of that item; a null string when there is none.
QString textOf(QQuickItem* root, const QString& objectName);
QString textOf(QQuickWindow* window, const QString& objectName);
// A mouse click in the middle of the item, as a tap arrives.
void tap(QQuickWindow* window, QQuickItem* item);
void tap(QQuickWindow* window, const QString& objectName);

// Waits until the window is exposed and a frame has passed with nothing new to draw (charts draw a frame late).
bool waitUntilRendered(QQuickWindow* window);

} // namespace linkray::hmi::test
