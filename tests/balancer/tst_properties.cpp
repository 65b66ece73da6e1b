#include "balancer/allocation.h"
#include "randomsite.h"

#include <QHash>
#include <QTest>

#include <algorithm>

using namespace linkray::balancer;

// Properties every allocation must have, checked over a few hundred generated sites. The checks recompute the
// site's limits from the model on their own (not with the balancer's internals), as a reviewer would by hand.
class TestProperties : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void properties_data();
    void properties();
};

namespace {

constexpr int kSites = 400;
constexpr double kToleranceA = 1e-6;

// One connector as the checks see it: where it loads the site, at what level (A per phase), within which bounds.
struct Seen {
    const ChargerConfig* charger = nullptr;
    const ConnectorAllocation* allocation = nullptr;
    bool shared = false; // balanced and wanting power: the allocation decided its level
    double level = 0.0;
    double floor = 0.0;
    double cap = 0.0;
    PhaseValues coefficient {}; // site phase use per A of level
    PhaseValues fixedDraw {}; // measured draw of one the allocation does not limit
    std::vector<int> nodes; // 0 = site, g + 1 = group g
};

// A limit: a site or group phase (phase >= 0) or a power limit (phase < 0).
struct Limit {
    int node;
    int phase;
};

class Checker {
public:
    Checker(const RandomSite& generated, const Allocation& allocation)
        : m_site(generated.site)
        , m_generated(generated)
    {
        QHash<QString, int> groupIndex;
        for (size_t g = 0; g < m_site.groups.size(); ++g)
            groupIndex.insert(m_site.groups[g].id, static_cast<int>(g) + 1);
        QHash<QString, const ConnectorState*> states;
        for (const ConnectorState& state : generated.input.connectors)
            states.insert(state.id.toString(), &state);
        const double v = m_site.nominalVoltageV;
        for (size_t i = 0; i < m_site.chargers.size(); ++i) {
            Seen seen;
            seen.charger = &m_site.chargers[i];
            seen.allocation = &allocation.connectors[i];
            const ConnectorState* state = states.value(seen.charger->id.toString());
            const bool dc = seen.charger->kind == ChargerKind::Dc;
            seen.shared = seen.charger->balancingEnabled && seen.charger->followsProfiles && state && state->wantsPower;
            seen.floor = dc ? seen.charger->minPowerW / (3 * v) : seen.charger->minCurrentA;
            seen.cap = dc ? seen.charger->maxPowerW / (3 * v) : seen.charger->maxCurrentA;
            seen.level = seen.allocation->limit.value_or(0.0) / (dc ? 3 * v : 1.0);
            const auto sitePhase
                = [&](int chargerPhase) { return phaseIndex(seen.charger->phaseRotation[chargerPhase]); };
            if (dc) {
                seen.coefficient = {1, 1, 1};
                seen.fixedDraw.fill(state ? state->measuredPowerW.value_or(0.0) / (3 * v) : 0.0);
            } else {
                const bool onePhase = seen.charger->kind == ChargerKind::Ac1Phase || seen.allocation->numberPhases == 1;
                const bool knownPhases = state && state->measuredA && state->appliedNumberPhases == 3
                    && std::any_of(
                        state->measuredA->begin(), state->measuredA->end(), [](double a) { return a > 1.0; });
                for (int p = 0; p < (seen.charger->kind == ChargerKind::Ac1Phase ? 1 : 3); ++p) {
                    const bool loaded = onePhase ? p == 0 : !knownPhases || (*state->measuredA)[p] > 1.0;
                    seen.coefficient[sitePhase(p)] = loaded ? 1.0 : 0.0;
                    seen.fixedDraw[sitePhase(p)] += state && state->measuredA ? (*state->measuredA)[p] : 0.0;
                }
            }
            std::optional<QString> group = seen.charger->groupId;
            while (group) {
                const int node = groupIndex.value(*group);
                seen.nodes.push_back(node);
                group = m_site.groups[node - 1].parentId;
            }
            seen.nodes.push_back(0);
            m_seen.push_back(seen);
        }
    }

    // Room left in a limit after everything the allocation put on it (negative: exceeded).
    double slack(const Limit& limit) const
    {
        const double v = m_site.nominalVoltageV;
        double used = 0.0;
        for (int phase = 0; phase < 3; ++phase) {
            if (limit.phase >= 0 && phase != limit.phase)
                continue;
            used += limit.node == 0 ? m_generated.houseA[phase] : 0.0;
            for (const Seen& seen : m_seen) {
                if (std::find(seen.nodes.begin(), seen.nodes.end(), limit.node) != seen.nodes.end())
                    used += seen.shared ? seen.level * seen.coefficient[phase] : seen.fixedDraw[phase];
            }
        }
        if (limit.phase < 0)
            return powerLimit(limit.node).value_or(0.0) - used * v;
        return phaseLimit(limit.node, limit.phase) - m_site.safetyMarginA - used;
    }

    // What the unlimited load alone leaves: when that is already negative, the allocation can only add nothing.
    double slackWithoutShared(const Limit& limit) const
    {
        double shared = 0.0;
        for (const Seen& seen : m_seen) {
            if (seen.shared && std::find(seen.nodes.begin(), seen.nodes.end(), limit.node) != seen.nodes.end()) {
                for (int phase = 0; phase < 3; ++phase) {
                    if (limit.phase < 0 || phase == limit.phase)
                        shared += seen.level * seen.coefficient[phase];
                }
            }
        }
        return slack(limit) + shared * (limit.phase < 0 ? m_site.nominalVoltageV : 1.0);
    }

    std::vector<Limit> limits() const
    {
        std::vector<Limit> all;
        for (int node = 0; node <= static_cast<int>(m_site.groups.size()); ++node) {
            for (int phase = 0; phase < 3; ++phase)
                all.push_back({node, phase});
            if (powerLimit(node))
                all.push_back({node, -1});
        }
        return all;
    }

    bool loads(const Seen& seen, const Limit& limit) const
    {
        return std::find(seen.nodes.begin(), seen.nodes.end(), limit.node) != seen.nodes.end()
            && (limit.phase < 0 || seen.coefficient[limit.phase] > 0.0);
    }

    const std::vector<Seen>& seen() const { return m_seen; }

private:
    std::optional<double> powerLimit(int node) const
    {
        return node == 0 ? m_site.powerLimitW : m_site.groups[node - 1].powerLimitW;
    }

    double phaseLimit(int node, int phase) const
    {
        if (node > 0)
            return m_site.groups[node - 1].limitA[phase];
        const AllocationInput& input = m_generated.input;
        double limit = m_site.gridLimitA[phase];
        if (input.dynamicLimit && input.now < input.dynamicLimit->expiresAt)
            limit = std::min(limit, input.dynamicLimit->limitA[phase]);
        return input.meterStale ? std::min(limit, m_site.failSafeLimitA[phase]) : limit;
    }

    const SiteModel& m_site;
    const RandomSite& m_generated;
    std::vector<Seen> m_seen;
};

} // namespace

void TestProperties::properties_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= kSites; ++seed)
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
}

void TestProperties::properties()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    const RandomSite generated = randomSite(random);
    const Allocation allocation = allocate(generated.site, generated.input);
    const Checker checker(generated, allocation);
    const double v = generated.site.nominalVoltageV;

    // No limit is exceeded, margin included (unless the unlimited load alone exceeds it: then nothing is added).
    for (const Limit& limit : checker.limits()) {
        const double tolerance = limit.phase < 0 ? kToleranceA * v : kToleranceA;
        const double allowed = std::min(0.0, checker.slackWithoutShared(limit));
        QVERIFY2(checker.slack(limit) >= allowed - tolerance,
            qPrintable(QStringLiteral("node %1 phase %2 exceeded: slack %3")
                           .arg(limit.node)
                           .arg(limit.phase)
                           .arg(checker.slack(limit))));
    }

    for (const Seen& c : checker.seen()) {
        const QString name = c.charger->id.toString();
        // Never 0 < x < minimum, never above the maximum; paused means 0.
        QVERIFY2(c.allocation->paused == (c.shared && c.level <= kToleranceA), qPrintable(name));
        if (c.shared && !c.allocation->paused) {
            QVERIFY2(c.level >= c.floor - kToleranceA, qPrintable(name + QStringLiteral(" below its minimum")));
            QVERIFY2(c.level <= c.cap + kToleranceA, qPrintable(name + QStringLiteral(" above its maximum")));
        }
        if (!c.shared || c.allocation->paused || c.level >= c.cap - kToleranceA)
            continue;
        // Max-min fair: a connector below its maximum is held by a full limit in which nobody of its priority has
        // more (unless at its own minimum) and everybody of lower priority is paused.
        const int priority = c.charger->priority;
        const auto holds = [&](const Limit& limit) {
            const double tolerance = limit.phase < 0 ? 1e-4 * v : 1e-4;
            if (!checker.loads(c, limit) || checker.slack(limit) > tolerance)
                return false;
            for (const Seen& other : checker.seen()) {
                if (!other.shared || !checker.loads(other, limit))
                    continue;
                if (other.charger->priority < priority && !other.allocation->paused)
                    return false;
                if (other.charger->priority == priority && other.level > c.level + 1e-4
                    && other.level > other.floor + 1e-4)
                    return false;
            }
            return true;
        };
        const std::vector<Limit> limits = checker.limits();
        QVERIFY2(std::any_of(limits.begin(), limits.end(), holds),
            qPrintable(name + QStringLiteral(" could get more without taking from anyone with less")));
    }
}

QTEST_GUILESS_MAIN(TestProperties)
#include "tst_properties.moc"
