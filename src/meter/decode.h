#pragma once

#include "meter/reading.h"
#include "meter/registermap.h"

#include <QVector>

namespace linkray::meter {

// One Modbus read request: `count` registers from `start` (absolute address) with one function.
struct ReadBlock {
    RegisterFunction function = RegisterFunction::Input;
    int start = 0;
    int count = 0;

    bool operator==(const ReadBlock& other) const
    {
        return function == other.function && start == other.start && count == other.count;
    }
};

// Plans the reads for a map: every register a value, a scale factor or the identify register needs, merged into
// contiguous blocks per function, joining neighbours up to map.maxGap registers apart while a block stays within
// map.maxBlockSize registers. Blocks come sorted by function (input first) and address.
QVector<ReadBlock> planReads(const RegisterMap& map);

// Decodes the words read for `blocks` (one vector per block, in the same order) into a reading. A value marked
// invalid by the map, or whose scale-factor register says "not implemented", is left empty. The reading is
// untrusted when a block came back short or the identify register holds none of the expected values; the
// plausibility checks are validateReading()'s.
MeterReading decodeReading(
    const RegisterMap& map, const QVector<ReadBlock>& blocks, const QVector<QVector<quint16>>& words);

// The field of `reading` that holds `quantity`.
std::optional<double>& valueOf(MeterReading& reading, Quantity quantity);
// What a map's unit is multiplied by to give V, A, W or Wh (1000 for kW and kWh).
double unitMultiplier(const QString& unit);

} // namespace linkray::meter
