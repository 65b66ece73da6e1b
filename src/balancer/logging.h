#pragma once

#include <QLoggingCategory>

namespace linkray::balancer {
Q_DECLARE_LOGGING_CATEGORY(lcBalancer)
} // namespace linkray::balancer
