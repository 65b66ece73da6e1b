#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// The OCPP-J frames the proxy benchmark sends and answers. Its chargers write compact frames of a known shape and
// LinkRay relays them byte for byte, so the benchmark reads them by hand: parsing JSON here would spend the core that
// the benchmark process shares with linkray on 2-core machines, and lower what it measures.
namespace linkray::bench {

enum class ChargerMessage {
    BootNotification, // first, as real chargers do: LinkRay counts any other first call as a protocol deviation
    Heartbeat,
    MeterValues, // connector 1 with a transactionId, as a charging session sends it live
    StandaloneMeterValues, // connector 1 without a transaction: journaled, and answered locally during an outage
    StatusNotification, // connector 1, Charging and SuspendedEV by turns: every call changes what a view shows
};

QString callFrame(ChargerMessage message, const QString& uniqueId, qint64 sequence);

struct CallHeader {
    QStringView uniqueId;
    QStringView action;
};

// Nullopt for anything but a CALL written as [2,"<id>","<action>",...].
std::optional<CallHeader> callHeaderOf(QStringView frame);

// The CALLRESULT the benchmark's CSMS gives at once; every action it receives is answered as a success.
QString resultFrame(const CallHeader& call);

enum class Answer { None, Result, Error };

// Whether `frame` answers the call `uniqueId`, and how.
Answer answerTo(QStringView frame, QStringView uniqueId);

} // namespace linkray::bench
