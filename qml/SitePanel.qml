import QtQuick
import QtQuick.Layouts
import LinkRay.Hmi

// The site at a glance: per-phase load against the limit, the meter, the CSMS link and, in an outage, the backlog.
Rectangle {
    id: panel

    required property SiteViewModel site

    color: Theme.surface
    radius: Theme.radius

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing

        Text {
            text: qsTr("Site load")
            color: Theme.text
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
        Repeater {
            model: panel.site.phases
            delegate: PhaseBar {
                Layout.fillWidth: true
            }
        }
        Text {
            visible: panel.site.phases.length === 0
            text: qsTr("No phase readings")
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
        }
        Item {
            Layout.fillHeight: true
        }
        ValueRow {
            Layout.fillWidth: true
            stacked: true
            label: qsTr("Meter")
            value: Display.meterState(panel.site.meterState)
            valueColor: Display.meterColor(panel.site.meterState)
            valueObjectName: "meterState"
        }
        ValueRow {
            Layout.fillWidth: true
            stacked: true
            label: qsTr("CSMS")
            value: Display.linkState(panel.site.csmsLink)
            valueColor: Display.linkColor(panel.site.csmsLink)
            valueObjectName: "csmsLink"
        }
        ValueRow {
            Layout.fillWidth: true
            stacked: true
            visible: panel.site.backlogVisible
            label: qsTr("Backlog")
            value: qsTr("%n message(s)", "", panel.site.backlog)
            valueColor: panel.site.backlog > 0 ? Theme.warning : Theme.text
            valueObjectName: "backlog"
        }
    }
}
