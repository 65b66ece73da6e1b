#include "localcsms/logging.h"

Q_LOGGING_CATEGORY(lcLocalCsms, "linkray.localcsms")
