#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

class QLocalServer;
class QLocalSocket;

// The local control channel: a Unix socket in the data directory (owner-only permissions) through which
// `linkray --call` sends a command to a connected charger. One JSON object per line each way:
//   → {"chargePointId": "...", "action": "Reset", "payload": {...}}
//   ← {"ok": true, "result": {...}}  or  {"ok": false, "error": "..."}
namespace linkray::app {

struct CallReply {
    bool ok = false;
    QJsonObject result;
    QString error;
};

using CallHandler = std::function<void(const QString& chargePointId, const QString& action, const QJsonObject& payload,
    std::function<void(const CallReply&)> reply)>;

class ControlServer : public QObject {
    Q_OBJECT
public:
    ControlServer(CallHandler handler, QObject* parent = nullptr);

    // Listens on `socketPath`, replacing a stale socket file left by a crash.
    bool listen(const QString& socketPath, QString* error);

private:
    void serve(QLocalSocket* socket);

    CallHandler m_handler;
    QLocalServer* m_server = nullptr;
};

QString controlSocketPath(const QString& dataDir);

// Client side of `linkray --call`: sends one command, waits for the reply. Returns the process exit code.
int runControlCall(const QString& dataDir, const QString& chargePointId, const QString& action,
    const QString& payloadJson, int timeoutMs);

} // namespace linkray::app
