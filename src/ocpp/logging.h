#pragma once

#include <QLoggingCategory>

namespace linkray::ocpp {
Q_DECLARE_LOGGING_CATEGORY(lcOcpp)
} // namespace linkray::ocpp
