#include "balancer/allocation.h"
#include "scenarioreader.h"

#include <QDir>
#include <QTest>

#include <cmath>

using namespace linkray::balancer;

// Runs every scenario file of tests/balancer/scenarios: adding a case is adding a file.
class TestScenarios : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scenario_data();
    void scenario();
};

namespace {

// Limits are compared to 0.05 (A or W): a scenario states them as a person would compute them.
constexpr double kLimitTolerance = 0.05;

QString describe(const ConnectorAllocation& a)
{
    const QString limit = a.limit ? QString::number(*a.limit, 'f', 2) : QStringLiteral("none");
    return QStringLiteral("%1  limit %2  phases %3%4  (%5)")
        .arg(a.id.toString(), limit)
        .arg(a.numberPhases)
        .arg(a.paused ? QStringLiteral("  paused") : QString(), a.reason);
}

QString describe(const PhaseValues& values)
{
    return QStringLiteral("[%1, %2, %3]").arg(values[0], 0, 'f', 2).arg(values[1], 0, 'f', 2).arg(values[2], 0, 'f', 2);
}

// One line per expected value that differs from the allocation.
QStringList differences(const ScenarioStep& step, const Allocation& actual)
{
    QStringList lines;
    const auto differ = [&](const QString& what, const QString& expected, const QString& got) {
        lines << QStringLiteral("  %1: expected %2, got %3").arg(what, expected, got);
    };
    if (step.failSafe && *step.failSafe != actual.failSafe)
        differ(QStringLiteral("failSafe"), QVariant(*step.failSafe).toString(), QVariant(actual.failSafe).toString());
    if (step.roomA) {
        for (int phase = 0; phase < 3; ++phase) {
            if (std::abs((*step.roomA)[phase] - actual.roomA[phase]) > kLimitTolerance) {
                differ(QStringLiteral("roomA"), describe(*step.roomA), describe(actual.roomA));
                break;
            }
        }
    }
    for (const ExpectedConnector& expected : step.expected) {
        const QString name = expected.id.toString();
        const ConnectorAllocation* got = actual.find(expected.id);
        if (!got) {
            lines << QStringLiteral("  %1: not in the allocation (not a charger of the site?)").arg(name);
            continue;
        }
        const QString gotLimit = got->limit ? QString::number(*got->limit, 'f', 2) : QStringLiteral("none");
        if (expected.limit && (!got->limit || std::abs(*got->limit - *expected.limit) > kLimitTolerance))
            differ(name + QStringLiteral(" limit"), QString::number(*expected.limit, 'f', 2), gotLimit);
        if (expected.numberPhases && *expected.numberPhases != got->numberPhases)
            differ(name + QStringLiteral(" numberPhases"), QString::number(*expected.numberPhases),
                QString::number(got->numberPhases));
        if (expected.paused && *expected.paused != got->paused)
            differ(name + QStringLiteral(" paused"), QVariant(*expected.paused).toString(),
                QVariant(got->paused).toString());
        if (expected.reason && *expected.reason != got->reason)
            differ(name + QStringLiteral(" reason"), *expected.reason, got->reason);
    }
    return lines;
}

} // namespace

void TestScenarios::scenario_data()
{
    QTest::addColumn<QString>("path");
    const QDir directory(QStringLiteral(LINKRAY_BALANCER_SCENARIOS));
    const QStringList files = directory.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(!files.isEmpty(), qPrintable(directory.path()));
    for (const QString& file : files)
        QTest::newRow(qPrintable(file)) << directory.filePath(file);
}

void TestScenarios::scenario()
{
    QFETCH(QString, path);
    QString error;
    const std::optional<Scenario> scenario = readScenario(path, &error);
    QVERIFY2(scenario, qPrintable(error));
    QStringList report;
    for (const ScenarioStep& step : scenario->steps) {
        const Allocation actual = allocate(scenario->site, step.input);
        const QStringList lines = differences(step, actual);
        if (lines.isEmpty())
            continue;
        report << QStringLiteral("step \"%1\":").arg(step.name) << lines << QStringLiteral("  allocation:");
        for (const ConnectorAllocation& connector : actual.connectors)
            report << QStringLiteral("    ") + describe(connector);
        report << QStringLiteral("    room %1, allocated %2").arg(describe(actual.roomA), describe(actual.allocatedA));
    }
    if (!report.isEmpty())
        QFAIL(qPrintable(scenario->description + QLatin1Char('\n') + report.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
