#pragma once

#include "ocpp/messages.h"

#include <QDateTime>
#include <QList>

#include <algorithm>
#include <optional>

// The charging profiles installed on a charge point (OCPP 1.6 smart charging) and the limit they set at a moment.
namespace linkray::sim {

struct ElectricalRating {
    int phases = 3;
    double voltageV = 230;

    double ampsFromWatts(double watts, std::optional<qint64> phaseCount = std::nullopt) const
    {
        const qint64 used = std::min<qint64>(phaseCount.value_or(phases), phases);
        return watts / (static_cast<double>(used) * voltageV);
    }
    double wattsFromAmps(double amps) const { return amps * phases * voltageV; }
};

// The running transaction on a connector, as profiles refer to it.
struct TransactionRef {
    std::optional<qint64> id; // known once StartTransaction was answered
    QDateTime start;
};

class ChargingProfiles {
public:
    explicit ChargingProfiles(ElectricalRating rating)
        : m_rating(rating)
    {
    }

    // Replaces a profile with the same id, or with the same connector, purpose and stack level.
    void install(qint64 connectorId, const ocpp::v16::ChargingProfile& profile);
    // Removes the profiles matching every field given; true when any was removed.
    bool clear(const ocpp::v16::ClearChargingProfileRequest& filter);
    // A TxProfile lives as long as its transaction.
    void clearTxProfiles(qint64 connectorId);

    // The limit in A per phase on a connector at `at`: the lower of ChargePointMaxProfile and the Tx (or else
    // TxDefault) profile, each the highest stack level valid then; nothing when no profile limits it.
    std::optional<double> limitAmps(
        qint64 connectorId, const QDateTime& at, const std::optional<TransactionRef>& transaction) const;

    // The limits from `from` for `durationSeconds`, in `unit` ("A" or "W"); `maxAmps` where no profile limits.
    ocpp::v16::ChargingSchedule composite(qint64 connectorId, const QDateTime& from, qint64 durationSeconds,
        const QString& unit, const std::optional<TransactionRef>& transaction, double maxAmps) const;

private:
    struct Installed {
        qint64 connectorId;
        ocpp::v16::ChargingProfile profile;
    };

    std::optional<double> limitAmps(qint64 connectorId, const QDateTime& at,
        const std::optional<TransactionRef>& transaction, const QDateTime& relativeStart) const;
    std::optional<double> profileLimitAmps(
        const ocpp::v16::ChargingProfile& profile, const QDateTime& at, const QDateTime& relativeStart) const;
    QList<QDateTime> boundaries(const ocpp::v16::ChargingProfile& profile, const QDateTime& from, const QDateTime& to,
        const QDateTime& relativeStart) const;

    ElectricalRating m_rating;
    QList<Installed> m_installed;
};

} // namespace linkray::sim
