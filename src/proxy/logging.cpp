#include "proxy/logging.h"

Q_LOGGING_CATEGORY(lcProxy, "linkray.proxy")
