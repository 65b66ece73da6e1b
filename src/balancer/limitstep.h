#pragma once

#include <QtGlobal>

#include <optional>

namespace linkray::balancer {

// The limit a whole charge point is held to, in its rate unit, and the phases it may use (AC).
struct ChargePointLimit {
    double limit = 0.0;
    int numberPhases = 3;

    friend bool operator==(const ChargePointLimit& a, const ChargePointLimit& b)
    {
        return a.limit == b.limit && a.numberPhases == b.numberPhases;
    }
    friend bool operator!=(const ChargePointLimit& a, const ChargePointLimit& b) { return !(a == b); }
};

// How a charge point's limit may move towards the allocation (docs/balancing.md, "Control loop and fail-safe").
struct StepRules {
    double hysteresis = 1.0; // an increase smaller than this is not worth a profile
    double epsilon = 0.05; // a smaller decrease is rounding, not a decrease
    double rampStep = 4.0; // at most this much more per step
    double startMinimum = 6.0; // a limit raised from below this goes at least to this (the pilot's minimum)
    qint64 increaseDelayMs = 20000; // the allocation must stay higher this long before the first step
    qint64 rampIntervalMs = 10000; // between two steps of one increase
};

// Where one charge point's increase stands; kept between calls, reset by a decrease or an increase that vanished.
struct RampState {
    std::optional<qint64> higherSinceMs;
    std::optional<qint64> lastStepMs;
};

// Whether `next` takes power away from `current`: fewer phases, or a lower limit on as many.
bool isDecrease(const StepRules& rules, const ChargePointLimit& current, const ChargePointLimit& next);

// The limit to hold a charge point to now, given the one in force (none: unknown, e.g. cleared) and the allocation's
// target: decreases at once, increases after a delay and in steps, small increases not at all.
ChargePointLimit nextLimit(const StepRules& rules, const std::optional<ChargePointLimit>& current,
    const ChargePointLimit& target, qint64 nowMs, RampState& ramp);

} // namespace linkray::balancer
