#pragma once

#include <QObject>

#include <deque>
#include <functional>

namespace linkray::proxy {

// Shares the event loop between the backlog replays of all chargers and everything live. Each charger replays one
// call at a time, but with a CSMS that answers at once a hundred replaying chargers would fill every turn of the
// event loop with answers and next sends, and a live charger's frames would wait behind all of them. At most
// `sendsPerTurn` backlog calls leave per turn; a charger over that budget waits (first come, first served) and is
// resumed on a later turn, after the sockets had theirs. Live calls never ask: they are not paced.
class ReplayPacer : public QObject {
    Q_OBJECT
public:
    // One: a turn with nothing else to do is short, so even then the replay outruns its target (docs/performance.md),
    // and any more lengthened the live round trip in the benchmark.
    static constexpr int DefaultSendsPerTurn = 1;

    explicit ReplayPacer(int sendsPerTurn = DefaultSendsPerTurn, QObject* parent = nullptr);

    // True when `replayer` may send one backlog call now. Otherwise `resume` runs once on a later turn, when the
    // call may go; a `replayer` that is already waiting is not queued twice.
    bool admit(const void* replayer, std::function<void()> resume);
    // `replayer` no longer waits: its link dropped, or it is gone.
    void forget(const void* replayer);

private:
    struct Waiting {
        const void* replayer = nullptr;
        std::function<void()> resume;
    };

    void scheduleTurn();
    void startTurn();

    int m_sendsPerTurn;
    int m_sentThisTurn = 0;
    bool m_turnScheduled = false;
    std::deque<Waiting> m_waiting;
};

} // namespace linkray::proxy
