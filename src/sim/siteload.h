#pragma once

#include "core/clock.h"
#include "meter/reading.h"

#include <QHash>
#include <QJsonValue>
#include <QObject>

#include <array>
#include <optional>

// The site as its grid meter sees it: a base load plus what the simulated chargers draw, per phase.
namespace linkray::sim {

class ChargePoint;

using PhaseCurrents = std::array<double, 3>; // A on site phases L1..L3

// "20" (every phase) or "20,15,10" (L1,L2,L3), each >= 0; the form of --base-load-a and the base-load file.
std::optional<PhaseCurrents> baseLoadFromText(const QString& text);
// A number >= 0 or an array of one or three of them.
std::optional<PhaseCurrents> baseLoadFromJson(const QJsonValue& value);

// Currents, power (unity power factor) and an import register that integrates the total power over the Clock's
// time. Pure model: the Modbus server (MeterServer) only presents its reading.
class SiteLoad : public QObject {
    Q_OBJECT
public:
    SiteLoad(Clock& clock, PhaseCurrents baseLoadA, double voltageV, QObject* parent = nullptr);

    PhaseCurrents baseLoad() const { return m_baseLoadA; }
    void setBaseLoad(PhaseCurrents baseLoadA);
    // What one source (a charge point, by id) draws now on each site phase.
    void setDraw(const QString& source, PhaseCurrents drawA);
    // Follows what a charge point draws, from now on.
    void addCharger(const ChargePoint& chargePoint);

    // The meter's reading now (the import register brought up to date).
    meter::MeterReading reading();

Q_SIGNALS:
    // The currents changed (the base load or a draw); the energy register moves with time alone.
    void changed();

private:
    PhaseCurrents totalCurrents() const;
    void integrate();

    Clock& m_clock;
    PhaseCurrents m_baseLoadA;
    double m_voltageV;
    QHash<QString, PhaseCurrents> m_draws;
    double m_importedWh = 0;
    qint64 m_integratedUntilMs;
};

} // namespace linkray::sim
