#pragma once

#include "core/clock.h"
#include "hmi/chargercommands.h"
#include "hmi/chargerdetail.h"
#include "hmi/chargerlistmodel.h"
#include "hmi/historymodel.h"
#include "hmi/pinguard.h"
#include "hmi/siteviewmodel.h"

#include <QList>
#include <QObject>
#include <QQmlError>
#include <QSize>
#include <QString>
#include <QUrl>

#include <memory>

class QQuickView;
class QQuickWindow;
class QTranslator;

namespace linkray::hmi {

struct TouchViewOptions {
    QString language = QStringLiteral("en"); // "en" or "de": the view's texts and number format
    QString operatorPinHash; // hashPassword() or hashPasswordScrypt() output; empty: no start/stop at the screen
    QSize size = QSize(800, 480);
    bool fullScreen = false;
    QUrl qmlSource; // empty: the built-in view, qrc:/LinkRay/Hmi/Main.qml
};

// The touch display view (docs/hmi.md): owns the models the application feeds and the window that shows them.
// The models work without the window; show() needs a QApplication (Qt Charts draws with Widgets).
class TouchView : public QObject {
    Q_OBJECT
public:
    TouchView(Clock& clock, TouchViewOptions options, QObject* parent = nullptr);
    ~TouchView() override;

    SiteViewModel& site() { return *m_site; }
    ChargerListModel& chargers() { return *m_chargers; }
    HistoryModel& history() { return *m_history; }
    // What the detail page's start and stop buttons call.
    ChargerCommands& commands() { return *m_commands; }
    // Start and stop go out through `sender` once the operator PIN checked out.
    void setCommandSender(CommandSender sender);

    // Loads the QML and shows the window. False, with the QML errors logged under linkray.hmi, when the view cannot
    // be shown; LinkRay goes on without it.
    bool show();
    // The shown window; null before show() succeeded.
    QQuickWindow* window() const;

private:
    void installTranslation();
    void logQmlErrors(const QList<QQmlError>& errors) const;

    TouchViewOptions m_options;
    std::unique_ptr<SiteViewModel> m_site;
    std::unique_ptr<ChargerListModel> m_chargers;
    std::unique_ptr<ChargerDetail> m_detail;
    std::unique_ptr<HistoryModel> m_history;
    std::unique_ptr<PinGuard> m_pinGuard;
    std::unique_ptr<ChargerCommands> m_commands;
    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<QQuickView> m_view;
};

} // namespace linkray::hmi
