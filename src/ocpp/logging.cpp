#include "ocpp/logging.h"

namespace linkray::ocpp {
Q_LOGGING_CATEGORY(lcOcpp, "linkray.ocpp")
} // namespace linkray::ocpp
