// libFuzzer target: the Modbus register decoders. The first byte chooses a built-in register map or, past the last
// one, a register map written in the configuration: the JSON up to the first NUL byte. The bytes after that are the
// register words the meter answers, block after block as planReads() asks for them (two bytes a word, high byte
// first); when they run out, the blocks come back short. Planning, decoding and validation must never crash, the plan
// must ask for no more than a Modbus request may, and a short answer must never be trusted.
#include "meter/decode.h"
#include "meter/reading.h"
#include "meter/registermap.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

namespace {

using namespace linkray::meter;

std::optional<RegisterMap> chooseMap(QByteArray& input)
{
    static const QStringList builtIn = builtInMapIds();
    const int choice = static_cast<unsigned char>(input.at(0)) % (builtIn.size() + 1);
    input.remove(0, 1);
    if (choice < builtIn.size())
        return builtInMap(builtIn.at(choice));
    const qsizetype end = input.indexOf('\0');
    const QByteArray json = end < 0 ? input : input.left(end);
    input.remove(0, end < 0 ? input.size() : end + 1);
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return std::nullopt;
    QString error;
    return parseRegisterMap(document.object(), &error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const std::optional<RegisterMap> map = chooseMap(input);
    if (!map)
        return 0;

    const QVector<ReadBlock> blocks = planReads(*map);
    QVector<QVector<quint16>> words;
    qsizetype next = 0;
    bool shortAnswer = false;
    for (const ReadBlock& block : blocks) {
        if (block.count < 1 || block.count > map->maxBlockSize || block.count > 125)
            __builtin_trap();
        QVector<quint16> answer;
        for (int i = 0; i < block.count && next + 1 < input.size(); ++i, next += 2) {
            answer.append(static_cast<quint16>(
                (static_cast<unsigned char>(input.at(next)) << 8) | static_cast<unsigned char>(input.at(next + 1))));
        }
        shortAnswer = shortAnswer || answer.size() < block.count;
        words.append(answer);
    }

    MeterReading reading = decodeReading(*map, blocks, words);
    validateReading(reading);
    if (shortAnswer && reading.trusted)
        __builtin_trap();
    return 0;
}
