#include "proxy/journal.h"

#include "ocpp/frame.h"

#include <QSet>

namespace linkray::proxy {

namespace {

// The object that holds "transactionId" for each action that names a transaction; empty = the payload itself.
QString transactionHolderOf(const QString& action)
{
    if (action == QLatin1String("SetChargingProfile"))
        return QStringLiteral("csChargingProfiles");
    return QString();
}

bool carriesTransactionId(const QString& action)
{
    static const QSet<QString> actions {QStringLiteral("MeterValues"), QStringLiteral("StopTransaction"),
        QStringLiteral("RemoteStopTransaction"), QStringLiteral("SetChargingProfile")};
    return actions.contains(action);
}

} // namespace

bool isJournaled(const QString& action)
{
    static const QSet<QString> journaled {
        QStringLiteral("BootNotification"),
        QStringLiteral("StatusNotification"),
        QStringLiteral("StartTransaction"),
        QStringLiteral("MeterValues"),
        QStringLiteral("StopTransaction"),
        QStringLiteral("FirmwareStatusNotification"),
        QStringLiteral("DiagnosticsStatusNotification"),
        QStringLiteral("SecurityEventNotification"),
        QStringLiteral("SignedFirmwareStatusNotification"),
        QStringLiteral("LogStatusNotification"),
    };
    return journaled.contains(action);
}

bool isTransactionMessage(const QString& action)
{
    return action == QLatin1String("StartTransaction") || action == QLatin1String("StopTransaction")
        || action == QLatin1String("MeterValues");
}

std::optional<qint64> transactionIdOf(const QString& action, const QJsonObject& payload)
{
    if (!carriesTransactionId(action))
        return std::nullopt;
    const QString holder = transactionHolderOf(action);
    const QJsonObject object = holder.isEmpty() ? payload : payload.value(holder).toObject();
    const QJsonValue id = object.value(QLatin1String("transactionId"));
    if (!id.isDouble())
        return std::nullopt;
    return static_cast<qint64>(id.toDouble());
}

QJsonObject withTransactionId(const QString& action, QJsonObject payload, qint64 id)
{
    if (!transactionIdOf(action, payload))
        return payload;
    const QString holder = transactionHolderOf(action);
    if (holder.isEmpty()) {
        payload.insert(QLatin1String("transactionId"), id);
        return payload;
    }
    QJsonObject object = payload.value(holder).toObject();
    object.insert(QLatin1String("transactionId"), id);
    payload.insert(holder, object);
    return payload;
}

std::optional<QByteArray> translateTransactionId(
    const QString& uniqueId, const QString& action, const QJsonObject& payload, const TransactionIdLookup& lookup)
{
    const std::optional<qint64> id = transactionIdOf(action, payload);
    if (!id)
        return std::nullopt;
    const std::optional<qint64> translated = lookup(*id);
    if (!translated || *translated == *id)
        return std::nullopt;
    return ocpp::serializeCall(uniqueId, action, withTransactionId(action, payload, *translated));
}

} // namespace linkray::proxy
