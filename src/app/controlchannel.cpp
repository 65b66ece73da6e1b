#include "app/controlchannel.h"

#include "app/logging.h"

#include <QDir>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

#include <cstdio>

namespace linkray::app {

namespace {
// A command line is small; anything longer is not from `linkray --call` and is refused unread.
constexpr qint64 MaxRequestBytes = 1024 * 1024;

QByteArray replyLine(const CallReply& reply)
{
    QJsonObject object {{QStringLiteral("ok"), reply.ok}};
    if (reply.ok)
        object.insert(QStringLiteral("result"), reply.result);
    else
        object.insert(QStringLiteral("error"), reply.error);
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}
} // namespace

QString controlSocketPath(const QString& dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("control.sock"));
}

ControlServer::ControlServer(CallHandler handler, QObject* parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* socket = m_server->nextPendingConnection())
            serve(socket);
    });
}

bool ControlServer::listen(const QString& socketPath, QString* error)
{
    QLocalServer::removeServer(socketPath);
    if (m_server->listen(socketPath))
        return true;
    *error = m_server->errorString();
    return false;
}

void ControlServer::serve(QLocalSocket* socket)
{
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
        if (!socket->canReadLine()) {
            if (socket->bytesAvailable() > MaxRequestBytes)
                socket->abort();
            return;
        }
        const QByteArray line = socket->readLine(MaxRequestBytes);
        const QJsonObject request = QJsonDocument::fromJson(line).object();
        const QString chargePointId = request.value(QStringLiteral("chargePointId")).toString();
        const QString action = request.value(QStringLiteral("action")).toString();
        if (chargePointId.isEmpty() || action.isEmpty() || !request.value(QStringLiteral("payload")).isObject()) {
            socket->write(
                replyLine({false, {}, QStringLiteral("expected chargePointId, action and a payload object")}));
            return;
        }
        qCInfo(lcApp) << "control: call" << action << "on" << chargePointId;
        QPointer<QLocalSocket> guard(socket);
        m_handler(chargePointId, action, request.value(QStringLiteral("payload")).toObject(),
            [guard](const CallReply& reply) {
                if (guard)
                    guard->write(replyLine(reply));
            });
    });
}

int runControlCall(const QString& dataDir, const QString& chargePointId, const QString& action,
    const QString& payloadJson, int timeoutMs)
{
    QJsonParseError parseError;
    const QJsonDocument payload = QJsonDocument::fromJson(payloadJson.toUtf8(), &parseError);
    if (!payload.isObject()) {
        std::fprintf(
            stderr, "linkray --call: the payload must be a JSON object (%s)\n", qPrintable(parseError.errorString()));
        return 2;
    }
    QLocalSocket socket;
    socket.connectToServer(controlSocketPath(dataDir));
    if (!socket.waitForConnected(timeoutMs)) {
        std::fprintf(stderr, "linkray --call: cannot reach linkray in %s: %s\n", qPrintable(dataDir),
            qPrintable(socket.errorString()));
        return 2;
    }
    const QJsonObject request {{QStringLiteral("chargePointId"), chargePointId}, {QStringLiteral("action"), action},
        {QStringLiteral("payload"), payload.object()}};
    socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(timeoutMs)) {
            std::fprintf(stderr, "linkray --call: no answer within %d ms\n", timeoutMs);
            return 1;
        }
    }
    const QJsonObject reply = QJsonDocument::fromJson(socket.readLine()).object();
    if (!reply.value(QStringLiteral("ok")).toBool()) {
        std::fprintf(stderr, "linkray --call: %s\n", qPrintable(reply.value(QStringLiteral("error")).toString()));
        return 1;
    }
    std::printf("%s\n",
        QJsonDocument(reply.value(QStringLiteral("result")).toObject()).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace linkray::app
