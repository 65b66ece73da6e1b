#include "sim/meterserver.h"

#include "meter/decode.h"
#include "meter/encode.h"
#include "sim/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QModbusDataUnitMap>

#include <algorithm>

namespace linkray::sim {

namespace {

constexpr qint64 RefreshIntervalMs = 1000;

QModbusDataUnit::RegisterType registerType(meter::RegisterFunction function)
{
    return function == meter::RegisterFunction::Input ? QModbusDataUnit::InputRegisters
                                                      : QModbusDataUnit::HoldingRegisters;
}

// Register tables from address 0 to the end of the last block the map's driver reads, per function.
QModbusDataUnitMap dataUnits(const meter::RegisterMap& map)
{
    QModbusDataUnitMap units;
    for (const meter::ReadBlock& block : meter::planReads(map)) {
        QModbusDataUnit& unit = units[registerType(block.function)];
        const int end = std::max<int>(static_cast<int>(unit.valueCount()), block.start + block.count);
        unit = QModbusDataUnit(registerType(block.function), 0, static_cast<quint16>(end));
    }
    return units;
}

} // namespace

MeterServer::MeterServer(Clock& clock, SiteLoad& load, QObject* parent)
    : QObject(parent)
    , m_load(load)
    , m_map(meter::builtInMap(QStringLiteral("eastron-sdm630")).value())
    , m_refreshTimer(clock.createTimer())
{
    m_server.setMap(dataUnits(m_map));
    connect(&m_load, &SiteLoad::changed, this, &MeterServer::refresh);
    connect(m_refreshTimer.get(), &Timer::timeout, this, &MeterServer::refresh);
    refresh();
}

MeterServer::~MeterServer()
{
    m_server.disconnectDevice();
}

bool MeterServer::listen(const QHostAddress& address, quint16 port, int unitId, QString& error)
{
    m_server.setConnectionParameter(QModbusDevice::NetworkAddressParameter, address.toString());
    m_server.setConnectionParameter(QModbusDevice::NetworkPortParameter, port);
    m_server.setServerAddress(unitId);
    if (!m_server.connectDevice()) {
        error = m_server.errorString();
        return false;
    }
    m_refreshTimer->start(RefreshIntervalMs);
    return true;
}

void MeterServer::refresh()
{
    const meter::RegisterTables tables = meter::encodeReading(m_map, m_load.reading());
    for (meter::RegisterFunction function : {meter::RegisterFunction::Input, meter::RegisterFunction::Holding}) {
        const QMap<int, quint16>& table = tables.table(function);
        for (auto it = table.begin(); it != table.end(); ++it)
            m_server.setData(registerType(function), static_cast<quint16>(it.key()), it.value());
    }
}

BaseLoadFile::BaseLoadFile(const QString& path, SiteLoad& load, QObject* parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_load(load)
{
    // The directory too: an editor or `mv` replaces the file, and the watch on the old one goes with it.
    m_watcher.addPath(QFileInfo(m_path).absolutePath());
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &BaseLoadFile::reload);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &BaseLoadFile::reload);
    reload();
}

void BaseLoadFile::reload()
{
    if (QFile::exists(m_path) && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QString text = QString::fromUtf8(file.readAll()).trimmed();
    const std::optional<PhaseCurrents> baseLoad = baseLoadFromText(text);
    if (!baseLoad) {
        // A writer that truncates first shows an empty file for a moment: only real content is worth a warning.
        if (!text.isEmpty())
            qCWarning(lcSim).noquote() << m_path << ": not a base load (\"20\" or \"20,15,10\"):" << text;
        return;
    }
    if (*baseLoad != m_load.baseLoad())
        qCInfo(lcSim).noquote() << "base load now" << text << "A from" << m_path;
    m_load.setBaseLoad(*baseLoad);
}

} // namespace linkray::sim
