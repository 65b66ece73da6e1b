#include "meter/encode.h"
#include "registerimage.h"

#include <QTest>

using namespace linkray::meter;

namespace {

// A site reading with values every built-in map can hold exactly at its resolution.
MeterReading siteReading()
{
    MeterReading reading;
    reading.voltageV = {230.1, 231.2, 229.8};
    reading.currentA = {10.5, 8.25, 3.75};
    reading.powerW = {2416.0, -1900.0, 862.5};
    reading.totalPowerW = 1378.5;
    reading.importedWh = 12345600.0;
    reading.exportedWh = 78900.0;
    return reading;
}

MeterReading roundTrip(const RegisterMap& map, const MeterReading& reading)
{
    const QVector<ReadBlock> plan = planReads(map);
    return decodeReading(map, plan, test::readImage(plan, encodeReading(map, reading)));
}

} // namespace

class TestEncode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesBackToTheReading_data();
    void decodesBackToTheReading();
    void absentValueBecomesTheInvalidMarker();
    void integersSaturate();
};

void TestEncode::decodesBackToTheReading_data()
{
    QTest::addColumn<QString>("mapId");
    for (const QString& id : builtInMapIds())
        QTest::newRow(qPrintable(id)) << id;
}

void TestEncode::decodesBackToTheReading()
{
    QFETCH(QString, mapId);
    const std::optional<RegisterMap> map = builtInMap(mapId);
    QVERIFY(map);
    MeterReading expected = siteReading();
    MeterReading decoded = roundTrip(*map, expected);
    QVERIFY2(decoded.trusted, qPrintable(decoded.untrustedReason));
    for (const RegisterField& field : map->fields) {
        const std::optional<double> actual = valueOf(decoded, field.quantity);
        QVERIFY2(test::closeTo(actual, valueOf(expected, field.quantity)),
            qPrintable(QStringLiteral("%1: %2").arg(quantityName(field.quantity)).arg(actual.value_or(-1))));
    }
}

void TestEncode::absentValueBecomesTheInvalidMarker()
{
    const std::optional<RegisterMap> abb = builtInMap(QStringLiteral("abb-b2x"));
    QVERIFY(abb);
    MeterReading reading = siteReading();
    reading.powerW[2].reset();
    const MeterReading decoded = roundTrip(*abb, reading);
    QVERIFY(!decoded.powerW[2]);
    QVERIFY(test::closeTo(decoded.powerW[1], -1900.0));
}

void TestEncode::integersSaturate()
{
    const std::optional<RegisterMap> em24 = builtInMap(QStringLiteral("carlo-gavazzi-em24"));
    QVERIFY(em24);
    MeterReading reading = siteReading();
    reading.currentA[0] = 1e9; // int32 in mA: beyond 2^31
    reading.currentA[1] = -1e9;
    const MeterReading decoded = roundTrip(*em24, reading);
    QVERIFY(test::closeTo(decoded.currentA[0], 2147483.647));
    QVERIFY(test::closeTo(decoded.currentA[1], -2147483.648));
}

QTEST_GUILESS_MAIN(TestEncode)
#include "tst_encode.moc"
