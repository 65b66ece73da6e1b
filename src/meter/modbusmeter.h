#pragma once

#include "meter/decode.h"
#include "meter/meterdriver.h"

#include <QModbusDataUnit>
#include <QPointer>
#include <QSerialPort>

class QModbusClient;
class QModbusReply;

namespace linkray::meter {

struct ModbusTcpSettings {
    QString host;
    quint16 port = 502;
    int unitId = 1;
};

struct ModbusRtuSettings {
    QString portName; // e.g. /dev/ttyUSB0
    int baudRate = 9600;
    QSerialPort::Parity parity = QSerialPort::NoParity;
    QSerialPort::DataBits dataBits = QSerialPort::Data8;
    QSerialPort::StopBits stopBits = QSerialPort::OneStop;
    int unitId = 1;
};

// A meter read over Modbus (TCP or RTU) with a register map: each poll reads the planned blocks one after the
// other, decodes and validates them. The connection is (re)opened by the poll that needs it.
class ModbusMeter final : public PolledMeter {
    Q_OBJECT
public:
    static std::unique_ptr<ModbusMeter> createTcp(
        const ModbusTcpSettings& connection, RegisterMap map, Clock& clock, const PollSettings& settings = {});
    static std::unique_ptr<ModbusMeter> createRtu(
        const ModbusRtuSettings& connection, RegisterMap map, Clock& clock, const PollSettings& settings = {});
    ~ModbusMeter() override;

    const RegisterMap& registerMap() const { return m_map; }
    const QVector<ReadBlock>& readPlan() const { return m_plan; }

protected:
    void beginPoll() override;
    void abandonPoll() override;

private:
    ModbusMeter(QModbusClient* client, int unitId, RegisterMap map, Clock& clock, const PollSettings& settings,
        const QString& address);
    void readNextBlock();
    void onReplyFinished(QModbusReply* reply);
    void onClientStateChanged();
    void onClientError();

    QModbusClient* m_client; // child of this
    int m_unitId;
    RegisterMap m_map;
    QVector<ReadBlock> m_plan;
    QVector<QVector<quint16>> m_words; // of the poll in progress
    QPointer<QModbusReply> m_reply;
    bool m_waitingForConnection = false;
};

} // namespace linkray::meter
