import QtQuick
import QtCharts

// Power across one day: hours since midnight against kW. The owner fills `series` from the HistoryModel.
ChartView {
    id: chart

    property alias series: line
    property alias maxKW: powerAxis.max

    theme: ChartView.ChartThemeDark
    backgroundColor: Theme.surface
    titleColor: Theme.text
    titleFont: Qt.font({pixelSize: Theme.fontBody, bold: true}) // whole: titleFont.pixelSize alone has no effect in 6.4
    legend.visible: false
    antialiasing: true
    margins.top: 0
    margins.bottom: 0

    ValueAxis {
        id: hourAxis
        min: 0
        max: 24
        tickCount: 7
        labelFormat: "%d"
        titleText: qsTr("h")
        labelsFont.pixelSize: Theme.fontSmall
        labelsColor: Theme.textMuted
    }
    ValueAxis {
        id: powerAxis
        min: 0
        tickCount: 6 // 0 to a maximum of 1, 2 or 5 x 10^n in round steps
        labelFormat: "%g"
        labelsFont.pixelSize: Theme.fontSmall
        labelsColor: Theme.textMuted
    }
    LineSeries {
        id: line
        axisX: hourAxis
        axisY: powerAxis
        color: Theme.accent
        width: 3
    }
}
