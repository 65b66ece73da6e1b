#include "storage/logging.h"

namespace linkray::storage {
Q_LOGGING_CATEGORY(lcStorage, "linkray.storage")
} // namespace linkray::storage
