#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>

#include <memory>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace linkray::bench {

// The CSMS of the proxy benchmark: accepts charge points on /csms/<id> with subprotocol ocpp1.6 and answers every
// call at once, counting what it receives.
class BenchCsms : public QObject {
    Q_OBJECT
public:
    // `clock` is the benchmark's time base: firstCallAtNs() is read on it.
    explicit BenchCsms(const QElapsedTimer& clock, QObject* parent = nullptr);
    ~BenchCsms() override;

    // Port 0 picks a free one.
    bool listen(quint16 port);
    quint16 port() const;
    QString url() const; // ws://127.0.0.1:<port>/csms

    int connectedChargers() const { return m_connected; }
    qint64 callsReceived() const { return m_callsReceived; }
    // Calls whose unique id it had not seen before: a replay is at least once, so the difference is re-sent calls.
    qint64 distinctCallsReceived() const { return m_seenIds.size(); }
    qint64 firstCallAtNs() const { return m_firstCallAtNs; }
    // Only the replay needs distinct counts; keeping every id otherwise costs memory during long throughput runs.
    void setTrackDistinct(bool track) { m_trackDistinct = track; }

private:
    void accept();
    void answer(QWebSocket* socket, const QString& frame);

    const QElapsedTimer& m_clock;
    std::unique_ptr<QTcpServer> m_listener; // takes the TCP connections, m_server does the WebSocket handshake
    std::unique_ptr<QWebSocketServer> m_server;
    int m_connected = 0;
    qint64 m_callsReceived = 0;
    qint64 m_firstCallAtNs = -1;
    bool m_trackDistinct = false;
    QSet<QString> m_seenIds;
};

} // namespace linkray::bench
