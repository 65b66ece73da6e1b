import QtQuick
import QtQuick.Layouts

// A label and its value: side by side ("Draw   12.5 A"), or the value under its label where a translation may be
// long for the width (`stacked`).
GridLayout {
    id: row

    property alias label: labelText.text
    property alias value: valueText.text
    property alias valueColor: valueText.color
    property alias valueObjectName: valueText.objectName
    property int valueSize: Theme.fontBody
    property bool stacked: false

    columns: stacked ? 1 : 2
    columnSpacing: Theme.spacing
    rowSpacing: 0

    Text {
        id: labelText
        color: Theme.textMuted
        font.pixelSize: row.stacked ? Theme.fontSmall : Theme.fontBody
    }
    Text {
        id: valueText
        Layout.fillWidth: true
        horizontalAlignment: row.stacked ? Text.AlignLeft : Text.AlignRight
        color: Theme.text
        font.pixelSize: row.valueSize
        font.bold: true
        elide: Text.ElideRight
    }
}
