#pragma once

#include "core/clock.h"
#include "storage/database.h"
#include "web/router.h"
#include "web/webservices.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>

#include <memory>
#include <vector>

namespace linkray::web {

class SessionStore;

// A charge point's lastSeenAt moves with every heartbeat. Alone, such a change is published at most every
// kLastSeenRepublishMs, so that a site of many chargers does not redraw every open page at each heartbeat; any other
// change of the charge point is published at once, with the lastSeenAt of that moment.
class LastSeenThrottle {
public:
    // `chargePoint` as it is to be published now: with the lastSeenAt published before when nothing else changed
    // and that was less than kLastSeenRepublishMs ago.
    QJsonObject publish(const QString& chargePointId, QJsonObject chargePoint, qint64 nowMs);
    void clear() { m_published.clear(); }

private:
    struct Published {
        QJsonObject chargePoint;
        qint64 atMs = 0;
    };
    QHash<QString, Published> m_published;
};

// One server-sent event: `event: <name>` and its JSON data. A keyed one replaces what its key showed before.
struct LiveEvent {
    QString key; // "site", "charge-point:CP1", "transaction:42"; empty for a new event record
    QByteArray name;
    QByteArray data;
};

// GET /api/v1/live (docs/api.md): server-sent events of what the API's resources show. While a stream is open,
// one timer rebuilds the resources every kPollIntervalMs and each stream gets what differs from what it last got.
class LiveUpdates : public QObject {
    Q_OBJECT
public:
    LiveUpdates(
        Clock& clock, storage::Database& db, SessionStore& sessions, const WebServices& services, int maxStreams);
    ~LiveUpdates() override;

    void addRoutes(Router& router);
    int streamCount() const { return static_cast<int>(m_streams.size()); }

private:
    struct Stream;

    void open(const ApiRequest& request, QHttpServerResponder&& responder);
    void poll();
    QList<LiveEvent> currentResources();
    QList<LiveEvent> newEventRecords();
    void startWatching();
    void closeStream(Stream& stream, const char* why);
    void removeClosedStreams();

    Clock& m_clock;
    storage::Database& m_db;
    SessionStore& m_sessions;
    const WebServices& m_services;
    int m_maxStreams;
    std::unique_ptr<Timer> m_timer;
    std::vector<std::unique_ptr<Stream>> m_streams;
    qint64 m_lastEventId = 0;
    qint64 m_lastTransactionId = 0;
    QSet<qint64> m_activeTransactionIds;
    LastSeenThrottle m_lastSeen;
};

// What a stream must be sent to show `resources` and `newRecords`, given what it showed (updated to the new state).
// Keys it showed that are gone now are forgotten without an event.
QList<LiveEvent> liveChanges(
    QHash<QString, QByteArray>& shown, const QList<LiveEvent>& resources, const QList<LiveEvent>& newRecords);
// The bytes of one event on the wire.
QByteArray serverSentEvent(const LiveEvent& event);

inline constexpr qint64 kPollIntervalMs = 1000;
inline constexpr qint64 kKeepAliveIntervalMs = 15000;
// A client this far behind is closed rather than buffered for without bound.
inline constexpr qint64 kMaxUnsentBytes = 1024 * 1024;
inline constexpr int kMaxEventRecordsPerPoll = 500;
// Twice the default heartbeat interval (docs/configuration.md, ocpp.heartbeatIntervalSeconds).
inline constexpr qint64 kLastSeenRepublishMs = 10 * 60 * 1000;

} // namespace linkray::web
