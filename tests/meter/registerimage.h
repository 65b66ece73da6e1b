#pragma once

#include "meter/decode.h"
#include "meter/encode.h"

#include <QMap>
#include <QVector>

#include <cmath>

namespace linkray::meter::test {

// Recorded registers (absolute address → consecutive words), the same for both functions; unlisted ones read as 0.
using RegisterImage = QMap<int, QVector<quint16>>;

// The words a poll of `plan` would return from a meter holding `tables`; unlisted registers read as 0.
inline QVector<QVector<quint16>> readImage(const QVector<ReadBlock>& plan, const RegisterTables& tables)
{
    QVector<QVector<quint16>> words;
    for (const ReadBlock& block : plan) {
        QVector<quint16> blockWords(block.count, 0);
        for (int i = 0; i < block.count; ++i)
            blockWords[i] = tables.table(block.function).value(block.start + i, 0);
        words.append(blockWords);
    }
    return words;
}

inline QVector<QVector<quint16>> readImage(const QVector<ReadBlock>& plan, const RegisterImage& image)
{
    RegisterTables tables;
    for (auto it = image.begin(); it != image.end(); ++it) {
        for (int i = 0; i < it.value().size(); ++i)
            tables.input[it.key() + i] = tables.holding[it.key() + i] = it.value().at(i);
    }
    return readImage(plan, tables);
}

// float32 values from the meter are compared to a relative precision a float32 holds.
inline bool closeTo(const std::optional<double>& actual, const std::optional<double>& expected)
{
    if (!actual || !expected)
        return !actual && !expected;
    return std::abs(*actual - *expected) <= 1e-6 * std::max(1.0, std::abs(*expected));
}

} // namespace linkray::meter::test
