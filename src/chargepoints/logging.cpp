#include "chargepoints/logging.h"

Q_LOGGING_CATEGORY(lcChargePoints, "linkray.chargepoints")
