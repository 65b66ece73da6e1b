#pragma once

#include "storage/database.h"
#include "storage/eventrepository.h"
#include "storage/transactionrepository.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

// The JSON of the API's resources, shared by their endpoints and the live updates (docs/api.md, "Shapes").
namespace linkray::web {

QJsonObject chargePointJson(storage::Database& db, const QString& id, const QStringList& connectedIds);
// chargePointJson() of every charge point known to storage or connected now, sorted by id: three queries in all,
// whatever the number of charge points.
QList<QJsonObject> allChargePointsJson(storage::Database& db, const QStringList& connectedIds);
QJsonObject transactionJson(const storage::TransactionRecord& record);
QJsonObject eventJson(const storage::EventRecord& event);
// The energy of a stopped transaction; nullopt while it is active.
std::optional<qint64> transactionEnergyWh(const storage::TransactionRecord& record);

} // namespace linkray::web
