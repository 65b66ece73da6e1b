import QtQuick
import QtQuick.Layouts
import LinkRay.Hmi

// The top line: page tabs, the first alert, the network and the time.
Rectangle {
    id: line

    required property SiteViewModel site
    required property int page

    signal pageRequested(int page)

    color: Theme.surface
    implicitHeight: Theme.statusLineHeight

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.padding
        spacing: Theme.spacing

        TouchButton {
            objectName: "overviewTab"
            text: qsTr("Overview")
            checked: line.page === Pages.overview
            onClicked: line.pageRequested(Pages.overview)
        }
        TouchButton {
            objectName: "historyTab"
            text: qsTr("History")
            checked: line.page === Pages.history
            onClicked: line.pageRequested(Pages.history)
        }
        Text {
            objectName: "alerts"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignRight
            visible: line.site.alertCount > 0
            text: line.site.alertCount === 0 ? ""
                : Display.alert(line.site.alerts[0].kind, line.site.alerts[0].subject)
                  + (line.site.alertCount > 1 ? qsTr(" (+%n more)", "", line.site.alertCount - 1) : "")
            color: Theme.warning
            font.pixelSize: Theme.fontBody
            font.bold: true
            elide: Text.ElideRight
        }
        Item {
            visible: line.site.alertCount === 0
            Layout.fillWidth: true
        }
        Text {
            objectName: "network"
            visible: text !== ""
            text: Display.networkState(line.site.network)
            color: line.site.network === NetworkState.Offline ? Theme.fault : Theme.textMuted
            font.pixelSize: Theme.fontBody
        }
        Text {
            objectName: "clock"
            text: line.site.timeText
            color: Theme.text
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
    }
}
