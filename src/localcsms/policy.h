#pragma once

#include "storage/idtagrepository.h"

#include <QString>

#include <functional>
#include <optional>

// How the site's own central system treats chargers and tags it does not know; set from the configuration.
namespace linkray::localcsms {

enum class UnknownChargePoints { Accept, Pending, Reject };
enum class UnknownTags { Reject, Accept };

struct Policy {
    int heartbeatIntervalSeconds = 300;
    int bootRetryIntervalSeconds = 60; // interval sent with Pending / Rejected: when the charger boots again
    UnknownChargePoints unknownChargePoints = UnknownChargePoints::Pending;
    std::function<bool(const QString&)> isKnownChargePoint; // configured charge points; empty: none is known
    UnknownTags unknownTags = UnknownTags::Reject;
    bool pushLocalList = true;
    // Online mode: what the CSMS said about a tag the whitelist does not know (docs/proxy.md); unset = nothing.
    std::function<std::optional<storage::IdTagRecord>(const QString& chargePointId, const QString& idTag)> tagFromCsms;
};

} // namespace linkray::localcsms
