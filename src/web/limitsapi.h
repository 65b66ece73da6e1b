#pragma once

#include "core/clock.h"
#include "web/router.h"
#include "web/webservices.h"

// Limits with an expiry on top of the configured ones: the site's dynamic limit for an external energy manager
// (/api/v1/site/dynamic-limit) and an operator's manual limit per charger (/api/v1/charge-points/{id}/manual-limit).
namespace linkray::web {

// The routes keep references to `clock` and `services`, which must outlive `router`.
void addLimitRoutes(Router& router, Clock& clock, const WebServices& services);

} // namespace linkray::web
