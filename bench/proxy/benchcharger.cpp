#include "benchcharger.h"

#include <QNetworkRequest>
#include <QWebSocketHandshakeOptions>

#include <cstdio>

namespace linkray::bench {

BenchCharger::BenchCharger(QString id, const QElapsedTimer& clock, QObject* parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_clock(clock)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_open = true;
        m_connecting = false;
        Q_EMIT opened();
    });
    // Qt 6.4 names the signal error(); errorOccurred() came with 6.5.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (!m_connecting)
            return;
        m_connecting = false;
        ++m_refused;
        std::fprintf(
            stderr, "charger %s could not connect: %s\n", qPrintable(m_id), qPrintable(m_socket.errorString()));
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_open)
            std::fprintf(stderr, "charger %s disconnected: %s\n", qPrintable(m_id), qPrintable(m_socket.closeReason()));
        m_open = false;
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &BenchCharger::received);
}

void BenchCharger::connectTo(const QString& baseUrl)
{
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QStringLiteral("ocpp1.6")});
    m_connecting = true;
    m_socket.open(QNetworkRequest(QUrl(baseUrl + QLatin1Char('/') + m_id)), handshake);
}

void BenchCharger::close()
{
    m_open = false;
    m_socket.close();
}

void BenchCharger::send(ChargerMessage message, qint64 count)
{
    m_message = message;
    m_remaining = count;
    if (m_inFlightId.isEmpty())
        sendNext();
}

void BenchCharger::sendNext()
{
    if (m_remaining == 0 || !m_open)
        return;
    if (m_remaining > 0)
        --m_remaining;
    ++m_sequence;
    m_inFlightId = m_id + QLatin1Char('-') + QString::number(m_sequence);
    m_sentAtNs = m_clock.nsecsElapsed();
    m_socket.sendTextMessage(callFrame(m_message, m_inFlightId, m_sequence));
}

void BenchCharger::received(const QString& frame)
{
    const Answer answer = m_inFlightId.isEmpty() ? Answer::None : answerTo(frame, m_inFlightId);
    if (answer != Answer::Result && ++m_errors == 1)
        std::fprintf(stderr, "charger %s got an unexpected frame (only the first is shown): %s\n", qPrintable(m_id),
            qPrintable(frame.left(200)));
    if (answer == Answer::None)
        return;
    m_roundTripsNs.push_back(m_clock.nsecsElapsed() - m_sentAtNs);
    if (answer == Answer::Result)
        ++m_answered;
    m_inFlightId.clear();
    sendNext();
}

} // namespace linkray::bench
