import QtQuick
import QtQuick.Layouts

// One phase's current against its limit: the bar is full at the limit and turns red above it.
ColumnLayout {
    id: phase

    required property var modelData // an entry of SiteViewModel.phases

    objectName: "phase" + modelData.name
    spacing: 2

    RowLayout {
        Text {
            text: phase.modelData.name
            color: Theme.text
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
        Text {
            objectName: "phaseValue"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignRight
            text: Display.ampsOf(phase.modelData.currentA, phase.modelData.limitA)
            color: phase.modelData.overLimit ? Theme.fault : Theme.text
            font.pixelSize: Theme.fontBody
        }
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: Theme.barHeight
        radius: height / 2
        color: Theme.surfaceRaised

        Rectangle {
            height: parent.height
            radius: parent.radius
            width: parent.width * (phase.modelData.ratio === undefined ? 0 : Math.min(1, phase.modelData.ratio))
            color: phase.modelData.overLimit ? Theme.fault : phase.modelData.nearLimit ? Theme.warning : Theme.good
        }
    }
}
