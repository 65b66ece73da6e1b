#pragma once

#include <QLoggingCategory>

namespace linkray::hmi {
Q_DECLARE_LOGGING_CATEGORY(lcHmi)
} // namespace linkray::hmi
