#include "balancer/logging.h"

namespace linkray::balancer {
Q_LOGGING_CATEGORY(lcBalancer, "linkray.balancer")
} // namespace linkray::balancer
