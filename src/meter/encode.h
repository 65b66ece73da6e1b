#pragma once

#include "meter/reading.h"
#include "meter/registermap.h"

#include <QMap>

namespace linkray::meter {

// Registers as a meter holds them: absolute address → word, one table per Modbus function.
struct RegisterTables {
    QMap<int, quint16> input;
    QMap<int, quint16> holding;

    QMap<int, quint16>& table(RegisterFunction function)
    {
        return function == RegisterFunction::Input ? input : holding;
    }
    const QMap<int, quint16>& table(RegisterFunction function) const
    {
        return function == RegisterFunction::Input ? input : holding;
    }
};

// The inverse of decodeReading(): the registers a meter described by `map` holds when it measures `reading`, so
// that one map serves the driver and the simulated meter. Integers are rounded and saturate at their type's range;
// a SunSpec scale-factor register gets the smallest exponent from -3 up at which every value sharing it fits; the
// identify register holds its first expected value. A value the reading lacks is written as the map's invalid
// marker, or left out (reads as 0) when the map has none. A value whose raw bits happen to equal the invalid marker
// (a SunSpec energy of 0) reads back as absent, as it would from a real meter.
RegisterTables encodeReading(const RegisterMap& map, const MeterReading& reading);

} // namespace linkray::meter
