#include "app/configsections.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

// The site section and each charge point's balancing settings, in the order docs/configuration.md gives them.
namespace linkray::app {

namespace {

constexpr double MaxPhaseLimitA = 10000;
constexpr double MaxPowerKw = 100000;

double lowest(const PhaseCurrents& values)
{
    return *std::min_element(values.begin(), values.end());
}

// The margin is kept free below every per-phase limit, so a limit at or below it leaves no room at all.
void readPhaseLimit(FieldReader& r, PhaseCurrents& limit, double safetyMarginA)
{
    if (r.phaseValues("phaseLimitA"_L1, limit, 1, MaxPhaseLimitA) && r.has("phaseLimitA"_L1)
        && lowest(limit) <= safetyMarginA)
        r.error("phaseLimitA"_L1,
            u"must be more than site.safetyMarginA (%1), which is kept free below every limit"_s.arg(safetyMarginA));
}

SiteGroupConfig readGroup(FieldReader& r, double safetyMarginA, QHash<QString, QString>& ids)
{
    SiteGroupConfig group;
    r.require("id"_L1);
    if (r.text("id"_L1, group.id, 1, 48) && !group.id.isEmpty())
        r.unique("id"_L1, group.id, ids);
    r.text("parent"_L1, group.parent, 1, 48);
    r.require("phaseLimitA"_L1);
    readPhaseLimit(r, group.phaseLimitA, safetyMarginA);
    r.number("powerLimitKw"_L1, group.powerLimitKw, 1, MaxPowerKw);
    return group;
}

qsizetype indexOfGroup(const QList<SiteGroupConfig>& groups, const QString& id)
{
    const auto found
        = std::find_if(groups.begin(), groups.end(), [&](const SiteGroupConfig& group) { return group.id == id; });
    return found == groups.end() ? -1 : found - groups.begin();
}

// Every parent must exist, and following parents must end at the grid connection. Each cycle is reported once,
// at its first group in the file, with the whole loop.
void checkGroupParents(FieldReader& r, const QList<SiteGroupConfig>& groups)
{
    const auto parentPath = [](qsizetype index) { return u"groups[%1].parent"_s.arg(index); };
    QList<qsizetype> parents;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const QString& parent = groups[i].parent;
        parents.append(parent.isEmpty() ? -1 : indexOfGroup(groups, parent));
        if (!parent.isEmpty() && parents.last() < 0)
            r.errorAt(parentPath(i), u"no group \"%1\" in site.groups"_s.arg(parent));
    }

    enum class Visit { No, OnChain, Done };
    QList<Visit> visits(groups.size(), Visit::No);
    for (qsizetype start = 0; start < groups.size(); ++start) {
        QList<qsizetype> chain;
        qsizetype at = start;
        while (at >= 0 && visits[at] == Visit::No) {
            visits[at] = Visit::OnChain;
            chain.append(at);
            at = parents[at];
        }
        if (at >= 0 && visits[at] == Visit::OnChain) {
            const QList<qsizetype> loop = chain.mid(chain.indexOf(at));
            QStringList ids;
            for (const qsizetype member : loop)
                ids.append(u'"' + groups[member].id + u'"');
            ids.append(ids.first());
            r.errorAt(parentPath(*std::min_element(loop.begin(), loop.end())),
                u"the groups form a cycle: %1"_s.arg(ids.join(u" → "_s)));
        }
        for (const qsizetype member : chain)
            visits[member] = Visit::Done;
    }
}

void readControl(FieldReader& r, ControlConfig& control)
{
    r.number("hysteresisA"_L1, control.hysteresisA, 0, 32);
    r.number("hysteresisW"_L1, control.hysteresisW, 0, 50000);
    r.integer("increaseDelaySeconds"_L1, control.increaseDelaySeconds, 0, 3600);
    r.number("rampStepA"_L1, control.rampStepA, 0.1, 80);
    r.integer("failSafeAfterSeconds"_L1, control.failSafeAfterSeconds, 60, 86400);
    // Room above it: a TxProfile per connector takes profileId + connector − 1.
    r.integer("profileId"_L1, control.profileId, 1, 2000000000);
    r.integer("stackLevel"_L1, control.stackLevel, 0, 100);
}

// A rotation names the site phase of each charger phase, so it is a permutation of the kind's phase count.
void readPhaseRotation(FieldReader& r, BalancingConfig& balancing, bool kindValid)
{
    const bool onePhase = balancing.kind == ChargerKind::Ac1Phase;
    if (onePhase)
        balancing.phaseRotation = {Phase::L1};
    const QJsonValue json = r.value("phaseRotation"_L1);
    if (json.isUndefined() || !kindValid)
        return;
    const QJsonArray items = json.toArray();
    QList<Phase> rotation;
    for (const QJsonValue item : items) {
        const auto choice = std::find_if(PhaseChoices.begin(), PhaseChoices.end(),
            [&](const Choice<Phase>& phase) { return item.toString() == phase.name; });
        if (choice != PhaseChoices.end() && !rotation.contains(choice->value))
            rotation.append(choice->value);
    }
    const qsizetype phases = onePhase ? 1 : 3;
    if (json.isArray() && items.size() == phases && rotation.size() == phases)
        balancing.phaseRotation = rotation;
    else if (onePhase)
        r.error("phaseRotation"_L1,
            u"must name the one site phase of an \"ac1\" charger: [\"L1\"], [\"L2\"] or [\"L3\"]"_s);
    else
        r.error("phaseRotation"_L1,
            u"must be a permutation of \"L1\", \"L2\", \"L3\": the site phase of charger phase L1, L2, L3,"
            " e.g. [\"L2\", \"L3\", \"L1\"]"_s);
}

// Records min > max at the max key, once both were read.
void checkOrder(FieldReader& r, QLatin1String minKey, double min, QLatin1String maxKey, double max)
{
    if (min > max)
        r.error(maxKey, u"must be at least %1 (%2)"_s.arg(r.pathOf(minKey)).arg(min));
}

} // namespace

void readSite(FieldReader& r, SiteConfig& site)
{
    const bool marginValid = r.number("safetyMarginA"_L1, site.safetyMarginA, 0, 100);
    const double margin = marginValid ? site.safetyMarginA : 0;
    readPhaseLimit(r, site.phaseLimitA, margin);
    r.number("powerLimitKw"_L1, site.powerLimitKw, 1, MaxPowerKw);
    r.number("failSafeLimitA"_L1, site.failSafeLimitA, 0, MaxPhaseLimitA);
    r.number("voltage"_L1, site.voltage, 100, 300);
    r.integer("rotationIntervalMinutes"_L1, site.rotationIntervalMinutes, 1, 1440);
    QHash<QString, QString> groupIds;
    r.objects("groups"_L1, [&](FieldReader& item) { site.groups.append(readGroup(item, margin, groupIds)); });
    checkGroupParents(r, site.groups);
    r.object("control"_L1, [&](FieldReader& control) { readControl(control, site.control); });
}

void readBalancing(FieldReader& r, BalancingConfig& balancing, const SiteConfig& site)
{
    r.boolean("enabled"_L1, balancing.enabled);
    if (r.text("group"_L1, balancing.group, 1, 48) && !balancing.group.isEmpty()
        && indexOfGroup(site.groups, balancing.group) < 0)
        r.error("group"_L1, u"no group \"%1\" in site.groups"_s.arg(balancing.group));
    r.integer("priority"_L1, balancing.priority, -1000, 1000);
    const bool kindValid = r.choice("kind"_L1, balancing.kind, ChargerKindChoices);
    readPhaseRotation(r, balancing, kindValid);

    // With an invalid kind every key is read, so that only the kind is reported.
    const bool ac = !kindValid || balancing.kind != ChargerKind::Dc;
    const bool dc = !kindValid || balancing.kind == ChargerKind::Dc;
    const QString acOnly = u"applies to AC chargers only; a \"dc\" charger is limited in power"
                           " (minPowerKw, maxPowerKw)"_s;
    const QString dcOnly = u"applies to kind \"dc\" only; an AC charger is limited in current"
                           " (minCurrentA, maxCurrentA)"_s;
    const bool minCurrentRead
        = r.allowedIf("minCurrentA"_L1, ac, acOnly) && r.number("minCurrentA"_L1, balancing.minCurrentA, 6, 80);
    const bool maxCurrentRead
        = r.allowedIf("maxCurrentA"_L1, ac, acOnly) && r.number("maxCurrentA"_L1, balancing.maxCurrentA, 6, 80);
    if (minCurrentRead && maxCurrentRead)
        checkOrder(r, "minCurrentA"_L1, balancing.minCurrentA, "maxCurrentA"_L1, balancing.maxCurrentA);
    if (kindValid && dc) {
        r.require("minPowerKw"_L1, u"for kind \"dc\""_s);
        r.require("maxPowerKw"_L1, u"for kind \"dc\""_s);
    }
    const bool minPowerRead
        = r.allowedIf("minPowerKw"_L1, dc, dcOnly) && r.number("minPowerKw"_L1, balancing.minPowerKw, 0, 1000);
    const bool maxPowerRead
        = r.allowedIf("maxPowerKw"_L1, dc, dcOnly) && r.number("maxPowerKw"_L1, balancing.maxPowerKw, 1, 1000);
    if (minPowerRead && maxPowerRead && balancing.minPowerKw && balancing.maxPowerKw)
        checkOrder(r, "minPowerKw"_L1, *balancing.minPowerKw, "maxPowerKw"_L1, *balancing.maxPowerKw);
    if (r.allowedIf("onePhaseFallback"_L1, !kindValid || balancing.kind == ChargerKind::Ac3Phase,
            u"applies to kind \"ac3\" only: it switches a 3-phase charger to one phase instead of pausing it"_s))
        r.boolean("onePhaseFallback"_L1, balancing.onePhaseFallback);
    r.boolean("followsProfiles"_L1, balancing.followsProfiles);
    r.choice("profilePurpose"_L1, balancing.profilePurpose, ProfilePurposeChoices);
    ChargingRateUnit rateUnit {};
    if (r.has("rateUnit"_L1) && r.choice("rateUnit"_L1, rateUnit, ChargingRateUnitChoices))
        balancing.rateUnit = rateUnit;
}

} // namespace linkray::app
