#include "meter/modbusmeter.h"

#include "meter/logging.h"

#include <QModbusRtuSerialClient>
#include <QModbusTcpClient>
#include <QVariant>

#include <algorithm>

namespace linkray::meter {

std::unique_ptr<ModbusMeter> ModbusMeter::createTcp(
    const ModbusTcpSettings& connection, RegisterMap map, Clock& clock, const PollSettings& settings)
{
    auto* client = new QModbusTcpClient;
    client->setConnectionParameter(QModbusDevice::NetworkAddressParameter, connection.host);
    client->setConnectionParameter(QModbusDevice::NetworkPortParameter, connection.port);
    const QString address = QStringLiteral("%1:%2").arg(connection.host).arg(connection.port);
    return std::unique_ptr<ModbusMeter>(
        new ModbusMeter(client, connection.unitId, std::move(map), clock, settings, address));
}

std::unique_ptr<ModbusMeter> ModbusMeter::createRtu(
    const ModbusRtuSettings& connection, RegisterMap map, Clock& clock, const PollSettings& settings)
{
    auto* client = new QModbusRtuSerialClient;
    client->setConnectionParameter(QModbusDevice::SerialPortNameParameter, connection.portName);
    client->setConnectionParameter(QModbusDevice::SerialBaudRateParameter, connection.baudRate);
    client->setConnectionParameter(QModbusDevice::SerialParityParameter, connection.parity);
    client->setConnectionParameter(QModbusDevice::SerialDataBitsParameter, connection.dataBits);
    client->setConnectionParameter(QModbusDevice::SerialStopBitsParameter, connection.stopBits);
    return std::unique_ptr<ModbusMeter>(
        new ModbusMeter(client, connection.unitId, std::move(map), clock, settings, connection.portName));
}

ModbusMeter::ModbusMeter(QModbusClient* client, int unitId, RegisterMap map, Clock& clock, const PollSettings& settings,
    const QString& address)
    : PolledMeter(clock, settings, address)
    , m_client(client)
    , m_unitId(unitId)
    , m_map(std::move(map))
    , m_plan(planReads(m_map))
{
    m_client->setParent(this);
    // One try per poll, answered within the interval: the next poll is the retry, and staleness counts polls.
    m_client->setNumberOfRetries(0);
    m_client->setTimeout(int(std::clamp<qint64>(settings.intervalMs * 9 / 10, 20, 10000)));
    connect(m_client, &QModbusDevice::stateChanged, this, &ModbusMeter::onClientStateChanged);
    connect(m_client, &QModbusDevice::errorOccurred, this, &ModbusMeter::onClientError);
}

ModbusMeter::~ModbusMeter()
{
    // The client must not report into a half-destroyed meter.
    m_client->disconnect(this);
    if (m_reply)
        m_reply->disconnect(this);
}

void ModbusMeter::beginPoll()
{
    m_words.clear();
    switch (m_client->state()) {
    case QModbusDevice::ConnectedState:
        readNextBlock();
        return;
    case QModbusDevice::UnconnectedState:
        m_waitingForConnection = true;
        if (!m_client->connectDevice()) {
            m_waitingForConnection = false;
            failPoll(QStringLiteral("cannot connect: %1").arg(m_client->errorString()));
        }
        return;
    case QModbusDevice::ConnectingState:
    case QModbusDevice::ClosingState:
        m_waitingForConnection = true;
        return;
    }
}

void ModbusMeter::abandonPoll()
{
    m_waitingForConnection = false;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply = nullptr;
    }
    // A connection attempt that hangs (an unreachable host) is dropped so that the next poll starts afresh.
    if (m_client->state() == QModbusDevice::ConnectingState)
        m_client->disconnectDevice();
}

void ModbusMeter::readNextBlock()
{
    const ReadBlock& block = m_plan.at(m_words.size());
    const auto type = block.function == RegisterFunction::Input ? QModbusDataUnit::InputRegisters
                                                                : QModbusDataUnit::HoldingRegisters;
    QModbusReply* reply = m_client->sendReadRequest(QModbusDataUnit(type, block.start, quint16(block.count)), m_unitId);
    if (!reply) {
        failPoll(QStringLiteral("cannot send a read request: %1").arg(m_client->errorString()));
        return;
    }
    m_reply = reply;
    if (reply->isFinished()) {
        onReplyFinished(reply);
        return;
    }
    connect(reply, &QModbusReply::finished, this, [this, reply] { onReplyFinished(reply); });
}

void ModbusMeter::onReplyFinished(QModbusReply* reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    if (reply->error() != QModbusDevice::NoError) {
        const ReadBlock& block = m_plan.at(m_words.size());
        failPoll(QStringLiteral("reading %1 registers at %2 from unit %3: %4")
                     .arg(block.count)
                     .arg(block.start)
                     .arg(m_unitId)
                     .arg(reply->errorString()));
        return;
    }
    const QModbusDataUnit unit = reply->result();
    m_words.append(QVector<quint16>(unit.values().cbegin(), unit.values().cend()));
    if (m_words.size() < m_plan.size()) {
        readNextBlock();
        return;
    }
    finishPoll(decodeReading(m_map, m_plan, m_words));
}

void ModbusMeter::onClientStateChanged()
{
    if (m_client->state() == QModbusDevice::ConnectedState && m_waitingForConnection) {
        m_waitingForConnection = false;
        readNextBlock();
    } else if (m_client->state() == QModbusDevice::UnconnectedState && m_waitingForConnection
        && !m_client->errorString().isEmpty()) {
        // Qt reports a refused connection as a state change first and the error after it: onClientError() then says
        // why, rather than an empty reason here.
        m_waitingForConnection = false;
        failPoll(QStringLiteral("cannot connect: %1").arg(m_client->errorString()));
    }
}

void ModbusMeter::onClientError()
{
    qCDebug(lcMeter).noquote() << "modbus:" << m_client->errorString();
    if (m_waitingForConnection && m_client->state() != QModbusDevice::ConnectingState) {
        m_waitingForConnection = false;
        failPoll(QStringLiteral("cannot connect: %1").arg(m_client->errorString()));
    }
}

} // namespace linkray::meter
