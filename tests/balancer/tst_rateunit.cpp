#include "balancer/rateunit.h"

#include <QTest>

using namespace linkray::balancer;

Q_DECLARE_METATYPE(RateUnit)
Q_DECLARE_METATYPE(std::optional<RateUnit>)
Q_DECLARE_METATYPE(std::optional<QString>)

// The unit of LinkRay's profiles: configuration, the charger's kind, and its ChargingScheduleAllowedChargingRateUnit.
class TestRateUnit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chosen_data()
    {
        QTest::addColumn<std::optional<RateUnit>>("configured");
        QTest::addColumn<bool>("hasDc");
        QTest::addColumn<std::optional<QString>>("allowed");
        QTest::addColumn<RateUnit>("expected");
        const std::optional<RateUnit> none;
        const auto answer = [](const char* text) { return std::optional<QString>(QLatin1String(text)); };
        QTest::newRow("AC, not asked yet") << none << false << std::optional<QString>() << RateUnit::Amperes;
        QTest::newRow("DC, not asked yet") << none << true << std::optional<QString>() << RateUnit::Watts;
        QTest::newRow("AC that takes Current") << none << false << answer("Current") << RateUnit::Amperes;
        QTest::newRow("AC that takes only Power") << none << false << answer("Power") << RateUnit::Watts;
        QTest::newRow("DC that takes only Current") << none << true << answer("Current") << RateUnit::Amperes;
        QTest::newRow("both: the kind's unit (AC)") << none << false << answer("Current,Power") << RateUnit::Amperes;
        QTest::newRow("both: the kind's unit (DC)") << none << true << answer("Power, Current") << RateUnit::Watts;
        QTest::newRow("spelling varies") << none << false << answer(" power ") << RateUnit::Watts;
        QTest::newRow("empty answer") << none << true << answer("") << RateUnit::Watts;
        QTest::newRow("nonsense answer") << none << false << answer("Amps") << RateUnit::Amperes;
        QTest::newRow("configuration wins over the charger")
            << std::optional(RateUnit::Amperes) << false << answer("Power") << RateUnit::Amperes;
        QTest::newRow("configuration wins over the kind")
            << std::optional(RateUnit::Amperes) << true << std::optional<QString>() << RateUnit::Amperes;
    }
    void chosen()
    {
        QFETCH(std::optional<RateUnit>, configured);
        QFETCH(bool, hasDc);
        QFETCH(std::optional<QString>, allowed);
        QFETCH(RateUnit, expected);
        QCOMPARE(chooseRateUnit(configured, hasDc, allowed), expected);
    }
};

QTEST_GUILESS_MAIN(TestRateUnit)
#include "tst_rateunit.moc"
