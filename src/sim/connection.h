#pragma once

#include "core/clock.h"
#include "ocpp/endpoint.h"
#include "sim/chargepoint.h"
#include "sim/simconfig.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <random>

// The socket of one simulated charge point: a QWebSocket offering ocpp1.6, Basic auth when configured, and
// reconnection with backoff. The OCPP endpoint and reconnects run in real time, the charge point in simulated time.
namespace linkray::sim {

class Connection : public QObject {
    Q_OBJECT
public:
    Connection(Clock& realClock, Clock& simulatedClock, const ChargePointSettings& settings, const QUrl& baseUrl,
        quint32 seed, QObject* parent = nullptr);
    ~Connection() override;

    void open();
    ChargePoint& chargePoint() { return *m_chargePoint; }

private:
    void onStateChanged(QAbstractSocket::SocketState state);
    void onConnected();
    void sendFrame(const QByteArray& frame);

    QUrl m_url;
    QWebSocket m_socket;
    std::unique_ptr<ocpp::Endpoint> m_endpoint;
    std::unique_ptr<ChargePoint> m_chargePoint;
    std::unique_ptr<Timer> m_reconnectTimer;
    std::mt19937 m_jitter;
    int m_failedAttempts = 0;
    bool m_wasConnected = false;
};

} // namespace linkray::sim
