#pragma once

#include <vector>

namespace linkray::balancer {

// Internal to the balancer: max-min fair sharing of linear capacities, the core of allocate().

// Free capacity per limit (one per site or group phase, one per power limit), in the limit's own unit.
using Capacities = std::vector<double>;

struct Load {
    int capacity; // index into Capacities
    double weight; // capacity used per A per phase of the flow's level
};

// A connector as the sharing sees it: a level in A per phase between a floor and a cap.
struct Flow {
    std::vector<Load> loads;
    double floor = 0.0;
    double cap = 0.0;
    double level = 0.0;
    bool stoppedByCap = false; // set by fillFairly(): the cap, not a shared limit, stopped it
};

// Whether every capacity the flow loads still has room for it at this level.
bool fits(const Capacities& capacities, const Flow& flow, double level);

// Takes the flow's use at this level from its capacities.
void take(Capacities& capacities, const Flow& flow, double level);

// Water-filling: raises the flows together from their floors, each stopping at its cap or when a capacity it
// loads runs out, and takes what it gives. The floors must already be taken (the flows were admitted).
void fillFairly(Capacities& capacities, const std::vector<Flow*>& flows);

} // namespace linkray::balancer
