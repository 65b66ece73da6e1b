pragma Singleton
import QtQuick

// Colours and sizes of the touch view, in one place. Sizes are pixels: the 7" 800x480 and the 10" 1280x800 panels
// have about the same density, so the larger panel shows more tiles rather than larger ones.
QtObject {
    // Light text on a dark ground: readable at arm's length and not glaring in a dim garage.
    readonly property color background: "#0f1419"
    readonly property color surface: "#1b232c"
    readonly property color surfaceRaised: "#27323d"
    readonly property color text: "#f2f5f7"
    readonly property color textMuted: "#aab5c0"
    readonly property color accent: "#3da5ff"
    readonly property color good: "#44c776"
    readonly property color warning: "#f5b82e"
    readonly property color fault: "#ff5f5f"
    readonly property color idle: "#8896a3"

    // Touch targets stay above 48 px so that a gloved finger hits them.
    readonly property int touchTarget: 56
    readonly property int spacing: 8
    readonly property int padding: 12
    readonly property int radius: 8
    readonly property int fontSmall: 16
    readonly property int fontBody: 20
    readonly property int fontLarge: 26
    readonly property int fontHuge: 34
    readonly property int statusLineHeight: 64
    readonly property int sitePanelWidth: 268
    readonly property int tileMinWidth: 160
    readonly property int tileHeight: 132
    readonly property int barHeight: 14
}
