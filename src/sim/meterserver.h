#pragma once

#include "core/clock.h"
#include "meter/registermap.h"
#include "sim/siteload.h"

#include <QFileSystemWatcher>
#include <QHostAddress>
#include <QModbusTcpServer>
#include <QObject>

#include <memory>

// The simulated site meter on Modbus TCP, and the file that changes its base load while the simulator runs.
namespace linkray::sim {

// Serves a SiteLoad's reading with the Eastron SDM630 register map (input registers, float32). The registers are
// rewritten whenever the load changes and at least once per second of the Clock's time (the energy register).
class MeterServer : public QObject {
    Q_OBJECT
public:
    MeterServer(Clock& clock, SiteLoad& load, QObject* parent = nullptr);
    ~MeterServer() override;

    // QModbusTcpServer cannot listen on port 0: the caller picks the port. False with `error` set on failure.
    bool listen(const QHostAddress& address, quint16 port, int unitId, QString& error);
    const meter::RegisterMap& registerMap() const { return m_map; }

private:
    void refresh();

    SiteLoad& m_load;
    meter::RegisterMap m_map;
    QModbusTcpServer m_server;
    std::unique_ptr<Timer> m_refreshTimer;
};

// Keeps a SiteLoad's base load equal to a file's content ("20" or "20,15,10"), re-read when the file changes, is
// replaced (written elsewhere and renamed over it) or appears. Content that does not parse is logged and ignored.
class BaseLoadFile : public QObject {
    Q_OBJECT
public:
    BaseLoadFile(const QString& path, SiteLoad& load, QObject* parent = nullptr);

private:
    void reload();

    QString m_path;
    SiteLoad& m_load;
    QFileSystemWatcher m_watcher;
};

} // namespace linkray::sim
