#include "meter/registermap.h"
#include "registerimage.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace linkray::meter;
using linkray::meter::test::RegisterImage;

namespace {
using Phases = std::array<std::optional<double>, 3>;

MeterReading expected(Phases voltage, Phases current, Phases power, std::optional<double> total,
    std::optional<double> imported, std::optional<double> exported)
{
    MeterReading reading;
    reading.voltageV = voltage;
    reading.currentA = current;
    reading.powerW = power;
    reading.totalPowerW = total;
    reading.importedWh = imported;
    reading.exportedWh = exported;
    return reading;
}

QString describe(const MeterReading& r)
{
    auto text = [](const std::optional<double>& v) { return v ? QString::number(*v, 'f', 3) : QStringLiteral("-"); };
    QStringList parts;
    for (int p = 0; p < 3; ++p)
        parts << QStringLiteral("L%1 %2 V %3 A %4 W")
                     .arg(p + 1)
                     .arg(text(r.voltageV[p]), text(r.currentA[p]), text(r.powerW[p]));
    parts << QStringLiteral("total %1 W, import %2 Wh, export %3 Wh")
                 .arg(text(r.totalPowerW), text(r.importedWh), text(r.exportedWh));
    if (!r.trusted)
        parts << QStringLiteral("untrusted: ") + r.untrustedReason;
    return parts.join(QStringLiteral("; "));
}

bool sameValues(const MeterReading& a, const MeterReading& b)
{
    using linkray::meter::test::closeTo;
    for (int p = 0; p < 3; ++p) {
        if (!closeTo(a.voltageV[p], b.voltageV[p]) || !closeTo(a.currentA[p], b.currentA[p])
            || !closeTo(a.powerW[p], b.powerW[p]))
            return false;
    }
    return closeTo(a.totalPowerW, b.totalPowerW) && closeTo(a.importedWh, b.importedWh)
        && closeTo(a.exportedWh, b.exportedWh) && a.trusted == b.trusted;
}
} // namespace

class TestRegisterMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesBuiltInMap_data();
    void decodesBuiltInMap();
    void everyBuiltInMapHasADecodeCase();
    void sunSpecModelMovesWithTheBaseAddress();
    void rejectsInvalidMap_data();
    void rejectsInvalidMap();
    void acceptsCustomMap();
    void unknownBuiltInMapIsNamed();

private:
    QSet<QString> m_testedMaps;
};

void TestRegisterMap::decodesBuiltInMap_data()
{
    QTest::addColumn<QString>("mapId");
    QTest::addColumn<RegisterImage>("registers");
    QTest::addColumn<MeterReading>("reading");

    // Register values as the meters send them (float32 words, scaled integers, in each make's word order).
    const RegisterImage sdm = {
        {0, {0x4366, 0x199A, 0x4367, 0x3333, 0x4365, 0xCCCD}}, // 230.1, 231.2, 229.8 V
        {6, {0x4128, 0x0000, 0x4104, 0x0000, 0x0000, 0x0000}}, // 10.5, 8.25, 0 A
        {12, {0x4517, 0x0000, 0x44EE, 0x6CCD, 0x0000, 0x0000}}, // 2416, 1907.4, 0 W
        {52, {0x4587, 0x1B33}}, // 4323.4 W
        {72, {0x4640, 0xE666, 0x429D, 0xCCCD}}, // 12345.6, 78.9 kWh
    };
    const MeterReading sdmReading = expected({230.1f, 231.2f, 229.8f}, {10.5, 8.25, 0.0}, {2416.0, 1907.4f, 0.0},
        4323.4f, 12345.6f * 1000.0, 78.9f * 1000.0);
    QTest::newRow("Eastron SDM630") << QStringLiteral("eastron-sdm630") << sdm << sdmReading;
    QTest::newRow("Eastron SDM72D-M v2") << QStringLiteral("eastron-sdm72") << sdm << sdmReading;

    QTest::newRow("Carlo Gavazzi EM24: int32 low word first, negative power")
        << QStringLiteral("carlo-gavazzi-em24")
        << RegisterImage {
               {0, {2301, 0, 2312, 0, 2298, 0}}, // V x10
               {12, {10500, 0, 8250, 0, 0, 0}}, // A x1000
               {18, {24160, 0, 0xCFC7, 0xFFFF, 0, 0}}, // W x10: 2416.0, -1234.5, 0
               {40, {0xC7F3, 0x0000}}, // 51187 -> 5118.7 W
               {52, {0xE240, 0x0001}}, // 123456 -> 12345.6 kWh
               {78, {789, 0}}, // 78.9 kWh
           }
        << expected({230.1, 231.2, 229.8}, {10.5, 8.25, 0.0}, {2416.0, -1234.5, 0.0}, 5118.7, 12345600.0, 78900.0);

    QTest::newRow("ABB B23/B24: not-available registers stay empty")
        << QStringLiteral("abb-b2x")
        << RegisterImage {
               {0x5000, {0, 0, 0x0012, 0xD687, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}}, // 12345.67 kWh, export n/a
               {0x5B00, {0, 2301, 0, 2312, 0, 2298}}, // V x10
               {0x5B0C, {0, 1050, 0, 825, 0xFFFF, 0xFFFF}}, // A x100, L3 n/a
               {0x5B14, {0x0003, 0xAFC5, 0x0003, 0xAFC5, 0xFFFF, 0x3CB0, 0x7FFF, 0xFFFF}}, // W x100
           }
        << expected({230.1, 231.2, 229.8}, {10.5, 8.25, std::nullopt}, {2416.05, -500.0, std::nullopt}, 2416.05,
               12345670.0, std::nullopt);

    QTest::newRow("Schneider iEM3000: kW, int64 Wh, NaN is not available")
        << QStringLiteral("schneider-iem3000")
        << RegisterImage {
               {2999, {0x4128, 0x0000, 0x4104, 0x0000, 0x0000, 0x0000}}, // 10.5, 8.25, 0 A
               {3027, {0x4366, 0x199A, 0x4367, 0x3333, 0xFFC0, 0x0000}}, // 230.1, 231.2 V, L3 NaN
               {3053, {0x401A, 0x9FBE, 0x3FF4, 0x25AF, 0xBF00, 0x0000, 0x408A, 0x594B}}, // 2.416, 1.9074, -0.5, 4.3234 kW
               {3203, {0, 0, 0x00BC, 0x614E, 0, 0, 0, 0x0315}}, // 12345678, 789 Wh
           }
        << expected({230.1f, 231.2f, std::nullopt}, {10.5, 8.25, 0.0}, {2.416f * 1000.0, 1.9074f * 1000.0, -500.0},
               4.3234f * 1000.0, 12345678.0, 789.0);

    QTest::newRow("SunSpec 203 with scale-factor registers")
        << QStringLiteral("sunspec-meter")
        << RegisterImage {
               {40069, {203, 105, 1875, 1050, 825, 0, 0xFFFE}}, // id, length, A, A L1..L3, A_SF -2
               {40076, {2301, 2301, 2312, 2298, 0x8000, 0x8000, 0x8000, 0x8000, 0xFFFF}}, // V, L1..L3, line-line n/i, V_SF -1
               {40087, {2416, 2416, 0, 0x8000, 0}}, // W total, L1..L3 (L3 n/i), W_SF 0
               {40107, {0, 0, 0, 0, 0, 0, 0, 0, 0x00BC, 0x614E}}, // export 0 = n/i, import 12345678
               {40123, {0}}, // TotWh_SF
           }
        << expected({230.1, 231.2, 229.8}, {10.5, 8.25, 0.0}, {2416.0, 0.0, std::nullopt}, 2416.0, 12345678.0,
               std::nullopt);

    QTest::newRow("SunSpec 201: phases B and C not implemented")
        << QStringLiteral("sunspec-meter")
        << RegisterImage {
               {40069, {201, 105, 1050, 1050, 0x8000, 0x8000, 0xFFFE}},
               {40076, {2301, 2301, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0xFFFF}},
               {40087, {2416, 2416, 0x8000, 0x8000, 0}},
               {40107, {0, 0, 0, 0, 0, 0, 0, 0, 0x00BC, 0x614E}},
               {40123, {0}},
           }
        << expected({230.1, std::nullopt, std::nullopt}, {10.5, std::nullopt, std::nullopt},
               {2416.0, std::nullopt, std::nullopt}, 2416.0, 12345678.0, std::nullopt);

    QTest::newRow("SunSpec: scale factor not implemented leaves its values empty")
        << QStringLiteral("sunspec-meter")
        << RegisterImage {{40069, {204, 105, 1875, 1050, 825, 0, 0x8000}}, {40076, {2301, 2301, 2312, 2298}},
               {40084, {0xFFFF}}}
        << expected({230.1, 231.2, 229.8}, {}, {0.0, 0.0, 0.0}, 0.0, std::nullopt, std::nullopt);

    MeterReading wrongModel;
    wrongModel.distrust(QStringLiteral("model"));
    QTest::newRow("SunSpec: an inverter model (103) at the base address is not trusted")
        << QStringLiteral("sunspec-meter") << RegisterImage {{40069, {103, 50}}} << wrongModel;
}

void TestRegisterMap::decodesBuiltInMap()
{
    QFETCH(QString, mapId);
    QFETCH(RegisterImage, registers);
    QFETCH(MeterReading, reading);
    m_testedMaps.insert(mapId);

    QString error;
    const auto map = builtInMap(mapId, &error);
    QVERIFY2(map, qPrintable(error));
    const QVector<ReadBlock> plan = planReads(*map);
    const MeterReading decoded = decodeReading(*map, plan, test::readImage(plan, registers));
    QVERIFY2(sameValues(decoded, reading),
        qPrintable(QStringLiteral("\n   got: %1\nwanted: %2").arg(describe(decoded), describe(reading))));
}

void TestRegisterMap::everyBuiltInMapHasADecodeCase()
{
    const QStringList ids = builtInMapIds();
    QVERIFY(ids.size() >= 6);
    for (const QString& id : ids)
        QVERIFY2(m_testedMaps.contains(id), qPrintable(id));
}

void TestRegisterMap::sunSpecModelMovesWithTheBaseAddress()
{
    auto map = builtInMap(QStringLiteral("sunspec-meter"));
    QVERIFY(map);
    map->baseAddress = 40121; // after a 50-register inverter model, as some inverters place the meter
    const QVector<ReadBlock> plan = planReads(*map);
    QCOMPARE(plan.first().start, 40121);
    const MeterReading decoded
        = decodeReading(*map, plan, test::readImage(plan, {{40121, {203, 105, 1050, 1050, 0, 0, 0xFFFE}}}));
    QVERIFY(decoded.trusted);
    QVERIFY(test::closeTo(decoded.currentA[0], 10.5));
}

void TestRegisterMap::rejectsInvalidMap_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("error");
    auto row = [](const char* name, const char* json, const char* error) {
        QTest::newRow(name) << QByteArray(json) << QByteArray(error);
    };

    row("no values", R"({"id": "x"})", "values: expected an object with at least one value");
    row("unknown top-level key", R"({"vales": {}})", "vales: unknown key");
    row("unknown quantity", R"({"values": {"voltageL4": {"address": 0, "type": "float32", "unit": "V"}}})",
        "values.voltageL4: unknown value");
    row("missing address", R"({"values": {"voltageL1": {"type": "float32", "unit": "V"}}})",
        "values.voltageL1.address: missing");
    row("negative address", R"({"values": {"voltageL1": {"address": -1, "type": "float32", "unit": "V"}}})",
        "values.voltageL1.address: expected an integer from 0 to 65535");
    row("unknown type", R"({"values": {"currentL2": {"address": 0, "type": "float64", "unit": "A"}}})",
        R"(values.currentL2.type: unknown type "float64")");
    row("missing type", R"({"values": {"currentL2": {"address": 0, "unit": "A"}}})", "values.currentL2.type: missing");
    row("bad default type", R"({"defaults": {"type": "f32"}, "values": {"currentL2": {"address": 0, "unit": "A"}}})",
        R"(defaults.type: unknown type "f32")");
    row("unknown function",
        R"({"values": {"powerL1": {"address": 0, "type": "int16", "function": "coil", "unit": "W"}}})",
        R"(values.powerL1.function: unknown function "coil")");
    row("unknown word order",
        R"({"values": {"powerL1": {"address": 0, "type": "int32", "wordOrder": "middle", "unit": "W"}}})",
        R"(values.powerL1.wordOrder: unknown word order "middle")");
    row("unit of another quantity", R"({"values": {"powerL1": {"address": 0, "type": "int16", "unit": "A"}}})",
        R"(values.powerL1.unit: "A" is not a unit of powerL1)");
    row("zero scale", R"({"values": {"powerL1": {"address": 0, "type": "int16", "scale": 0, "unit": "W"}}})",
        "values.powerL1.scale: expected a non-zero number");
    row("scale-factor object",
        R"({"values": {"powerL1": {"address": 0, "type": "int16", "scale": {"reg": 2}, "unit": "W"}}})",
        "values.powerL1.scale: a scale-factor object has exactly one key");
    row("invalid too wide",
        R"({"values": {"powerL1": {"address": 0, "type": "int16", "invalid": "0x10000", "unit": "W"}}})",
        R"(values.powerL1.invalid: "0x10000" is not a 16-bit hex value)");
    row("invalid out of range",
        R"({"values": {"powerL1": {"address": 0, "type": "uint16", "invalid": -1, "unit": "W"}}})",
        "values.powerL1.invalid: -1 does not fit the register type");
    row("unknown value key", R"({"values": {"powerL1": {"address": 0, "type": "int16", "unit": "W", "sacle": 2}}})",
        "values.powerL1.sacle: unknown key");
    row("beyond the last register",
        R"({"baseAddress": 65530, "values": {"powerL1": {"address": 5, "type": "int32", "unit": "W"}}})",
        "values.powerL1.address: ends beyond register 65535");
    row("identify without values",
        R"({"identify": {"address": 0}, "values": {"powerL1": {"address": 2, "type": "int16", "unit": "W"}}})",
        "identify.values: expected a non-empty array");
    row("block size above the Modbus limit",
        R"({"maxBlockSize": 200, "values": {"powerL1": {"address": 2, "type": "int16", "unit": "W"}}})",
        "maxBlockSize: expected an integer from 4 to 125");
}

void TestRegisterMap::rejectsInvalidMap()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, error);
    const QJsonDocument document = QJsonDocument::fromJson(json);
    QVERIFY(document.isObject());
    QString actual;
    QVERIFY(!parseRegisterMap(document.object(), &actual));
    QVERIFY2(actual.startsWith(QString::fromUtf8(error)), qPrintable(actual));
}

void TestRegisterMap::acceptsCustomMap()
{
    // A meter the built-in list does not know, as an installer would write it in the configuration.
    const auto document = QJsonDocument::fromJson(R"({
        "name": "Site meter behind a gateway",
        "defaults": {"function": "holding", "type": "int32", "wordOrder": "little", "scale": 0.01},
        "values": {
            "currentL1": {"address": 100, "unit": "A"},
            "totalPower": {"address": 110, "type": "float32", "wordOrder": "big", "scale": 1, "unit": "kW", "invalid": "0x7FC00000"}
        }})");
    QString error;
    const auto map = parseRegisterMap(document.object(), &error);
    QVERIFY2(map, qPrintable(error));
    const QVector<ReadBlock> plan = planReads(*map);
    QCOMPARE(plan, (QVector<ReadBlock> {{RegisterFunction::Holding, 100, 12}}));
    const MeterReading reading
        = decodeReading(*map, plan, test::readImage(plan, {{100, {1050, 0}}, {110, {0x401A, 0x9FBE}}}));
    QVERIFY(test::closeTo(reading.currentA[0], 10.5));
    QVERIFY(test::closeTo(reading.totalPowerW, 2.416f * 1000.0));
    QVERIFY(!reading.voltageV[0]);
}

void TestRegisterMap::unknownBuiltInMapIsNamed()
{
    QString error;
    QVERIFY(!builtInMap(QStringLiteral("eastron-sdm999"), &error));
    QVERIFY2(error.contains(QLatin1String("eastron-sdm999")) && error.contains(QLatin1String("eastron-sdm630")),
        qPrintable(error));
}

QTEST_GUILESS_MAIN(TestRegisterMap)
#include "tst_registermap.moc"
