#pragma once

#include "core/clock.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <optional>

namespace linkray::ocpp {

// A CALL, from the moment it is queued until it is answered, times out or is cancelled: one of ours, or another
// peer's that we relay (it keeps that peer's uniqueId and is written exactly as that peer wrote it).
struct TrackedCall {
    QString uniqueId;
    QString action;
    QJsonObject payload; // ours only
    QByteArray relayedText; // relayed only: the frame to write, byte for byte; empty for our own calls

    bool isRelayed() const { return !relayedText.isEmpty(); }
};

// How an incoming CALLRESULT/CALLERROR relates to the calls we made or relayed.
struct AnswerMatch {
    enum class Kind { Outstanding, TimedOut, Unknown } kind = Kind::Unknown;
    TrackedCall call; // Outstanding, TimedOut: the call it answers; Unknown: empty
};

// Owns the outgoing calls of one connection without any I/O: unique ids for ours, one bounded FIFO queue shared
// by our calls and relayed ones, one outstanding call at a time, its timeout, and matching of answers by uniqueId.
class CallTracker : public QObject {
    Q_OBJECT
public:
    struct Options {
        qint64 timeoutMs = 30000;
        int maxQueued = 1000; // calls waiting behind the outstanding one
        QString idPrefix; // keeps our ids apart from another sender's on the same connection; cut to 16 chars
    };

    CallTracker(Clock& clock, Options options);
    ~CallTracker() override;

    // Queues a call and returns its uniqueId, or std::nullopt when the queue is full.
    // When no call is outstanding, callReady is emitted before this returns.
    std::optional<QString> enqueue(const QString& action, const QJsonObject& payload);

    // Queues another peer's CALL behind ours, to be written as `text` (not empty); returns uniqueId, or
    // std::nullopt when the queue is full. When no call is outstanding, callReady is emitted before this returns.
    std::optional<QString> enqueueRelayed(const QString& uniqueId, const QString& action, const QByteArray& text);

    // Settles the outstanding call when uniqueId is its id (and dispatches the next one);
    // otherwise reports whether the id belonged to a call that already timed out.
    AnswerMatch matchAnswer(const QString& uniqueId);

    // Forgets the outstanding and queued calls and returns them, outstanding first.
    QList<TrackedCall> cancelAll();

    int queuedCount() const { return static_cast<int>(m_queue.size()); }
    bool hasOutstanding() const { return m_outstanding.has_value(); }

Q_SIGNALS:
    // The call is now outstanding: send it to the peer.
    void callReady(const linkray::ocpp::TrackedCall& call);
    // The outstanding call got no answer in time; the next queued call follows.
    void callTimedOut(const linkray::ocpp::TrackedCall& call);

private:
    QString nextUniqueId() const;
    std::optional<QString> push(TrackedCall call);
    void dispatchNext();
    void onTimeout();

    Options m_options;
    std::unique_ptr<Timer> m_timer;
    std::optional<TrackedCall> m_outstanding;
    std::deque<TrackedCall> m_queue;
    std::deque<TrackedCall> m_timedOut; // recent ones only, so that a late answer is recognised as such
};

} // namespace linkray::ocpp
