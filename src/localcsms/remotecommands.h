#pragma once

#include "localcsms/localcsms.h"
#include "ocpp/messages.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// How the web app, the HMI and the tests command a charger attached to LocalCsms: typed requests in, typed answers out.
namespace linkray::localcsms {

enum class CommandFailure {
    None,
    NotConnected, // no endpoint attached for this charge point
    UnknownTransaction, // remoteStop: no running transaction with that id
    CallError, // the charger answered with a CALLERROR (errorCode, description)
    Timeout, // no answer within the endpoint's call timeout
    Cancelled, // the connection closed before the answer
};

// The result of one command: the charger's typed response, or why there is none.
template<class Response> struct CommandResult {
    CommandFailure failure = CommandFailure::None;
    std::optional<Response> response;
    QString errorCode; // CallError: as the charger sent it
    QString description; // failures: human-readable

    bool ok() const { return failure == CommandFailure::None; }
};

template<class Request> using CommandCallback = std::function<void(const CommandResult<typename Request::Response>&)>;

class RemoteCommands : public QObject {
    Q_OBJECT
public:
    explicit RemoteCommands(LocalCsms& csms, QObject* parent = nullptr);

    // The untyped result of a call, for requests that arrive as JSON (the control channel).
    struct Outcome {
        CommandFailure failure = CommandFailure::None;
        QJsonObject payload;
        QString errorCode;
        QString description;
    };
    // Sends `payload` as `action`; the endpoint validates it strictly against the OCPP 1.6 schema before it leaves.
    void sendRaw(const QString& chargePointId, const QString& action, const QJsonObject& payload,
        std::function<void(const Outcome&)> done);

    // Sends any central system → charger request (Reset, GetConfiguration, SendLocalList, ...). `done` runs once.
    template<class Request>
    void send(const QString& chargePointId, const Request& request, CommandCallback<Request> done)
    {
        using Response = typename Request::Response;
        sendRaw(chargePointId, QLatin1String(Request::action), request.toJson(),
            [done = std::move(done)](const Outcome& outcome) {
                CommandResult<Response> result;
                result.failure = outcome.failure;
                result.errorCode = outcome.errorCode;
                result.description = outcome.description;
                if (outcome.failure == CommandFailure::None)
                    result.response = Response::fromJson(outcome.payload);
                done(result);
            });
    }

    // RemoteStartTransaction on the charger's first Available connector (the charger chooses when none is known).
    void remoteStart(const QString& chargePointId, const QString& idTag,
        CommandCallback<ocpp::v16::RemoteStartTransactionRequest> done);
    // RemoteStopTransaction sent to whichever charger runs the transaction.
    void remoteStop(qint64 transactionId, CommandCallback<ocpp::v16::RemoteStopTransactionRequest> done);

private:
    LocalCsms& m_csms;
};

} // namespace linkray::localcsms
