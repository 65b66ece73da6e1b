#include "web/liveupdates.h"

#include "storage/eventrepository.h"
#include "storage/statisticsrepository.h"
#include "storage/transactionrepository.h"
#include "web/logging.h"
#include "web/resourcejson.h"
#include "web/sessionstore.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>

namespace linkray::web {

namespace {

// How long a browser waits before it reconnects a dropped stream (EventSource's `retry`).
constexpr QByteArrayView kStreamOpening = "retry: 5000\n\n";
constexpr QByteArrayView kKeepAlive = ": keep-alive\n\n";
constexpr int kMaxNewTransactionsPerPoll = 100;

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

struct LiveUpdates::Stream {
    QPointer<QTcpSocket> socket;
    std::unique_ptr<QHttpServerResponder> responder;
    QString sessionToken;
    QString userName;
    QHash<QString, QByteArray> shown;
    qint64 lastWriteMs = 0;
    bool closed = false;

    bool isConnected() const { return !closed && socket && socket->state() == QAbstractSocket::ConnectedState; }
    void write(QByteArrayView bytes, qint64 nowMs)
    {
        responder->writeBody(bytes.data(), bytes.size());
        lastWriteMs = nowMs;
    }
};

QList<LiveEvent> liveChanges(
    QHash<QString, QByteArray>& shown, const QList<LiveEvent>& resources, const QList<LiveEvent>& newRecords)
{
    QList<LiveEvent> changes;
    QHash<QString, QByteArray> next;
    for (const LiveEvent& resource : resources) {
        if (shown.value(resource.key) != resource.data)
            changes.append(resource);
        next.insert(resource.key, resource.data);
    }
    shown = std::move(next);
    changes.append(newRecords);
    return changes;
}

QJsonObject LastSeenThrottle::publish(const QString& chargePointId, QJsonObject chargePoint, qint64 nowMs)
{
    const QString lastSeenAt = QStringLiteral("lastSeenAt");
    const auto published = m_published.constFind(chargePointId);
    if (published != m_published.cend() && nowMs - published->atMs < kLastSeenRepublishMs) {
        QJsonObject held = chargePoint;
        held.insert(lastSeenAt, published->chargePoint.value(lastSeenAt));
        if (held == published->chargePoint)
            return held;
    }
    m_published.insert(chargePointId, {chargePoint, nowMs});
    return chargePoint;
}

QByteArray serverSentEvent(const LiveEvent& event)
{
    return "event: " + event.name + "\ndata: " + event.data + "\n\n";
}

LiveUpdates::LiveUpdates(
    Clock& clock, storage::Database& db, SessionStore& sessions, const WebServices& services, int maxStreams)
    : m_clock(clock)
    , m_db(db)
    , m_sessions(sessions)
    , m_services(services)
    , m_maxStreams(maxStreams)
    , m_timer(clock.createTimer())
{
    connect(m_timer.get(), &Timer::timeout, this, &LiveUpdates::poll);
}

LiveUpdates::~LiveUpdates()
{
    for (const auto& stream : m_streams)
        closeStream(*stream, "the server stops");
}

void LiveUpdates::addRoutes(Router& router)
{
    router.addStream("GET", QStringLiteral("/api/v1/live"), Access::needs(Permission::Read),
        [this](const ApiRequest& request, QHttpServerResponder&& responder) { open(request, std::move(responder)); });
}

void LiveUpdates::open(const ApiRequest& request, QHttpServerResponder&& responder)
{
    removeClosedStreams();
    if (streamCount() >= m_maxStreams) {
        qCWarning(lcWeb) << "live updates refused to" << request.session->userName << ":" << m_maxStreams
                         << "streams are open";
        writeResponse(responder,
            errorResponse(503, QStringLiteral("too many live update streams are open (%1)").arg(m_maxStreams)));
        return;
    }
    auto stream = std::make_unique<Stream>();
    stream->socket = responder.socket();
    stream->responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    stream->sessionToken = request.sessionToken;
    stream->userName = request.session->userName;
    // No Content-Length: the body is the stream, and it ends when either side closes the connection.
    stream->responder->writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    stream->responder->writeHeaders(
        {{"Content-Type", "text/event-stream; charset=utf-8"}, {"Cache-Control", "no-cache"},
            {"X-Content-Type-Options", "nosniff"}, {"X-Accel-Buffering", "no"}, {"Connection", "close"}});
    stream->write(kStreamOpening, m_clock.monotonicMs());
    connect(
        stream->socket, &QAbstractSocket::disconnected, this, &LiveUpdates::removeClosedStreams, Qt::QueuedConnection);
    qCInfo(lcWeb) << stream->userName << "opened live updates from" << request.clientAddress;
    if (m_streams.empty())
        startWatching();
    m_streams.push_back(std::move(stream));
    poll();
}

void LiveUpdates::startWatching()
{
    const auto newestEvent = storage::EventRepository(m_db).recent({}, 1);
    m_lastEventId = newestEvent.isEmpty() ? 0 : newestEvent.first().id;
    const auto newestTransaction = storage::TransactionRepository(m_db).list(1);
    m_lastTransactionId = newestTransaction.isEmpty() ? 0 : newestTransaction.first().id;
    m_activeTransactionIds.clear();
    m_lastSeen.clear();
    m_timer->start(kPollIntervalMs);
}

void LiveUpdates::poll()
{
    for (const auto& stream : m_streams) {
        if (stream->isConnected() && !m_sessions.findUnused(stream->sessionToken))
            closeStream(*stream, "its session ended");
    }
    removeClosedStreams();
    if (m_streams.empty())
        return;
    const QList<LiveEvent> resources = currentResources();
    const QList<LiveEvent> records = newEventRecords();
    const qint64 nowMs = m_clock.monotonicMs();
    for (const auto& stream : m_streams) {
        if (!stream->isConnected())
            continue;
        QByteArray bytes;
        for (const LiveEvent& change : liveChanges(stream->shown, resources, records))
            bytes += serverSentEvent(change);
        if (!bytes.isEmpty())
            stream->write(bytes, nowMs);
        else if (nowMs - stream->lastWriteMs >= kKeepAliveIntervalMs)
            stream->write(kKeepAlive, nowMs);
        if (stream->socket->bytesToWrite() > kMaxUnsentBytes)
            closeStream(*stream, "the client does not read");
    }
    removeClosedStreams();
}

QList<LiveEvent> LiveUpdates::currentResources()
{
    QList<LiveEvent> resources;
    if (m_services.siteStatus)
        resources.append({QStringLiteral("site"), "site", compact(m_services.siteStatus())});
    const QStringList connectedIds
        = m_services.connectedChargePoints ? m_services.connectedChargePoints() : QStringList();
    const qint64 nowMs = m_clock.monotonicMs();
    // All charge points from three queries, however many there are; each stream then gets the ones that changed.
    for (const QJsonObject& current : allChargePointsJson(m_db, connectedIds)) {
        const QString id = current.value(QStringLiteral("id")).toString();
        const QJsonObject chargePoint = m_lastSeen.publish(id, current, nowMs);
        resources.append({QStringLiteral("charge-point:") + id, "charge-point", compact(chargePoint)});
    }

    // Active transactions, and once each: those that stopped since the last poll or started and stopped in between.
    const storage::TransactionRepository transactions(m_db);
    QList<storage::TransactionRecord> shown = transactions.active();
    QSet<qint64> activeIds;
    for (const auto& record : shown)
        activeIds.insert(record.id);
    for (const qint64 id : std::as_const(m_activeTransactionIds)) {
        if (const auto stopped = transactions.find(id); stopped && !activeIds.contains(id))
            shown.append(*stopped);
    }
    for (const auto& record : transactions.list(kMaxNewTransactionsPerPoll)) {
        if (record.id > m_lastTransactionId && !record.active())
            shown.append(record);
        m_lastTransactionId = std::max(m_lastTransactionId, record.id);
    }
    m_activeTransactionIds = activeIds;
    const QHash<qint64, double> meterNow = storage::StatisticsRepository(m_db).latestEnergyOfActiveTransactions();
    for (const auto& record : std::as_const(shown)) {
        QJsonObject object = transactionJson(record);
        const auto reading = meterNow.constFind(record.id);
        object.insert(QStringLiteral("meterNowWh"),
            record.meterStopWh               ? QJsonValue(*record.meterStopWh)
                : reading != meterNow.cend() ? QJsonValue(static_cast<qint64>(std::llround(reading.value())))
                                             : QJsonValue(QJsonValue::Null));
        resources.append({QStringLiteral("transaction:%1").arg(record.id), "transaction", compact(object)});
    }
    return resources;
}

QList<LiveEvent> LiveUpdates::newEventRecords()
{
    QList<storage::EventRecord> events = storage::EventRepository(m_db).recent({}, kMaxEventRecordsPerPoll);
    if (events.size() == kMaxEventRecordsPerPoll && events.last().id > m_lastEventId + 1)
        qCWarning(lcWeb) << "live updates skip events" << m_lastEventId + 1 << "to" << events.last().id - 1;
    QList<LiveEvent> records;
    for (auto event = events.crbegin(); event != events.crend(); ++event) {
        if (event->id > m_lastEventId)
            records.append({QString(), "event", compact(eventJson(*event))});
    }
    if (!events.isEmpty())
        m_lastEventId = std::max(m_lastEventId, events.first().id);
    return records;
}

void LiveUpdates::closeStream(Stream& stream, const char* why)
{
    if (stream.closed)
        return;
    stream.closed = true;
    qCInfo(lcWeb) << "live updates of" << stream.userName << "closed:" << why;
    if (stream.socket)
        stream.socket->disconnectFromHost();
}

void LiveUpdates::removeClosedStreams()
{
    m_streams.erase(std::remove_if(m_streams.begin(), m_streams.end(),
                        [](const std::unique_ptr<Stream>& stream) { return !stream->isConnected(); }),
        m_streams.end());
    if (m_streams.empty())
        m_timer->stop();
}

} // namespace linkray::web
