#pragma once

#include "balancer/allocation.h"

#include <QRandomGenerator>

// Generated sites for the property tests and the benchmark, from a seeded generator.
struct RandomSite {
    linkray::balancer::SiteModel site;
    linkray::balancer::AllocationInput input;
    linkray::balancer::PhaseValues houseA {}; // what the meter sees besides the chargers (0 when it shows nothing)
};

// A small site with everything varied: nested groups, kinds, priorities, meter or not, stale, dynamic limits.
RandomSite randomSite(QRandomGenerator& random);

// `chargers` charging connectors in leaf groups of 10, under groups of 3 leaves, under groups of 3: three levels.
RandomSite treeSite(int chargers, QRandomGenerator& random);
