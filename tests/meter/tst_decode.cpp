#include "meter/decode.h"
#include "registerimage.h"

#include <QTest>

using namespace linkray::meter;

namespace {
RegisterField field(Quantity quantity, int address, ValueType type, RegisterFunction function = RegisterFunction::Input)
{
    RegisterField f;
    f.quantity = quantity;
    f.address = address;
    f.type = type;
    f.function = function;
    f.unit = QStringLiteral("W");
    return f;
}
} // namespace

class TestDecode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plansReads_data();
    void plansReads();
    void shortAnswerIsNotTrusted();
};

void TestDecode::plansReads_data()
{
    QTest::addColumn<RegisterMap>("map");
    QTest::addColumn<QVector<ReadBlock>>("blocks");

    using F = RegisterFunction;
    RegisterMap adjacent;
    adjacent.fields
        = {field(Quantity::PowerL2, 2, ValueType::Float32), field(Quantity::PowerL1, 0, ValueType::Float32)};
    QTest::newRow("adjacent values, listed out of order: one block")
        << adjacent << QVector<ReadBlock> {{F::Input, 0, 4}};

    RegisterMap gap = adjacent;
    gap.maxGap = 4;
    gap.fields << field(Quantity::TotalPower, 8, ValueType::Float32)
               << field(Quantity::ImportedEnergy, 15, ValueType::UInt64);
    QTest::newRow("a gap up to maxGap is read through, a wider one splits")
        << gap << QVector<ReadBlock> {{F::Input, 0, 10}, {F::Input, 15, 4}};

    RegisterMap functions = adjacent;
    functions.fields << field(Quantity::TotalPower, 4, ValueType::Int16, F::Holding);
    QTest::newRow("input and holding registers are never merged")
        << functions << QVector<ReadBlock> {{F::Input, 0, 4}, {F::Holding, 4, 1}};

    RegisterMap wide;
    wide.maxGap = 125;
    wide.fields = {field(Quantity::PowerL1, 0, ValueType::Float32), field(Quantity::PowerL2, 122, ValueType::Float32),
        field(Quantity::PowerL3, 124, ValueType::Float32)};
    QTest::newRow("no block above 125 registers")
        << wide << QVector<ReadBlock> {{F::Input, 0, 124}, {F::Input, 124, 2}};

    RegisterMap small = wide;
    small.maxBlockSize = 40;
    small.fields = {field(Quantity::PowerL1, 0, ValueType::Float32), field(Quantity::PowerL2, 38, ValueType::Float32),
        field(Quantity::PowerL3, 40, ValueType::Float32)};
    QTest::newRow("a map's smaller block limit") << small << QVector<ReadBlock> {{F::Input, 0, 40}, {F::Input, 40, 2}};

    RegisterMap sunspec;
    sunspec.baseAddress = 40069;
    sunspec.identify = IdentifyRegister {F::Holding, 0, {203}};
    RegisterField current = field(Quantity::CurrentL1, 3, ValueType::Int16, F::Holding);
    current.scaleFactorAddress = 6;
    RegisterField energy = field(Quantity::ImportedEnergy, 46, ValueType::UInt32, F::Holding);
    energy.scaleFactorAddress = 54;
    sunspec.fields = {current, energy};
    QTest::newRow("identify and scale-factor registers are read with the values, from the base address")
        << sunspec << QVector<ReadBlock> {{F::Holding, 40069, 7}, {F::Holding, 40115, 9}};

    RegisterMap overlapping;
    overlapping.fields
        = {field(Quantity::PowerL1, 10, ValueType::Int64), field(Quantity::PowerL2, 11, ValueType::Int16)};
    QTest::newRow("overlapping values") << overlapping << QVector<ReadBlock> {{F::Input, 10, 4}};
}

void TestDecode::plansReads()
{
    QFETCH(RegisterMap, map);
    QFETCH(QVector<ReadBlock>, blocks);
    const QVector<ReadBlock> planned = planReads(map);
    QStringList text;
    for (const ReadBlock& b : planned)
        text << QStringLiteral("%1@%2+%3").arg(int(b.function)).arg(b.start).arg(b.count);
    QVERIFY2(planned == blocks, qPrintable(text.join(QLatin1Char(' '))));
}

void TestDecode::shortAnswerIsNotTrusted()
{
    RegisterMap map;
    map.fields = {field(Quantity::PowerL1, 0, ValueType::Float32), field(Quantity::PowerL2, 2, ValueType::Float32)};
    const QVector<ReadBlock> plan = planReads(map);
    const MeterReading reading = decodeReading(map, plan, {{0x4517, 0x0000}});
    QVERIFY(!reading.trusted);
    QCOMPARE(reading.untrustedReason, QStringLiteral("read of 4 registers at 0 returned 2"));
    QVERIFY(!reading.powerW[0]);
}

QTEST_GUILESS_MAIN(TestDecode)
#include "tst_decode.moc"
