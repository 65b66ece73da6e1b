import QtQuick
import QtQuick.Layouts
import LinkRay.Hmi

// One connector in detail: its values, start and stop behind the operator PIN, and its power across today.
Item {
    id: page

    required property ChargerDetail detail
    required property HistoryModel history
    required property ChargerCommands commands

    property int requestedCommand: ChargerCommand.Start
    property string message // the outcome of the last start or stop

    signal backRequested

    function refreshPower() {
        power.maxKW = page.history.chargerPowerAxisMaxKW(page.detail.chargePointId, page.detail.connectorId);
        page.history.fillChargerPower(power.series, page.detail.chargePointId, page.detail.connectorId);
    }

    function ask(command: int) {
        page.requestedCommand = command;
        pinPad.title = command === ChargerCommand.Start ? qsTr("Start charging") : qsTr("Stop charging");
        pinPad.open();
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        Rectangle {
            Layout.preferredWidth: Theme.sitePanelWidth + Theme.tileMinWidth / 2
            Layout.fillHeight: true
            color: Theme.surface
            radius: Theme.radius

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.padding
                spacing: Theme.spacing

                RowLayout {
                    spacing: Theme.spacing

                    TouchButton {
                        objectName: "detailBack"
                        text: qsTr("Back")
                        tint: Theme.idle
                        onClicked: page.backRequested()
                    }
                    Text {
                        objectName: "detailTitle"
                        Layout.fillWidth: true
                        text: qsTr("%1 · connector %2").arg(page.detail.chargePointId).arg(page.detail.connectorId)
                        color: Theme.text
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                    }
                }
                Text {
                    objectName: "detailState"
                    text: page.detail.present ? Display.connectorState(page.detail.connectorState)
                                              : qsTr("No longer connected")
                    color: Display.connectorColor(page.detail.connectorState)
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                }
                ValueRow {
                    Layout.fillWidth: true
                    label: qsTr("Draw")
                    value: Display.amps(page.detail.drawA)
                    valueSize: Theme.fontLarge
                    valueObjectName: "detailDraw"
                }
                ValueRow {
                    Layout.fillWidth: true
                    label: qsTr("Limit")
                    value: Display.amps(page.detail.limitA)
                    valueSize: Theme.fontLarge
                }
                ValueRow {
                    Layout.fillWidth: true
                    label: qsTr("Session")
                    value: Display.kWh(page.detail.sessionEnergyKWh)
                    valueSize: Theme.fontLarge
                }
                Item {
                    Layout.fillHeight: true
                }
                RowLayout {
                    spacing: Theme.spacing

                    TouchButton {
                        objectName: "detailStart"
                        Layout.fillWidth: true
                        text: qsTr("Start")
                        tint: Theme.good
                        enabled: page.commands.available && !page.commands.lockedOut && page.detail.canStart
                        onClicked: page.ask(ChargerCommand.Start)
                    }
                    TouchButton {
                        objectName: "detailStop"
                        Layout.fillWidth: true
                        text: qsTr("Stop")
                        tint: Theme.fault
                        enabled: page.commands.available && !page.commands.lockedOut && page.detail.canStop
                        onClicked: page.ask(ChargerCommand.Stop)
                    }
                }
                Text {
                    objectName: "detailMessage"
                    Layout.fillWidth: true
                    text: !page.commands.available ? qsTr("Start and stop need an operator PIN in the configuration")
                        : page.commands.lockedOut ? Display.commandResult(ChargerCommands.LockedOut, page.requestedCommand)
                        : page.message
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }

        PowerChart {
            id: power
            objectName: "chargerPowerChart"
            Layout.fillWidth: true
            Layout.fillHeight: true
            title: qsTr("Power today (kW)")
            Component.onCompleted: page.refreshPower()
        }
    }

    PinPad {
        id: pinPad
        onAccepted: pin => {
            const result = page.commands.request(page.detail.chargePointId, page.detail.connectorId,
                                                 page.requestedCommand, pin);
            page.message = Display.commandResult(result, page.requestedCommand);
        }
    }

    Connections {
        target: page.detail
        function onChanged() {
            page.refreshPower();
        }
    }
    Connections {
        target: page.history
        function onChargerPowerChanged(chargePointId: string, connectorId: int) {
            if (chargePointId === page.detail.chargePointId && connectorId === page.detail.connectorId)
                page.refreshPower();
        }
    }
    Connections {
        target: page.commands
        function onAnswered(chargePointId: string, connectorId: int, command: int, accepted: bool) {
            if (chargePointId === page.detail.chargePointId && connectorId === page.detail.connectorId)
                page.message = Display.commandAnswer(command, accepted);
        }
    }
}
