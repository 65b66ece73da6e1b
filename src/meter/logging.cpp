#include "meter/logging.h"

Q_LOGGING_CATEGORY(lcMeter, "linkray.meter")
