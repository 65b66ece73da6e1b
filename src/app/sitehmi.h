#pragma once

#include "app/site.h"
#include "hmi/touchview.h"

#include <QHash>
#include <QObject>
#include <QPair>
#include <QSet>

#include <memory>
#include <optional>

namespace linkray::ocpp::v16 {
struct MeterValuesRequest;
struct StartTransactionRequest;
struct StatusNotificationRequest;
struct StopTransactionRequest;
} // namespace linkray::ocpp::v16

namespace linkray::meter {
struct MeterReading;
}

namespace linkray::app {

// The view's options from the hmi section of the configuration.
hmi::TouchViewOptions touchViewOptions(const HmiConfig& config);

// Feeds the touch view's models from a started Site and sends the view's start and stop through the Site's
// RemoteCommands, the service the web API uses (docs/hmi.md, "Wiring it"). Live values follow the Site's signals;
// only the history (storage) and the CSMS backlog (no signal) are refreshed on a timer.
class SiteHmi : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kHistoryRefreshMs = 5 * 60 * 1000;
    static constexpr qint64 kBacklogRefreshMs = 5 * 1000;
    // Tile changes reach the view at most this often: each batch is one frame for the view to draw, however many
    // chargers report meanwhile (docs/performance.md, "Touch view").
    static constexpr qint64 kTileBatchMs = 1000;

    // `site` must be started; destroy this before the Site shuts down.
    SiteHmi(Site& site, hmi::TouchView& view, QObject* parent = nullptr);
    ~SiteHmi() override;

    // Reads today's and the last days' energy and today's power curves from storage again.
    void refreshHistory();

private:
    using ConnectorKey = QPair<QString, int>;
    // What the view shows of a connector plus what LinkRay needs to stop its transaction.
    struct Connector {
        hmi::ChargerTile tile;
        std::optional<qint64> transactionId;
        std::optional<qint64> meterStartWh;
    };

    void loadConfiguredChargers();
    Connector& connector(const QString& chargePointId, int connectorId);
    Connector& reportingConnector(const QString& chargePointId, int connectorId);
    // Queues the connector's tile for the next batch.
    void show(const Connector& connector);
    void showQueuedTiles();
    void chargerConnected(const QString& chargePointId);
    void chargerDisconnected(const QString& chargePointId);
    void callObserved(const QString& chargePointId, const ocpp::IncomingCall& call);
    void statusNotified(const QString& chargePointId, const ocpp::v16::StatusNotificationRequest& status);
    void meterValuesReceived(const QString& chargePointId, const ocpp::v16::MeterValuesRequest& meterValues);
    void transactionStarted(const QString& chargePointId, const ocpp::v16::StartTransactionRequest& start);
    void transactionStopped(const QString& chargePointId, const ocpp::v16::StopTransactionRequest& stop);
    void controlStatusChanged(const QString& chargePointId);
    std::optional<double> amperesOf(const QString& chargePointId, double limit, int numberPhases) const;
    void meterReadingArrived(const meter::MeterReading& reading);
    void meterStateChanged();
    void refreshCsmsLink();
    void refreshAlerts();
    void sendCommand(const QString& chargePointId, int connectorId, hmi::ChargerCommand::Value command,
        std::function<void(bool)> done);
    void stopTransaction(const QString& chargePointId, int connectorId, std::function<void(bool)> done);

    SiteServices m_services;
    hmi::TouchView& m_view;
    QHash<ConnectorKey, Connector> m_connectors;
    QSet<ConnectorKey> m_queuedTiles;
    std::unique_ptr<Timer> m_tileBatchTimer;
    std::unique_ptr<Timer> m_historyTimer;
    std::unique_ptr<Timer> m_backlogTimer;
};

} // namespace linkray::app
