#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace linkray::meter {

// One reading of the site meter. A value the meter does not provide (or marks as not available) is empty,
// never 0: the balancer must tell "no current on L2" from "L2 not measured".
// Sign convention: positive power is drawn from the grid (import), negative is fed into it (export).
struct MeterReading {
    std::array<std::optional<double>, 3> voltageV; // phase to neutral, L1..L3
    std::array<std::optional<double>, 3> currentA;
    std::array<std::optional<double>, 3> powerW;
    std::optional<double> totalPowerW;
    std::optional<double> importedWh;
    std::optional<double> exportedWh;

    QDateTime timestamp; // when the driver received it (Clock::nowUtc)
    bool trusted = true;
    QString untrustedReason; // why it is not trusted, for the log and the operator

    void distrust(const QString& reason)
    {
        if (trusted)
            untrustedReason = reason;
        trusted = false;
    }
};

// What counts as plausible for a site meter; a reading outside it is nonsense and not trusted.
struct ValidationLimits {
    double maxVoltageV = 300.0; // phase to neutral: 230 V +10 % and 277 V systems fit, a word-order mix-up does not
    double maxCurrentA = 6000.0; // per phase, a large CT-connected grid connection
    double maxPowerW = 4.0e6; // per phase and in total
};

// Flags the reading untrusted (with the first reason found) when a value is NaN, infinite, a voltage is
// negative, an energy counter is negative or any value is outside the limits.
void validateReading(MeterReading& reading, const ValidationLimits& limits = {});

} // namespace linkray::meter

Q_DECLARE_METATYPE(linkray::meter::MeterReading)
