#include "scenarioreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <initializer_list>

using namespace linkray::balancer;

namespace {

// Reads JSON values by key and keeps the first error with its key path, so a broken file says where it is broken.
class Reader {
public:
    QString error;

    void fail(const QString& path, const QString& reason)
    {
        if (error.isEmpty())
            error = path + QStringLiteral(": ") + reason;
    }

    // Unknown keys are errors: a misspelt key would otherwise be a default that silently changes the scenario.
    void allowOnly(const QJsonObject& object, const QString& path, std::initializer_list<const char*> keys)
    {
        for (const QString& key : object.keys()) {
            if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == QLatin1String(k); }))
                fail(path + QLatin1Char('.') + key, QStringLiteral("unknown key"));
        }
    }

    QJsonObject object(const QJsonValue& value, const QString& path)
    {
        if (!value.isObject())
            fail(path, QStringLiteral("expected an object"));
        return value.toObject();
    }

    QJsonArray array(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (!value.isArray() && !value.isUndefined())
            fail(at(path, key), QStringLiteral("expected an array"));
        return value.toArray();
    }

    std::optional<double> number(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isDouble())
            fail(at(path, key), QStringLiteral("expected a number"));
        return value.toDouble();
    }

    std::optional<bool> boolean(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isBool())
            fail(at(path, key), QStringLiteral("expected true or false"));
        return value.toBool();
    }

    std::optional<QString> string(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isString())
            fail(at(path, key), QStringLiteral("expected a string"));
        return value.toString();
    }

    std::optional<PhaseValues> phases(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (value.isUndefined())
            return std::nullopt;
        const QJsonArray list = value.toArray();
        if (list.size() != 3
            || !std::all_of(list.begin(), list.end(), [](const QJsonValue& v) { return v.isDouble(); })) {
            fail(at(path, key), QStringLiteral("expected three numbers (L1, L2, L3)"));
            return std::nullopt;
        }
        return PhaseValues {list[0].toDouble(), list[1].toDouble(), list[2].toDouble()};
    }

    // Like phases(), where null is a phase the meter does not measure.
    std::optional<MeteredPhaseValues> meteredPhases(const QJsonObject& parent, const QString& path, const char* key)
    {
        const QJsonValue value = parent.value(QLatin1String(key));
        if (value.isUndefined())
            return std::nullopt;
        const QJsonArray list = value.toArray();
        if (list.size() != 3
            || !std::all_of(list.begin(), list.end(), [](const QJsonValue& v) { return v.isDouble() || v.isNull(); })) {
            fail(at(path, key), QStringLiteral("expected three numbers or nulls (L1, L2, L3)"));
            return std::nullopt;
        }
        MeteredPhaseValues values;
        for (qsizetype phase = 0; phase < 3; ++phase) {
            if (list[phase].isDouble())
                values[static_cast<size_t>(phase)] = list[phase].toDouble();
        }
        return values;
    }

    std::optional<QDateTime> time(const QJsonObject& parent, const QString& path, const char* key)
    {
        const std::optional<QString> text = string(parent, path, key);
        if (!text)
            return std::nullopt;
        const QDateTime parsed = QDateTime::fromString(*text, Qt::ISODate);
        if (!parsed.isValid())
            fail(at(path, key), QStringLiteral("expected an ISO 8601 time"));
        return parsed;
    }

    ConnectorId connectorId(const QString& text, const QString& path)
    {
        const qsizetype slash = text.lastIndexOf(QLatin1Char('/'));
        bool ok = false;
        const int connector = slash > 0 ? text.mid(slash + 1).toInt(&ok) : 0;
        if (!ok)
            fail(path, QStringLiteral("expected <chargePointId>/<connectorId>, got \"%1\"").arg(text));
        return {text.left(slash), connector};
    }

    static QString at(const QString& path, const char* key) { return path + QLatin1Char('.') + QLatin1String(key); }
};

std::optional<Phase> phaseNamed(const QString& name)
{
    const QStringList names {QStringLiteral("L1"), QStringLiteral("L2"), QStringLiteral("L3")};
    const qsizetype index = names.indexOf(name);
    return index < 0 ? std::nullopt : std::optional<Phase>(static_cast<Phase>(index));
}

ChargerConfig readCharger(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
        {"id", "group", "priority", "kind", "minA", "maxA", "minW", "maxW", "rotation", "balancing", "followsProfiles",
            "onePhaseFallback"});
    ChargerConfig charger;
    charger.id = r.connectorId(r.string(o, path, "id").value_or(QString()), Reader::at(path, "id"));
    charger.groupId = r.string(o, path, "group");
    charger.priority = static_cast<int>(r.number(o, path, "priority").value_or(0));
    const QString kind = r.string(o, path, "kind").value_or(QStringLiteral("ac3"));
    if (kind == QLatin1String("ac1"))
        charger.kind = ChargerKind::Ac1Phase;
    else if (kind == QLatin1String("dc"))
        charger.kind = ChargerKind::Dc;
    else if (kind != QLatin1String("ac3"))
        r.fail(Reader::at(path, "kind"), QStringLiteral("expected ac1, ac3 or dc"));
    charger.minCurrentA = r.number(o, path, "minA").value_or(charger.minCurrentA);
    charger.maxCurrentA = r.number(o, path, "maxA").value_or(charger.maxCurrentA);
    charger.minPowerW = r.number(o, path, "minW").value_or(charger.minPowerW);
    charger.maxPowerW = r.number(o, path, "maxW").value_or(charger.maxPowerW);
    const QJsonArray rotation = r.array(o, path, "rotation");
    for (qsizetype i = 0; i < rotation.size() && i < 3; ++i) {
        const std::optional<Phase> phase = phaseNamed(rotation[i].toString());
        if (!phase)
            r.fail(Reader::at(path, "rotation"), QStringLiteral("expected phases L1, L2 or L3"));
        charger.phaseRotation[static_cast<size_t>(i)] = phase.value_or(Phase::L1);
    }
    charger.balancingEnabled = r.boolean(o, path, "balancing").value_or(true);
    charger.followsProfiles = r.boolean(o, path, "followsProfiles").value_or(true);
    charger.onePhaseFallback = r.boolean(o, path, "onePhaseFallback").value_or(false);
    return charger;
}

SiteModel readSite(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
        {"gridLimitA", "powerLimitW", "safetyMarginA", "nominalVoltageV", "failSafeLimitA", "lending", "groups",
            "chargers"});
    SiteModel site;
    site.gridLimitA = r.phases(o, path, "gridLimitA").value_or(PhaseValues {});
    site.powerLimitW = r.number(o, path, "powerLimitW");
    site.safetyMarginA = r.number(o, path, "safetyMarginA").value_or(0.0);
    site.nominalVoltageV = r.number(o, path, "nominalVoltageV").value_or(site.nominalVoltageV);
    site.failSafeLimitA = r.phases(o, path, "failSafeLimitA").value_or(PhaseValues {});
    if (o.contains(QLatin1String("lending"))) {
        const QString lendingPath = Reader::at(path, "lending");
        const QJsonObject lending = r.object(o.value(QLatin1String("lending")), lendingPath);
        r.allowOnly(lending, lendingPath, {"belowLimitA", "afterS", "headroomA"});
        site.lending.belowLimitA = r.number(lending, lendingPath, "belowLimitA").value_or(site.lending.belowLimitA);
        site.lending.afterS = static_cast<qint64>(r.number(lending, lendingPath, "afterS").value_or(60));
        site.lending.headroomA = r.number(lending, lendingPath, "headroomA").value_or(site.lending.headroomA);
    }
    const QJsonArray groups = r.array(o, path, "groups");
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const QString groupPath = QStringLiteral("%1.groups[%2]").arg(path).arg(i);
        const QJsonObject g = r.object(groups[i], groupPath);
        r.allowOnly(g, groupPath, {"id", "parent", "limitA", "powerLimitW"});
        site.groups.push_back({r.string(g, groupPath, "id").value_or(QString()), r.string(g, groupPath, "parent"),
            r.phases(g, groupPath, "limitA").value_or(PhaseValues {}), r.number(g, groupPath, "powerLimitW")});
    }
    const QJsonArray chargers = r.array(o, path, "chargers");
    for (qsizetype i = 0; i < chargers.size(); ++i) {
        const QString chargerPath = QStringLiteral("%1.chargers[%2]").arg(path).arg(i);
        site.chargers.push_back(readCharger(r, r.object(chargers[i], chargerPath), chargerPath));
    }
    return site;
}

ConnectorState readConnectorState(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
        {"id", "wantsPower", "measuredA", "measuredW", "appliedLimit", "appliedNumberPhases", "pausedSince",
            "chargingSince", "belowLimitSince"});
    ConnectorState state;
    state.id = r.connectorId(r.string(o, path, "id").value_or(QString()), Reader::at(path, "id"));
    state.wantsPower = r.boolean(o, path, "wantsPower").value_or(true);
    state.measuredA = r.phases(o, path, "measuredA");
    state.measuredPowerW = r.number(o, path, "measuredW");
    state.appliedLimit = r.number(o, path, "appliedLimit");
    state.appliedNumberPhases = static_cast<int>(r.number(o, path, "appliedNumberPhases").value_or(3));
    state.pausedSince = r.time(o, path, "pausedSince");
    state.chargingSince = r.time(o, path, "chargingSince");
    state.belowLimitSince = r.time(o, path, "belowLimitSince");
    return state;
}

void readExpectation(Reader& r, const QJsonObject& o, const QString& path, ScenarioStep& step)
{
    r.allowOnly(o, path, {"failSafe", "roomA", "connectors"});
    step.failSafe = r.boolean(o, path, "failSafe");
    step.roomA = r.phases(o, path, "roomA");
    const QString connectorsPath = Reader::at(path, "connectors");
    const QJsonObject connectors = r.object(o.value(QLatin1String("connectors")), connectorsPath);
    for (auto it = connectors.begin(); it != connectors.end(); ++it) {
        const QString itemPath = connectorsPath + QLatin1Char('.') + it.key();
        const QJsonObject e = r.object(it.value(), itemPath);
        r.allowOnly(e, itemPath, {"limit", "numberPhases", "paused", "reason"});
        ExpectedConnector expected;
        expected.id = r.connectorId(it.key(), itemPath);
        expected.limit = r.number(e, itemPath, "limit");
        if (const std::optional<double> phases = r.number(e, itemPath, "numberPhases"))
            expected.numberPhases = static_cast<int>(*phases);
        expected.paused = r.boolean(e, itemPath, "paused");
        expected.reason = r.string(e, itemPath, "reason");
        step.expected.push_back(expected);
    }
}

ScenarioStep readStep(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
        {"name", "now", "siteCurrentA", "meterStale", "dynamicLimit", "rotationIntervalS", "connectors", "expect"});
    ScenarioStep step;
    step.name = r.string(o, path, "name").value_or(path);
    const std::optional<QDateTime> now = r.time(o, path, "now");
    if (!now)
        r.fail(Reader::at(path, "now"), QStringLiteral("missing"));
    step.input.now = now.value_or(QDateTime());
    if (const std::optional<MeteredPhaseValues> metered = r.meteredPhases(o, path, "siteCurrentA")) {
        PhaseValues siteCurrentA {};
        for (size_t phase = 0; phase < 3; ++phase) {
            siteCurrentA[phase] = (*metered)[phase].value_or(0.0);
            step.input.unmeasuredPhases[phase] = !(*metered)[phase];
        }
        step.input.siteCurrentA = siteCurrentA;
    }
    step.input.meterStale = r.boolean(o, path, "meterStale").value_or(false);
    step.input.rotationIntervalS = static_cast<qint64>(r.number(o, path, "rotationIntervalS").value_or(900));
    if (o.contains(QLatin1String("dynamicLimit"))) {
        const QString dynamicPath = Reader::at(path, "dynamicLimit");
        const QJsonObject dynamic = r.object(o.value(QLatin1String("dynamicLimit")), dynamicPath);
        r.allowOnly(dynamic, dynamicPath, {"limitA", "powerLimitW", "expiresAt"});
        step.input.dynamicLimit = DynamicLimit {r.phases(dynamic, dynamicPath, "limitA").value_or(PhaseValues {}),
            r.number(dynamic, dynamicPath, "powerLimitW"),
            r.time(dynamic, dynamicPath, "expiresAt").value_or(QDateTime())};
    }
    const QJsonArray connectors = r.array(o, path, "connectors");
    for (qsizetype i = 0; i < connectors.size(); ++i) {
        const QString itemPath = QStringLiteral("%1.connectors[%2]").arg(path).arg(i);
        step.input.connectors.push_back(readConnectorState(r, r.object(connectors[i], itemPath), itemPath));
    }
    readExpectation(
        r, r.object(o.value(QLatin1String("expect")), Reader::at(path, "expect")), Reader::at(path, "expect"), step);
    return step;
}

} // namespace

std::optional<Scenario> readScenario(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        *error
            = QStringLiteral("not a JSON object: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    Reader r;
    const QJsonObject root = document.object();
    r.allowOnly(root, QStringLiteral("$"), {"description", "site", "steps"});
    Scenario scenario;
    scenario.description = r.string(root, QStringLiteral("$"), "description").value_or(QString());
    scenario.site
        = readSite(r, r.object(root.value(QLatin1String("site")), QStringLiteral("$.site")), QStringLiteral("$.site"));
    const QJsonArray steps = r.array(root, QStringLiteral("$"), "steps");
    if (steps.isEmpty())
        r.fail(QStringLiteral("$.steps"), QStringLiteral("expected at least one step"));
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString stepPath = QStringLiteral("$.steps[%1]").arg(i);
        scenario.steps.push_back(readStep(r, r.object(steps[i], stepPath), stepPath));
    }
    if (!r.error.isEmpty()) {
        *error = r.error;
        return std::nullopt;
    }
    return scenario;
}
