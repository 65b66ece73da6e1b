#pragma once

#include <QObject>

#include <memory>

class QWebSocket;

namespace linkray {

class Clock;
class Timer;

// Pings a WebSocket peer at an interval and reports it silent when nothing (no frame, no pong) came back within the
// timeout after a ping: a peer behind a dead NAT or a pulled cable is noticed long before TCP would say so.
// Shared by the charger side and the CSMS side.
class WebSocketKeepAlive : public QObject {
    Q_OBJECT
public:
    struct Options {
        qint64 pingIntervalMs = 30000; // 0 = no pings
        qint64 pongTimeoutMs = 10000;
    };

    // Starts pinging at once; stops when destroyed or stop() is called. Does not own `socket`.
    WebSocketKeepAlive(QWebSocket& socket, Clock& clock, Options options, QObject* parent = nullptr);
    ~WebSocketKeepAlive() override;

    void stop();
    const Options& options() const { return m_options; }

Q_SIGNALS:
    // Nothing came back within pongTimeoutMs of a ping. Emitted once; the owner closes the connection.
    void peerSilent();

private:
    void sendPing();
    void peerAlive();

    QWebSocket& m_socket;
    Options m_options;
    std::unique_ptr<Timer> m_pingTimer;
    std::unique_ptr<Timer> m_pongDeadline;
};

} // namespace linkray
