#pragma once

#include "storage/database.h"
#include "storage/idtagrepository.h"

#include <optional>

namespace linkray::proxy {

// What the CSMS said about a tag, for authorising during an outage after LinkRay's own whitelist: its last answer
// for the tag (Authorize or StartTransaction), else the local list it pushed to this charger. ConcurrentTx said the
// tag itself is valid, so it becomes Accepted: whether it is busy now is decided locally.
std::optional<storage::IdTagRecord> tagFromCsms(
    storage::Database& database, const QString& chargePointId, const QString& idTag);

} // namespace linkray::proxy
