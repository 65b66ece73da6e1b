#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace linkray::bench {

// Runs the event loop until `done` holds; false when it has not after `stallMs`, counted from the last change of
// `progress` when one is given (a slow disk makes a backlog long, not stuck). `done` is checked every few
// milliseconds, which only decides when the wait ends: what is measured is driven by socket events meanwhile.
bool runUntil(const std::function<bool()>& done, int stallMs, const std::function<qint64()>& progress = {});
// Runs the event loop for `ms` milliseconds.
void runFor(int ms);

// Peak resident memory (VmHWM) of a process in KiB; -1 when unreadable.
qint64 peakRssKb(qint64 pid);
// Resident memory now (VmRSS) in KiB; -1 when unreadable.
qint64 rssKb(qint64 pid);
// CPU time a process has used so far (user + system, all threads), and the time its main thread (the event loop)
// was ready to run but waiting for a CPU, in seconds; -1 when unreadable. The second tells a process starved by
// others on a busy machine from one that waits for its disk.
struct CpuTime {
    double used = -1;
    double waited = -1;
};
CpuTime cpuTimeOf(qint64 pid);

// The whole machine's CPU time so far, in clock ticks (/proc/stat): all of it, and the part the hypervisor ran other
// guests on while this one had work ("steal"). A virtual machine's latency percentiles move with it.
struct MachineTicks {
    qint64 total = -1;
    qint64 stolen = -1;
};
MachineTicks machineTicks();
// The share of the machine's CPU time stolen since `before`, from 0 to 1; -1 when unreadable.
double stolenShareSince(const MachineTicks& before);

// The real linkray binary with a data directory of its own, under `dataParent`. Its log goes to linkray.log there;
// the directory is kept when linkray fails, so that the log can be read.
class LinkRayProcess {
public:
    LinkRayProcess(QString binary, const QString& dataParent);
    ~LinkRayProcess(); // stops linkray

    // Writes `config` and starts linkray with it; true once it prints the port it listens on. After stop(), starts it
    // again on the same data directory.
    bool start(const QJsonObject& config);
    // SIGTERM, then waits for the exit; false when it did not exit cleanly.
    bool stop();

    qint64 pid() const { return m_process.processId(); }
    QString chargerUrl() const; // ws://127.0.0.1:<port>/ocpp
    // Rows in linkray's outbox, read from its database as an operator would; -1 when unreadable.
    qint64 outboxLength() const;
    QString databasePath() const;
    // Of the last start: from launching the process to the line that names its port (ms), and the start-up time that
    // line reports (linkray's own, from main() to listening); -1 before.
    double launchToListeningMs() const { return m_launchToListeningMs; }
    qint64 reportedStartupMs() const { return m_reportedStartupMs; }

private:
    QString m_binary;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    QProcess m_process;
    QByteArray m_stdout;
    quint16 m_port = 0;
    QElapsedTimer m_sinceLaunch;
    double m_launchToListeningMs = -1;
    qint64 m_reportedStartupMs = -1;
};

} // namespace linkray::bench
