#include "upstream/logging.h"

Q_LOGGING_CATEGORY(lcUpstream, "linkray.upstream")
