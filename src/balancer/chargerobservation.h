#pragma once

#include "balancer/connectortracker.h"
#include "ocpp/messages.h"

#include <optional>

// What a charger's own OCPP messages tell the balancer about one connector.
namespace linkray::balancer {

// The connector's status; nullopt for connector 0 (the charge point as a whole, not a place where a car draws).
std::optional<ConnectorObservation> observationFrom(const ocpp::v16::StatusNotificationRequest& status);

// The measured draw in the newest sample of the message: Current.Import per phase (A) and Power.Active.Import (W).
// A Current.Import without a phase counts as L1 when no phase is given at all (single-phase chargers report so).
// nullopt when the message carries neither, or is for connector 0.
std::optional<ConnectorObservation> observationFrom(const ocpp::v16::MeterValuesRequest& meterValues);

} // namespace linkray::balancer
