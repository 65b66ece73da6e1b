#include "ocpp/calltracker.h"

#include <algorithm>
#include <atomic>

namespace linkray::ocpp {

namespace {
constexpr int MaxPrefixLength = 16; // leaves 20 characters, enough for any 64-bit counter
constexpr std::size_t RememberedTimeouts = 64;

// Shared by every tracker, so that an id is never reused while the process lives.
std::atomic<quint64> s_callCounter {0};
} // namespace

CallTracker::CallTracker(Clock& clock, Options options)
    : m_options(std::move(options))
    , m_timer(clock.createTimer())
{
    m_options.idPrefix.truncate(MaxPrefixLength);
    m_timer->setSingleShot(true);
    connect(m_timer.get(), &Timer::timeout, this, &CallTracker::onTimeout);
}

CallTracker::~CallTracker() = default;

std::optional<QString> CallTracker::enqueue(const QString& action, const QJsonObject& payload)
{
    return push(TrackedCall {nextUniqueId(), action, payload, QByteArray()});
}

std::optional<QString> CallTracker::enqueueRelayed(
    const QString& uniqueId, const QString& action, const QByteArray& text)
{
    Q_ASSERT_X(!text.isEmpty(), "CallTracker::enqueueRelayed", "an empty text would be taken for a call of ours");
    return push(TrackedCall {uniqueId, action, QJsonObject(), text});
}

std::optional<QString> CallTracker::push(TrackedCall call)
{
    if (m_outstanding && queuedCount() >= m_options.maxQueued)
        return std::nullopt;
    QString uniqueId = call.uniqueId;
    m_queue.push_back(std::move(call));
    if (!m_outstanding)
        dispatchNext();
    return uniqueId;
}

AnswerMatch CallTracker::matchAnswer(const QString& uniqueId)
{
    if (m_outstanding && m_outstanding->uniqueId == uniqueId) {
        AnswerMatch match {AnswerMatch::Kind::Outstanding, *m_outstanding};
        m_timer->stop();
        m_outstanding.reset();
        dispatchNext();
        return match;
    }
    const auto late = std::find_if(m_timedOut.begin(), m_timedOut.end(),
        [&uniqueId](const TrackedCall& call) { return call.uniqueId == uniqueId; });
    if (late == m_timedOut.end())
        return {};
    AnswerMatch match {AnswerMatch::Kind::TimedOut, *late};
    m_timedOut.erase(late);
    return match;
}

QList<TrackedCall> CallTracker::cancelAll()
{
    QList<TrackedCall> cancelled;
    m_timer->stop();
    if (m_outstanding)
        cancelled << *m_outstanding;
    m_outstanding.reset();
    cancelled.append(QList<TrackedCall>(m_queue.begin(), m_queue.end()));
    m_queue.clear();
    return cancelled;
}

QString CallTracker::nextUniqueId() const
{
    return m_options.idPrefix + QString::number(++s_callCounter);
}

void CallTracker::dispatchNext()
{
    if (m_outstanding || m_queue.empty())
        return;
    m_outstanding = m_queue.front();
    m_queue.pop_front();
    m_timer->start(m_options.timeoutMs);
    Q_EMIT callReady(*m_outstanding);
}

void CallTracker::onTimeout()
{
    if (!m_outstanding)
        return;
    const TrackedCall expired = *m_outstanding;
    m_outstanding.reset();
    m_timedOut.push_back(expired);
    if (m_timedOut.size() > RememberedTimeouts)
        m_timedOut.pop_front();
    Q_EMIT callTimedOut(expired);
    dispatchNext();
}

} // namespace linkray::ocpp
