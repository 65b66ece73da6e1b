#pragma once

#include "benchframes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QWebSocket>

#include <vector>

namespace linkray::bench {

// A charge point of the benchmark: at most one call outstanding, as OCPP requires, the next one sent as soon as the
// previous is answered, and every round trip recorded.
class BenchCharger : public QObject {
    Q_OBJECT
public:
    BenchCharger(QString id, const QElapsedTimer& clock, QObject* parent = nullptr);

    // Opens <baseUrl>/<id> with subprotocol ocpp1.6.
    void connectTo(const QString& baseUrl);
    bool isOpen() const { return m_open; }
    void close();
    // Connections that failed before the WebSocket handshake completed (refused, reset, handshake rejected).
    int refused() const { return m_refused; }

    // Sends `count` calls one after another; a negative count sends until stop().
    void send(ChargerMessage message, qint64 count);
    // Nothing is sent after the call in flight.
    void stop() { m_remaining = 0; }
    bool isIdle() const { return m_inFlightId.isEmpty() && m_remaining == 0; }

    qint64 answered() const { return m_answered; }
    qint64 errors() const { return m_errors; } // CALLERRORs, and frames that answer nothing in flight
    const std::vector<qint64>& roundTripsNs() const { return m_roundTripsNs; }
    void clearRoundTrips() { m_roundTripsNs.clear(); }

Q_SIGNALS:
    void opened();

private:
    void sendNext();
    void received(const QString& frame);

    QString m_id;
    const QElapsedTimer& m_clock;
    QWebSocket m_socket;
    bool m_open = false;
    bool m_connecting = false;
    int m_refused = 0;
    ChargerMessage m_message = ChargerMessage::Heartbeat;
    qint64 m_remaining = 0;
    qint64 m_sequence = 0;
    QString m_inFlightId;
    qint64 m_sentAtNs = 0;
    qint64 m_answered = 0;
    qint64 m_errors = 0;
    std::vector<qint64> m_roundTripsNs;
};

} // namespace linkray::bench
