#include "configtest.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace configtest {

namespace {

QByteArray site(const QByteArray& members)
{
    return doc(R"("site": {)" + members + '}');
}

QByteArray groups(const QByteArray& items)
{
    return site(R"("groups": [)" + items + ']');
}

QByteArray control(const QByteArray& members)
{
    return site(R"("control": {)" + members + '}');
}

QByteArray meter(const QByteArray& members)
{
    return doc(R"("meter": {)" + members + '}');
}

QByteArray tcpMeter(const QByteArray& members)
{
    return meter(R"("type": "modbus-tcp", "model": "eastron-sdm630", "host": "10.0.0.5", )" + members);
}

QByteArray rtuMeter(const QByteArray& members)
{
    return meter(R"("type": "modbus-rtu", "model": "eastron-sdm630", "serialPort": "/dev/ttyUSB0", )" + members);
}

// One charge point "A" with these balancing settings, on a site with the group "garage".
QByteArray balancing(const QByteArray& members)
{
    return doc(R"("site": {"groups": [{"id": "garage", "phaseLimitA": 32}]},
                  "chargePoints": [{"id": "A", "balancing": {)"
        + members + "}}]");
}

void addSiteRows()
{
    const QString integer = u"must be an integer from %1 to %2"_s;
    const QString number = u"must be a number from %1 to %2"_s;
    const QString phaseLimit = u"must be a number from 1 to 10000, or an array of 3 such numbers for L1, L2, L3"_s;
    const QString group0 = u"site.groups[0]"_s;

    QTest::newRow("site not object") << doc(R"("site": 5)") << u"site"_s << u"must be an object"_s;
    QTest::newRow("phaseLimitA text") << site(R"("phaseLimitA": "32")") << u"site.phaseLimitA"_s << phaseLimit;
    QTest::newRow("phaseLimitA two phases")
        << site(R"("phaseLimitA": [32, 32])") << u"site.phaseLimitA"_s << phaseLimit;
    QTest::newRow("phaseLimitA zero phase")
        << site(R"("phaseLimitA": [32, 0, 32])") << u"site.phaseLimitA"_s << phaseLimit;
    QTest::newRow("phaseLimitA too big") << site(R"("phaseLimitA": 10001)") << u"site.phaseLimitA"_s << phaseLimit;
    QTest::newRow("phaseLimitA within margin") << site(R"("phaseLimitA": [32, 2, 32])") << u"site.phaseLimitA"_s
                                               << u"must be more than site.safetyMarginA (2)"_s;
    QTest::newRow("site powerLimitKw zero")
        << site(R"("powerLimitKw": 0)") << u"site.powerLimitKw"_s << number.arg(1).arg(100000);
    QTest::newRow("safetyMarginA negative")
        << site(R"("safetyMarginA": -1)") << u"site.safetyMarginA"_s << number.arg(0).arg(100);
    QTest::newRow("failSafeLimitA text") << site(R"("failSafeLimitA": "16")") << u"site.failSafeLimitA"_s
                                         << number.arg(0).arg(10000);
    QTest::newRow("voltage 400") << site(R"("voltage": 400)") << u"site.voltage"_s << number.arg(100).arg(300);
    QTest::newRow("rotationInterval zero")
        << site(R"("rotationIntervalMinutes": 0)") << u"site.rotationIntervalMinutes"_s << integer.arg(1).arg(1440);
    QTest::newRow("rotationInterval fraction")
        << site(R"("rotationIntervalMinutes": 1.5)") << u"site.rotationIntervalMinutes"_s << integer.arg(1).arg(1440);
    QTest::newRow("site key typo") << site(R"("safetyMargin": 2)") << u"site.safetyMargin"_s
                                   << u"unknown key (did you mean \"safetyMarginA\"?)"_s;

    QTest::newRow("groups not array") << site(R"("groups": {})") << u"site.groups"_s
                                      << u"must be an array of objects"_s;
    QTest::newRow("group id missing") << groups(R"({"phaseLimitA": 16})") << group0 + u".id"_s << u"is required"_s;
    QTest::newRow("group id duplicate") << groups(R"({"id": "g", "phaseLimitA": 16}, {"id": "g", "phaseLimitA": 16})")
                                        << u"site.groups[1].id"_s << u"duplicate of site.groups[0].id"_s;
    QTest::newRow("group phaseLimitA missing")
        << groups(R"({"id": "g"})") << group0 + u".phaseLimitA"_s << u"is required"_s;
    QTest::newRow("group phaseLimitA within margin")
        << groups(R"({"id": "g", "phaseLimitA": [16, 2, 16]})") << group0 + u".phaseLimitA"_s
        << u"must be more than site.safetyMarginA (2)"_s;
    QTest::newRow("group parent unknown") << groups(R"({"id": "g", "parent": "x", "phaseLimitA": 16})")
                                          << group0 + u".parent"_s << u"no group \"x\" in site.groups"_s;
    QTest::newRow("group own parent") << groups(R"({"id": "g", "parent": "g", "phaseLimitA": 16})")
                                      << group0 + u".parent"_s << u"the groups form a cycle: \"g\" → \"g\""_s;
    QTest::newRow("groups cycle") << groups(R"({"id": "top", "phaseLimitA": 63},
                                               {"id": "a", "parent": "b", "phaseLimitA": 16},
                                               {"id": "b", "parent": "c", "phaseLimitA": 16},
                                               {"id": "c", "parent": "a", "phaseLimitA": 16})")
                                  << u"site.groups[1].parent"_s
                                  << u"the groups form a cycle: \"a\" → \"b\" → \"c\" → \"a\""_s;
    QTest::newRow("group powerLimitKw text") << groups(R"({"id": "g", "phaseLimitA": 16, "powerLimitKw": "11"})")
                                             << group0 + u".powerLimitKw"_s << number.arg(1).arg(100000);
    QTest::newRow("group key typo") << groups(R"({"id": "g", "phaseLimitA": 16, "powerLimit": 11})")
                                    << group0 + u".powerLimit"_s << u"unknown key (did you mean \"powerLimitKw\"?)"_s;

    QTest::newRow("hysteresisA negative")
        << control(R"("hysteresisA": -0.5)") << u"site.control.hysteresisA"_s << number.arg(0).arg(32);
    QTest::newRow("hysteresisW text") << control(R"("hysteresisW": "500")") << u"site.control.hysteresisW"_s
                                      << number.arg(0).arg(50000);
    QTest::newRow("increaseDelay big") << control(R"("increaseDelaySeconds": 3601)")
                                       << u"site.control.increaseDelaySeconds"_s << integer.arg(0).arg(3600);
    QTest::newRow("rampStepA zero") << control(R"("rampStepA": 0)") << u"site.control.rampStepA"_s
                                    << number.arg(0.1).arg(80);
    QTest::newRow("failSafeAfter small") << control(R"("failSafeAfterSeconds": 59)")
                                         << u"site.control.failSafeAfterSeconds"_s << integer.arg(60).arg(86400);
    QTest::newRow("profileId zero") << control(R"("profileId": 0)") << u"site.control.profileId"_s
                                    << integer.arg(1).arg(2000000000);
    QTest::newRow("profileId without room above")
        << control(R"("profileId": 2000000001)") << u"site.control.profileId"_s << integer.arg(1).arg(2000000000);
    QTest::newRow("stackLevel big") << control(R"("stackLevel": 101)") << u"site.control.stackLevel"_s
                                    << integer.arg(0).arg(100);
    QTest::newRow("control key typo") << control(R"("rampStep": 2)") << u"site.control.rampStep"_s
                                      << u"unknown key (did you mean \"rampStepA\"?)"_s;
}

void addMeterRows()
{
    const QString integer = u"must be an integer from %1 to %2"_s;

    QTest::newRow("meter type unknown") << meter(R"("type": "modbus")") << u"meter.type"_s
                                        << u"must be one of \"none\", \"modbus-tcp\", \"modbus-rtu\""_s;
    QTest::newRow("tcp without host") << meter(R"("type": "modbus-tcp", "model": "eastron-sdm630")") << u"meter.host"_s
                                      << u"is required (for type \"modbus-tcp\")"_s;
    QTest::newRow("rtu without serialPort") << meter(R"("type": "modbus-rtu", "model": "eastron-sdm630")")
                                            << u"meter.serialPort"_s << u"is required (for type \"modbus-rtu\")"_s;
    QTest::newRow("tcp without model") << meter(R"("type": "modbus-tcp", "host": "10.0.0.5")") << u"meter.model"_s
                                       << u"is required"_s;
    QTest::newRow("model unknown") << meter(R"("type": "modbus-tcp", "model": "sdm630", "host": "10.0.0.5")")
                                   << u"meter.model"_s << u"\"eastron-sdm630\", \"eastron-sdm72\""_s;
    QTest::newRow("host without meter") << meter(R"("type": "none", "host": "10.0.0.5")") << u"meter.host"_s
                                        << u"applies to a meter only; \"type\" is \"none\""_s;
    QTest::newRow("keys without type") << meter(R"("model": "eastron-sdm630")") << u"meter.model"_s
                                       << u"applies to a meter only"_s;
    QTest::newRow("serialPort on tcp") << tcpMeter(R"("serialPort": "/dev/ttyS0")") << u"meter.serialPort"_s
                                       << u"applies to type \"modbus-rtu\" only"_s;
    QTest::newRow("port on rtu") << rtuMeter(R"("port": 502)") << u"meter.port"_s
                                 << u"applies to type \"modbus-tcp\" only"_s;
    QTest::newRow("host invalid") << meter(R"("type": "modbus-tcp", "model": "eastron-sdm630", "host": "my meter")")
                                  << u"meter.host"_s << u"must be an IP address or a host name"_s;
    QTest::newRow("meter port zero") << tcpMeter(R"("port": 0)") << u"meter.port"_s << integer.arg(1).arg(65535);
    QTest::newRow("unitId zero") << tcpMeter(R"("unitId": 0)") << u"meter.unitId"_s << integer.arg(1).arg(247);
    QTest::newRow("unitId 248") << rtuMeter(R"("unitId": 248)") << u"meter.unitId"_s << integer.arg(1).arg(247);
    QTest::newRow("baudRate 300") << rtuMeter(R"("baudRate": 300)") << u"meter.baudRate"_s
                                  << integer.arg(1200).arg(115200);
    QTest::newRow("parity mark") << rtuMeter(R"("parity": "mark")") << u"meter.parity"_s
                                 << u"must be one of \"none\", \"even\", \"odd\""_s;
    QTest::newRow("dataBits 9") << rtuMeter(R"("dataBits": 9)") << u"meter.dataBits"_s << integer.arg(7).arg(8);
    QTest::newRow("stopBits 3") << rtuMeter(R"("stopBits": 3)") << u"meter.stopBits"_s << integer.arg(1).arg(2);
    QTest::newRow("pollInterval small") << tcpMeter(R"("pollIntervalSeconds": 0.1)") << u"meter.pollIntervalSeconds"_s
                                        << u"must be a number from 0.2 to 60"_s;
    QTest::newRow("staleAfterPolls zero")
        << tcpMeter(R"("staleAfterPolls": 0)") << u"meter.staleAfterPolls"_s << integer.arg(1).arg(100);
    QTest::newRow("baseAddress not SunSpec") << tcpMeter(R"("baseAddress": 40069)") << u"meter.baseAddress"_s
                                             << u"applies to model \"sunspec-meter\" only"_s;
    QTest::newRow("baseAddress too high")
        << meter(R"("type": "modbus-tcp", "model": "sunspec-meter", "host": "10.0.0.5", "baseAddress": 65500)")
        << u"meter.baseAddress"_s << u"must be an integer from 0 to 65"_s;
    QTest::newRow("custom without map") << meter(R"("type": "modbus-tcp", "model": "custom", "host": "10.0.0.5")")
                                        << u"meter.registerMap"_s << u"is required (for model \"custom\")"_s;
    QTest::newRow("map with built-in model")
        << tcpMeter(R"("registerMap": {})") << u"meter.registerMap"_s << u"applies to model \"custom\" only"_s;
    QTest::newRow("map invalid") << meter(R"("type": "modbus-tcp", "model": "custom", "host": "10.0.0.5",
                    "registerMap": {"values": {"currentL2": {"address": 0, "type": "float64", "unit": "A"}}})")
                                 << u"meter.registerMap"_s << u"values.currentL2.type: unknown type \"float64\""_s;
    QTest::newRow("map not object") << meter(
        R"("type": "modbus-tcp", "model": "custom", "host": "10.0.0.5", "registerMap": "sdm630.json")")
                                    << u"meter.registerMap"_s << u"must be an object"_s;
    QTest::newRow("meter key typo") << tcpMeter(R"("pollInterval": 1)") << u"meter.pollInterval"_s
                                    << u"unknown key (did you mean \"pollIntervalSeconds\"?)"_s;
}

void addBalancingRows()
{
    const QString boolean = u"must be true or false"_s;
    const QString number = u"must be a number from %1 to %2"_s;
    const QString b = u"chargePoints[0].balancing."_s;
    const QString permutation = u"must be a permutation of \"L1\", \"L2\", \"L3\""_s;

    QTest::newRow("balancing not object") << doc(R"("chargePoints": [{"id": "A", "balancing": true}])")
                                          << u"chargePoints[0].balancing"_s << u"must be an object"_s;
    QTest::newRow("enabled text") << balancing(R"("enabled": "yes")") << b + u"enabled"_s << boolean;
    QTest::newRow("group unknown") << balancing(R"("group": "carport")") << b + u"group"_s
                                   << u"no group \"carport\" in site.groups"_s;
    QTest::newRow("priority fraction") << balancing(R"("priority": 1.5)") << b + u"priority"_s
                                       << u"must be an integer from -1000 to 1000"_s;
    QTest::newRow("kind ac2") << balancing(R"("kind": "ac2")") << b + u"kind"_s
                              << u"must be one of \"ac3\", \"ac1\", \"dc\""_s;
    QTest::newRow("rotation repeats a phase")
        << balancing(R"("phaseRotation": ["L1", "L1", "L2"])") << b + u"phaseRotation"_s << permutation;
    QTest::newRow("rotation two phases") << balancing(R"("phaseRotation": ["L1", "L2"])") << b + u"phaseRotation"_s
                                         << permutation;
    QTest::newRow("rotation neutral") << balancing(R"("phaseRotation": ["L1", "L2", "N"])") << b + u"phaseRotation"_s
                                      << permutation;
    QTest::newRow("rotation text") << balancing(R"("phaseRotation": "L1L2L3")") << b + u"phaseRotation"_s
                                   << permutation;
    QTest::newRow("ac1 rotation three phases")
        << balancing(R"("kind": "ac1", "phaseRotation": ["L1", "L2", "L3"])") << b + u"phaseRotation"_s
        << u"must name the one site phase of an \"ac1\" charger"_s;
    QTest::newRow("minCurrentA 5") << balancing(R"("minCurrentA": 5)") << b + u"minCurrentA"_s << number.arg(6).arg(80);
    QTest::newRow("maxCurrentA 81") << balancing(R"("maxCurrentA": 81)") << b + u"maxCurrentA"_s
                                    << number.arg(6).arg(80);
    QTest::newRow("current min above max")
        << balancing(R"("minCurrentA": 16, "maxCurrentA": 10)") << b + u"maxCurrentA"_s
        << u"must be at least chargePoints[0].balancing.minCurrentA (16)"_s;
    QTest::newRow("dc without minPowerKw")
        << balancing(R"("kind": "dc", "maxPowerKw": 50)") << b + u"minPowerKw"_s << u"is required (for kind \"dc\")"_s;
    QTest::newRow("dc with current") << balancing(
        R"("kind": "dc", "minPowerKw": 5, "maxPowerKw": 50, "maxCurrentA": 32)")
                                     << b + u"maxCurrentA"_s << u"applies to AC chargers only"_s;
    QTest::newRow("ac with power") << balancing(R"("maxPowerKw": 22)") << b + u"maxPowerKw"_s
                                   << u"applies to kind \"dc\" only"_s;
    QTest::newRow("power min above max") << balancing(R"("kind": "dc", "minPowerKw": 60, "maxPowerKw": 50)")
                                         << b + u"maxPowerKw"_s
                                         << u"must be at least chargePoints[0].balancing.minPowerKw (60)"_s;
    QTest::newRow("maxPowerKw zero") << balancing(R"("kind": "dc", "minPowerKw": 0, "maxPowerKw": 0)")
                                     << b + u"maxPowerKw"_s << number.arg(1).arg(1000);
    QTest::newRow("fallback on ac1") << balancing(R"("kind": "ac1", "onePhaseFallback": true)")
                                     << b + u"onePhaseFallback"_s << u"applies to kind \"ac3\" only"_s;
    QTest::newRow("fallback text") << balancing(R"("onePhaseFallback": "no")") << b + u"onePhaseFallback"_s << boolean;
    QTest::newRow("followsProfiles number")
        << balancing(R"("followsProfiles": 0)") << b + u"followsProfiles"_s << boolean;
    QTest::newRow("profilePurpose TxProfile2")
        << balancing(R"("profilePurpose": "TxProfile2")") << b + u"profilePurpose"_s
        << u"must be one of \"ChargePointMaxProfile\", \"TxDefaultProfile\", \"TxProfile\""_s;
    QTest::newRow("rateUnit kW") << balancing(R"("rateUnit": "kW")") << b + u"rateUnit"_s
                                 << u"must be one of \"A\", \"W\""_s;
    QTest::newRow("balancing key typo") << balancing(R"("priorty": 1)") << b + u"priorty"_s
                                        << u"unknown key (did you mean \"priority\"?)"_s;
}

} // namespace

void addSiteConfigRows()
{
    addSiteRows();
    addMeterRows();
    addBalancingRows();
}

} // namespace configtest
