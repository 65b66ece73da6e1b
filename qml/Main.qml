import QtQuick
import QtQuick.Layouts
import LinkRay.Hmi

// The touch view's root: the status line over one page at a time. The TouchView sets the models.
Rectangle {
    id: root

    required property SiteViewModel site
    required property ChargerListModel chargers
    required property ChargerDetail detail
    required property HistoryModel history
    required property ChargerCommands commands

    property int page: Pages.overview

    width: 800
    height: 480
    color: Theme.background

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        StatusLine {
            Layout.fillWidth: true
            site: root.site
            page: root.page
            onPageRequested: requested => root.page = requested
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: root.page

            OverviewPage {
                site: root.site
                chargers: root.chargers
                onTileTapped: (chargePointId, connectorId) => {
                    root.detail.select(chargePointId, connectorId);
                    root.page = Pages.detail;
                }
            }
            // The chart pages are made when first shown and dropped when left: the overview starts fast.
            Loader {
                objectName: "historyLoader"
                active: root.page === Pages.history
                sourceComponent: HistoryPage {
                    history: root.history
                }
            }
            Loader {
                objectName: "detailLoader"
                active: root.page === Pages.detail
                sourceComponent: ChargerDetailPage {
                    detail: root.detail
                    history: root.history
                    commands: root.commands
                    onBackRequested: root.page = Pages.overview
                }
            }
        }
    }
}
