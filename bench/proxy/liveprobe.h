#pragma once

#include "benchcharger.h"

#include <QThread>

#include <vector>

namespace linkray::bench {

// One charger and the CSMS it is relayed to (linkray's configuration gives the charger a CSMS URL of its own), on a
// thread and an event loop of their own, timing the charger's round trips. On the main loop, the benchmark's CSMS
// answers thousands of replayed calls a second: a live call or answer would wait there behind them before it is
// answered or timed. The probe's wait nowhere but in linkray, so its figures are linkray's. For the same reason the
// thread runs SCHED_FIFO when it may (as root): on a 2-core machine the benchmark's busy fleet and CSMS would otherwise
// keep the probe off the CPU for a scheduler slice, a delay no charger on its own hardware sees.
// Every method blocks until the probe's thread has run it.
class LiveProbe {
public:
    // Starts the probe's CSMS on `csmsPort`, then connects the charger `id` to linkray at `baseUrl`.
    LiveProbe(const QString& id, const QString& baseUrl, quint16 csmsPort);
    ~LiveProbe();
    LiveProbe(const LiveProbe&) = delete;
    LiveProbe& operator=(const LiveProbe&) = delete;

    bool csmsListening() const { return m_csmsListening; }
    bool isOpen();
    void close();
    void send(ChargerMessage message, qint64 count);
    void stop();
    bool isIdle();
    qint64 answered();
    std::vector<qint64> takeRoundTrips();

private:
    template <typename Result, typename Function> Result onProbeThread(Function function);

    QThread m_thread;
    QObject* m_context = nullptr; // lives on m_thread, as does m_charger
    BenchCharger* m_charger = nullptr;
    bool m_csmsListening = false;
};

} // namespace linkray::bench
