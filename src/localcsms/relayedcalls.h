#pragma once

#include "localcsms/bootstatus.h"
#include "localcsms/notifications.h"
#include "localcsms/transactions.h"
#include "ocpp/endpoint.h"

#include <QHash>
#include <QJsonObject>

#include <functional>

// Online mode: the calls a charger made while the CSMS answered them are recorded as LinkRay records the calls it
// answers itself, so that the web app, the touch view and the statistics show the site alike in both modes.
namespace linkray::localcsms {

class RelayedCallRecorder {
public:
    RelayedCallRecorder(const HandlerContext& context, BootStatusHandlers& bootStatus,
        TransactionHandlers& transactions, NotificationHandlers& notifications);

    // `call` went to the CSMS, which answered `csmsResult`; actions with nothing to record are ignored.
    void record(const QString& chargePointId, const ocpp::IncomingCall& call, const QJsonObject& csmsResult);

private:
    using Record
        = std::function<void(const QString& chargePointId, const QJsonObject& payload, const QJsonObject& csmsResult)>;

    // Recorded by the handler that would have answered it; its answer is not needed.
    template<class Owner, class Request, class Response>
    void addRecorded(Owner& owner, Answer<Response> (Owner::*method)(const QString&, const Request&));
    template<class Request> void add(Record record);

    HandlerContext m_context;
    QHash<QString, Record> m_records;
};

} // namespace linkray::localcsms
