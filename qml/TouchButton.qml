import QtQuick
import QtQuick.Controls.Basic

// A large button for gloved fingers; `checked` marks the current page of the status line's tabs.
Button {
    id: control

    property color tint: Theme.accent

    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget * 2, implicitContentWidth + 2 * Theme.padding)
    font.pixelSize: Theme.fontBody
    font.bold: true

    contentItem: Text {
        text: control.text
        font: control.font
        color: control.enabled ? Theme.text : Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }

    background: Rectangle {
        radius: Theme.radius
        color: control.checked || control.down ? control.tint : Theme.surfaceRaised
        border.color: control.enabled ? control.tint : Theme.surfaceRaised
        border.width: 2
        opacity: control.enabled ? 1 : 0.5
    }
}
