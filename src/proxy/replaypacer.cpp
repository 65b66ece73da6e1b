#include "proxy/replaypacer.h"

#include <algorithm>

namespace linkray::proxy {

ReplayPacer::ReplayPacer(int sendsPerTurn, QObject* parent)
    : QObject(parent)
    , m_sendsPerTurn(std::max(1, sendsPerTurn))
{
}

bool ReplayPacer::admit(const void* replayer, std::function<void()> resume)
{
    scheduleTurn();
    // Nobody jumps the queue: a charger that asks while others wait goes behind them.
    if (m_waiting.empty() && m_sentThisTurn < m_sendsPerTurn) {
        ++m_sentThisTurn;
        return true;
    }
    const bool waiting = std::any_of(
        m_waiting.cbegin(), m_waiting.cend(), [replayer](const Waiting& entry) { return entry.replayer == replayer; });
    if (!waiting)
        m_waiting.push_back({replayer, std::move(resume)});
    return false;
}

void ReplayPacer::forget(const void* replayer)
{
    m_waiting.erase(std::remove_if(m_waiting.begin(), m_waiting.end(),
                        [replayer](const Waiting& entry) { return entry.replayer == replayer; }),
        m_waiting.end());
}

// A queued call runs in the next turn of the event loop: Qt leaves events posted while it delivers posted events for
// the following turn, and polls the sockets in between.
void ReplayPacer::scheduleTurn()
{
    if (m_turnScheduled)
        return;
    m_turnScheduled = true;
    QMetaObject::invokeMethod(
        this, [this] { startTurn(); }, Qt::QueuedConnection);
}

void ReplayPacer::startTurn()
{
    m_turnScheduled = false;
    m_sentThisTurn = 0;
    while (!m_waiting.empty() && m_sentThisTurn < m_sendsPerTurn) {
        const Waiting next = std::move(m_waiting.front());
        m_waiting.pop_front();
        ++m_sentThisTurn;
        next.resume();
    }
    if (!m_waiting.empty())
        scheduleTurn();
}

} // namespace linkray::proxy
