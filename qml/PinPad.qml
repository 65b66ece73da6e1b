import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Templates as T

// Asks for the operator PIN with large keys; the digits never leave the pad except through `accepted`.
Popup {
    id: pad

    property string title
    property string digits

    signal accepted(string pin)

    objectName: "pinPad"
    parent: T.Overlay.overlay
    anchors.centerIn: parent
    modal: true
    closePolicy: Popup.CloseOnEscape
    padding: Theme.padding
    onOpened: digits = ""
    onClosed: digits = ""

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radius
        border.color: Theme.accent
        border.width: 2
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing

        RowLayout {
            Text {
                Layout.fillWidth: true
                text: pad.title
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            TouchButton {
                objectName: "pinCancel"
                text: qsTr("Cancel")
                tint: Theme.idle
                onClicked: pad.close()
            }
        }
        Text {
            objectName: "pinDisplay"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: pad.digits.length > 0 ? "●".repeat(pad.digits.length) : qsTr("Enter the operator PIN")
            color: pad.digits.length > 0 ? Theme.text : Theme.textMuted
            font.pixelSize: Theme.fontLarge
        }
        GridLayout {
            columns: 3
            rowSpacing: Theme.spacing
            columnSpacing: Theme.spacing

            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
                delegate: TouchButton {
                    required property string modelData
                    objectName: "pinKey" + modelData
                    text: modelData
                    font.pixelSize: Theme.fontLarge
                    onClicked: pad.digits += modelData
                }
            }
            TouchButton {
                objectName: "pinClear"
                text: qsTr("Clear")
                tint: Theme.idle
                onClicked: pad.digits = ""
            }
            TouchButton {
                objectName: "pinKey0"
                text: "0"
                font.pixelSize: Theme.fontLarge
                onClicked: pad.digits += "0"
            }
            TouchButton {
                objectName: "pinOk"
                text: qsTr("OK")
                tint: Theme.good
                enabled: pad.digits.length > 0
                onClicked: {
                    const pin = pad.digits;
                    pad.close();
                    pad.accepted(pin);
                }
            }
        }
    }
}
