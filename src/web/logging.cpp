#include "web/logging.h"

namespace linkray::web {
Q_LOGGING_CATEGORY(lcWeb, "linkray.web")
} // namespace linkray::web
