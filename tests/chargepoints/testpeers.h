#pragma once

#include "chargepoints/chargepointserver.h"
#include "core/clock.h"

#include <QNetworkRequest>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

// Charge point stand-ins for the chargepoints tests: a real server on 127.0.0.1, QWebSocket clients.
namespace linkray::chargepoints::test {

inline QStringList ocppOnly()
{
    return {QStringLiteral("ocpp1.6")};
}

inline QByteArray basicAuthorization(const QString& user, const QString& password)
{
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

// A client that starts its handshake to `encodedPath` (sent exactly as given) at once.
inline std::unique_ptr<QWebSocket> openClient(quint16 port, const QByteArray& encodedPath,
    const QStringList& subprotocols = ocppOnly(), const QByteArray& authorization = {})
{
    QNetworkRequest request(QUrl::fromEncoded("ws://127.0.0.1:" + QByteArray::number(port) + encodedPath));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    auto client = std::make_unique<QWebSocket>();
    client->open(request, options);
    return client;
}

// A ManualClock and a listening server; the clock is declared first so that it outlives the server's timers.
struct ServerUnderTest {
    explicit ServerUnderTest(ChargePointServer::Options options = {})
        : server(clock, std::move(options))
    {
        listening = server.listen(QHostAddress::LocalHost, 0);
    }

    ManualClock clock;
    ChargePointServer server;
    bool listening = false;
};

} // namespace linkray::chargepoints::test
