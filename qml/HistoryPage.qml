import QtQuick
import QtQuick.Layouts
import QtCharts
import LinkRay.Hmi

// Energy per day over the last week and the site's power across today.
Item {
    id: page

    required property HistoryModel history

    function refreshPower() {
        power.maxKW = page.history.sitePowerAxisMaxKW;
        page.history.fillSitePower(power.series);
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        ChartView {
            objectName: "energyChart"
            // Wider than the power chart: seven weekday labels must fit under the bars at 800x480.
            Layout.preferredWidth: parent.width * 0.58
            Layout.fillHeight: true
            title: qsTr("Energy per day (kWh)")
            theme: ChartView.ChartThemeDark
            backgroundColor: Theme.surface
            titleColor: Theme.text
            titleFont: Qt.font({pixelSize: Theme.fontBody, bold: true}) // see PowerChart
            margins.left: 0
            margins.right: 0
            legend.visible: false
            antialiasing: true

            BarSeries {
                labelsVisible: true
                labelsPosition: AbstractBarSeries.LabelsInsideEnd
                labelsPrecision: 3
                axisX: BarCategoryAxis {
                    categories: page.history.dayLabels
                    labelsFont.pixelSize: Theme.fontSmall
                    labelsColor: Theme.textMuted
                }
                axisY: ValueAxis {
                    min: 0
                    max: page.history.energyAxisMaxKWh
                    tickCount: 6 // see PowerChart
                    labelFormat: "%g"
                    labelsFont.pixelSize: Theme.fontSmall
                    labelsColor: Theme.textMuted
                }

                BarSet {
                    label: qsTr("Energy")
                    values: page.history.dailyEnergyKWh
                    color: Theme.accent
                    labelColor: Theme.text
                    labelFont.pixelSize: Theme.fontSmall
                }
            }
        }

        PowerChart {
            id: power
            objectName: "sitePowerChart"
            Layout.fillWidth: true
            Layout.fillHeight: true
            title: qsTr("Site power today (kW)")
            Component.onCompleted: page.refreshPower()
        }
    }

    Connections {
        target: page.history
        function onSitePowerChanged() {
            page.refreshPower();
        }
    }
}
