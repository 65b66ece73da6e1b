#pragma once

#include "balancer/allocation.h"

#include <QString>

#include <optional>
#include <vector>

// Scenario files of tests/balancer/scenarios: a site, then steps of inputs with the allocation expected.
// The format is described in docs/balancing.md. Only the fields a step lists are compared.

struct ExpectedConnector {
    linkray::balancer::ConnectorId id;
    std::optional<double> limit;
    std::optional<int> numberPhases;
    std::optional<bool> paused;
    std::optional<QString> reason;
};

struct ScenarioStep {
    QString name;
    linkray::balancer::AllocationInput input;
    std::vector<ExpectedConnector> expected;
    std::optional<bool> failSafe;
    std::optional<linkray::balancer::PhaseValues> roomA;
};

struct Scenario {
    QString description;
    linkray::balancer::SiteModel site;
    std::vector<ScenarioStep> steps;
};

// Reads a scenario file. On failure returns nothing and sets *error to the key path and the reason.
std::optional<Scenario> readScenario(const QString& path, QString* error);
