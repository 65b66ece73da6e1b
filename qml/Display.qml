pragma Singleton
import QtQuick
import LinkRay.Hmi

// How the models' values are shown: texts in the language the application chose (Qt.uiLanguage), numbers in its
// format, colours for states. Theme knows nothing of the models, so the two singletons do not import each other
// (two singletons importing their own module make a cycle in Qt 6.4).
QtObject {
    readonly property var locale: Qt.locale(Qt.uiLanguage)
    readonly property string dash: "–"

    function number(value, decimals: int): string {
        return value === undefined || value === null ? dash : Number(value).toLocaleString(locale, "f", decimals);
    }

    function amps(value): string {
        return number(value, 1) + " A";
    }

    function ampsOf(value, limit): string {
        return number(value, 1) + " / " + number(limit, 0) + " A";
    }

    function kWh(value): string {
        return number(value, 1) + " kWh";
    }

    function connectorState(state: int): string {
        switch (state) {
        case ConnectorState.Available:
            return qsTr("Available");
        case ConnectorState.Occupied:
            return qsTr("Occupied");
        case ConnectorState.Charging:
            return qsTr("Charging");
        case ConnectorState.Suspended:
            return qsTr("Suspended");
        case ConnectorState.Faulted:
            return qsTr("Faulted");
        case ConnectorState.Unavailable:
            return qsTr("Unavailable");
        default:
            return qsTr("Offline");
        }
    }

    function meterState(state: int): string {
        switch (state) {
        case MeterState.Ok:
            return qsTr("Reading");
        case MeterState.Stale:
            return qsTr("No recent reading");
        case MeterState.Failed:
            return qsTr("Failed");
        default:
            return qsTr("No meter");
        }
    }

    function linkState(state: int): string {
        switch (state) {
        case LinkState.Connected:
            return qsTr("Connected");
        case LinkState.Connecting:
            return qsTr("Connecting");
        case LinkState.Down:
            return qsTr("Unreachable");
        default:
            return qsTr("Offline mode");
        }
    }

    function networkState(state: int): string {
        switch (state) {
        case NetworkState.Online:
            return qsTr("Online");
        case NetworkState.Offline:
            return qsTr("Network offline");
        default:
            return "";
        }
    }

    function alert(kind: int, subject: string): string {
        switch (kind) {
        case AlertKind.ChargerFaulted:
            return qsTr("%1 faulted").arg(subject);
        case AlertKind.ChargerOffline:
            return qsTr("%1 offline").arg(subject);
        case AlertKind.ChargerOverLimit:
            return qsTr("%1 above its limit").arg(subject);
        case AlertKind.ProfileRejected:
            return qsTr("%1 refuses its limit").arg(subject);
        case AlertKind.MeterProblem:
            return qsTr("Meter problem");
        default:
            return qsTr("CSMS unreachable");
        }
    }

    function commandResult(result: int, command: int): string {
        switch (result) {
        case ChargerCommands.Sent:
            return command === ChargerCommand.Start ? qsTr("Start sent") : qsTr("Stop sent");
        case ChargerCommands.WrongPin:
            return qsTr("Wrong PIN");
        case ChargerCommands.LockedOut:
            return qsTr("Too many wrong PINs: locked for a minute");
        default:
            return qsTr("Start and stop are not available");
        }
    }

    function commandAnswer(command: int, accepted: bool): string {
        if (command === ChargerCommand.Start)
            return accepted ? qsTr("The charger accepted the start") : qsTr("The charger refused the start");
        return accepted ? qsTr("The charger accepted the stop") : qsTr("The charger refused the stop");
    }

    function connectorColor(state: int): color {
        switch (state) {
        case ConnectorState.Available:
            return Theme.good;
        case ConnectorState.Charging:
            return Theme.accent;
        case ConnectorState.Occupied:
        case ConnectorState.Suspended:
            return Theme.warning;
        case ConnectorState.Faulted:
            return Theme.fault;
        default:
            return Theme.idle;
        }
    }

    function meterColor(state: int): color {
        switch (state) {
        case MeterState.Ok:
            return Theme.good;
        case MeterState.Stale:
            return Theme.warning;
        case MeterState.Failed:
            return Theme.fault;
        default:
            return Theme.idle;
        }
    }

    function linkColor(state: int): color {
        switch (state) {
        case LinkState.Connected:
            return Theme.good;
        case LinkState.Connecting:
            return Theme.warning;
        case LinkState.Down:
            return Theme.fault;
        default:
            return Theme.idle;
        }
    }
}
