import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import LinkRay.Hmi

// The site panel beside the charger tiles; the grid adds columns as the screen widens.
Item {
    id: page

    required property SiteViewModel site
    required property ChargerListModel chargers

    signal tileTapped(string chargePointId, int connectorId)

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        SitePanel {
            Layout.preferredWidth: Theme.sitePanelWidth
            Layout.fillHeight: true
            site: page.site
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            GridView {
                id: grid

                readonly property int columns: Math.max(1, Math.floor(width / Theme.tileMinWidth))

                objectName: "tiles"
                anchors.fill: parent
                clip: true
                cellWidth: Math.floor(width / columns)
                cellHeight: Theme.tileHeight + Theme.spacing
                boundsBehavior: Flickable.StopAtBounds
                model: page.chargers

                delegate: ChargerTileView {
                    width: grid.cellWidth - Theme.spacing
                    height: Theme.tileHeight
                    onTapped: page.tileTapped(chargePointId, connectorId)
                }

                ScrollIndicator.vertical: ScrollIndicator {
                }
            }

            Text {
                anchors.centerIn: parent
                visible: grid.count === 0
                text: qsTr("No chargers connected yet")
                color: Theme.textMuted
                font.pixelSize: Theme.fontLarge
            }
        }
    }
}
