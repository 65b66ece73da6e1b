#pragma once

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

// Which charger → CSMS messages the CSMS must eventually see, and where a message names a transaction.
// Pure functions: the proxy session decides with them, the tests check them with tables.
namespace linkray::proxy {

// Messages kept in the durable outbox during an outage and replayed in order afterwards. Authorize, Heartbeat and
// DataTransfer are not: their answer only matters at the moment they are asked.
bool isJournaled(const QString& action);

// True for the messages that make up a transaction's record at the CSMS; these are never dropped, even when the
// outbox is full (docs/proxy.md).
bool isTransactionMessage(const QString& action);

// The transaction id a call carries, wherever the action puts it (MeterValues, StopTransaction,
// RemoteStopTransaction, SetChargingProfile with a TxProfile); nullopt when it carries none.
std::optional<qint64> transactionIdOf(const QString& action, const QJsonObject& payload);

// The payload with that transaction id replaced by `id`; unchanged when the action carries none.
QJsonObject withTransactionId(const QString& action, QJsonObject payload, qint64 id);

// Looks up the id to use on the other side of the proxy for a transaction id; nullopt = leave it as it is.
using TransactionIdLookup = std::function<std::optional<qint64>(qint64 transactionId)>;

// The CALL text with its transaction id translated by `lookup`, re-serialised; nullopt when the frame needs no
// change, so that it can be relayed byte for byte.
std::optional<QByteArray> translateTransactionId(
    const QString& uniqueId, const QString& action, const QJsonObject& payload, const TransactionIdLookup& lookup);

} // namespace linkray::proxy
