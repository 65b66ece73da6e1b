#pragma once

#include "meter/decode.h"

#include <QMap>
#include <QVector>

#include <cmath>

namespace linkray::meter::test {

// Registers as a meter holds them (absolute address → consecutive words); unlisted registers read as 0.
using RegisterImage = QMap<int, QVector<quint16>>;

// The words a poll of `plan` would return from a meter holding `image`.
inline QVector<QVector<quint16>> readImage(const QVector<ReadBlock>& plan, const RegisterImage& image)
{
    QVector<QVector<quint16>> words;
    for (const ReadBlock& block : plan) {
        QVector<quint16> blockWords(block.count, 0);
        for (auto it = image.begin(); it != image.end(); ++it) {
            for (int i = 0; i < it.value().size(); ++i) {
                const int offset = it.key() + i - block.start;
                if (offset >= 0 && offset < block.count)
                    blockWords[offset] = it.value().at(i);
            }
        }
        words.append(blockWords);
    }
    return words;
}

// float32 values from the meter are compared to a relative precision a float32 holds.
inline bool closeTo(const std::optional<double>& actual, const std::optional<double>& expected)
{
    if (!actual || !expected)
        return !actual && !expected;
    return std::abs(*actual - *expected) <= 1e-6 * std::max(1.0, std::abs(*expected));
}

} // namespace linkray::meter::test
