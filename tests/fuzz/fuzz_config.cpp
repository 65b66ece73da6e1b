// libFuzzer target: any configuration file. Parsing must never crash, and a configuration it accepts must survive
// its own round trip (what the web API will write back).
#include "app/config.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace linkray::app;
    const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const ConfigResult result = parseConfig(json);
    if (const auto* config = std::get_if<Config>(&result)) {
        const ConfigResult again = parseConfig(toJson(*config));
        const auto* reparsed = std::get_if<Config>(&again);
        if (!reparsed || !(*reparsed == *config))
            __builtin_trap();
    }
    return 0;
}
