#include "hmi/logging.h"

namespace linkray::hmi {
Q_LOGGING_CATEGORY(lcHmi, "linkray.hmi")
} // namespace linkray::hmi
