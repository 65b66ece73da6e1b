#include "balancer/limitstep.h"

#include <algorithm>

namespace linkray::balancer {

bool isDecrease(const StepRules& rules, const ChargePointLimit& current, const ChargePointLimit& next)
{
    if (next.numberPhases != current.numberPhases)
        return next.numberPhases < current.numberPhases;
    return next.limit < current.limit - rules.epsilon;
}

ChargePointLimit nextLimit(const StepRules& rules, const std::optional<ChargePointLimit>& current,
    const ChargePointLimit& target, qint64 nowMs, RampState& ramp)
{
    // Nothing known in force: the charger may be at full power, so the target is the safe choice.
    if (!current || isDecrease(rules, *current, target)) {
        ramp = {};
        return target;
    }
    const bool morePhases = target.numberPhases > current->numberPhases;
    // The hysteresis gates the start of an increase; once under way it runs to the target.
    const double threshold = ramp.higherSinceMs ? rules.epsilon : rules.hysteresis;
    if (!morePhases && target.limit <= current->limit + threshold) {
        ramp = {};
        return *current;
    }
    if (!ramp.higherSinceMs)
        ramp.higherSinceMs = nowMs;
    if (nowMs - *ramp.higherSinceMs < rules.increaseDelayMs)
        return *current;
    if (ramp.lastStepMs && nowMs - *ramp.lastStepMs < rules.rampIntervalMs)
        return *current;
    ramp.lastStepMs = nowMs;
    // Back to three phases is one step straight to the target: its per-phase limit may even be lower.
    if (morePhases)
        return target;
    const double stepped = std::max(current->limit + rules.rampStep, rules.startMinimum);
    return {std::min(target.limit, stepped), current->numberPhases};
}

} // namespace linkray::balancer
