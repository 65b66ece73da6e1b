pragma Singleton
import QtQuick

// The view's pages, as indexes of Main's page stack.
QtObject {
    readonly property int overview: 0
    readonly property int history: 1
    readonly property int detail: 2
}
