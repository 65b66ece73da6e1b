#pragma once

#include <QLoggingCategory>

namespace linkray::storage {
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
} // namespace linkray::storage
