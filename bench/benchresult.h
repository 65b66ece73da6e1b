#pragma once

#include <cstdio>
#include <optional>
#include <string>

// One figure for scripts/bench.sh, which gathers the lines of every benchmark into one table:
//   RESULT | figure | measured | target | baseline (same run) | met? |
// The human tables of each benchmark stay as they are; these lines come on top.
namespace linkray::bench {

// `met` empty: a figure without a target.
inline void printResult(const std::string& figure, const std::string& measured, const std::string& target,
    const std::string& baseline, std::optional<bool> met)
{
    std::printf("RESULT | %s | %s | %s | %s | %s |\n", figure.c_str(), measured.c_str(),
        target.empty() ? "-" : target.c_str(), baseline.empty() ? "-" : baseline.c_str(),
        met ? (*met ? "yes" : "**NO**") : "-");
    std::fflush(stdout);
}

// printf-style formatting into a std::string, for the figures above.
template<typename... Args> std::string format(const char* pattern, Args... args)
{
    char text[256];
    std::snprintf(text, sizeof text, pattern, args...);
    return text;
}

} // namespace linkray::bench
