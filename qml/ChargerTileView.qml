import QtQuick
import QtQuick.Layouts

// One connector's tile: state, draw against limit, session energy. Tapping opens its detail.
Rectangle {
    id: tile

    required property string chargePointId
    required property int connectorId
    required property int connectorState
    required property var limitA
    required property var drawA
    required property var sessionEnergyKWh
    required property var loadRatio

    signal tapped

    objectName: "tile:" + chargePointId + ":" + connectorId
    color: tapHandler.pressed ? Theme.surfaceRaised : Theme.surface
    radius: Theme.radius
    border.color: Display.connectorColor(connectorState)
    border.width: 3

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: 2

        Text {
            Layout.fillWidth: true
            text: tile.chargePointId + " · " + tile.connectorId
            color: Theme.text
            font.pixelSize: Theme.fontBody
            font.bold: true
            elide: Text.ElideMiddle
        }
        Text {
            objectName: "tileState"
            text: Display.connectorState(tile.connectorState)
            color: Display.connectorColor(tile.connectorState)
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
        Text {
            objectName: "tileCurrent"
            text: Display.ampsOf(tile.drawA, tile.limitA)
            color: Theme.text
            font.pixelSize: Theme.fontBody
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.barHeight / 2
            radius: height / 2
            color: Theme.surfaceRaised

            Rectangle {
                height: parent.height
                radius: parent.radius
                width: parent.width * (tile.loadRatio === undefined ? 0 : Math.min(1, tile.loadRatio))
                color: Display.connectorColor(tile.connectorState)
            }
        }
        Text {
            objectName: "tileEnergy"
            text: Display.kWh(tile.sessionEnergyKWh)
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
        }
    }

    TapHandler {
        id: tapHandler
        onTapped: tile.tapped()
    }
}
