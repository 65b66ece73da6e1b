#pragma once

#include <QLoggingCategory>

namespace linkray::web {
Q_DECLARE_LOGGING_CATEGORY(lcWeb)
} // namespace linkray::web
