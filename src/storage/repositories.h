#pragma once

// One repository per aggregate. Every write is committed (durable) before the call returns, so that
// what LinkRay acknowledges to a charger survives a power cut. Errors are logged (linkray.storage) and
// reported as false / nullopt, never swallowed.
#include "storage/chargepointrepository.h"
#include "storage/csmsauthorizationrepository.h"
#include "storage/eventrepository.h"
#include "storage/idtagrepository.h"
#include "storage/messagelogrepository.h"
#include "storage/metervaluerepository.h"
#include "storage/operatorlimitrepository.h"
#include "storage/outboxrepository.h"
#include "storage/transactionidmaprepository.h"
#include "storage/transactionrepository.h"
