#pragma once

#include "app/config.h"

#include <QLatin1String>

#include <array>

// The JSON names of the configuration's enumerations, shared by the parser and toJson() so they cannot drift apart.
namespace linkray::app {

template<typename E> struct Choice {
    E value;
    QLatin1String name;
};

inline constexpr std::array<Choice<Mode>, 1> ModeChoices {{{Mode::Offline, QLatin1String("offline")}}};

inline constexpr std::array<Choice<UnknownChargePointPolicy>, 3> UnknownChargePointChoices {{
    {UnknownChargePointPolicy::Accept, QLatin1String("accept")},
    {UnknownChargePointPolicy::Pending, QLatin1String("pending")},
    {UnknownChargePointPolicy::Reject, QLatin1String("reject")},
}};

inline constexpr std::array<Choice<UnknownTagPolicy>, 2> UnknownTagChoices {{
    {UnknownTagPolicy::Reject, QLatin1String("reject")},
    {UnknownTagPolicy::Accept, QLatin1String("accept")},
}};

inline constexpr std::array<Choice<TagStatus>, 4> TagStatusChoices {{
    {TagStatus::Accepted, QLatin1String("Accepted")},
    {TagStatus::Blocked, QLatin1String("Blocked")},
    {TagStatus::Expired, QLatin1String("Expired")},
    {TagStatus::Invalid, QLatin1String("Invalid")},
}};

template<typename E, std::size_t N> QLatin1String nameOf(E value, const std::array<Choice<E>, N>& choices)
{
    for (const Choice<E>& choice : choices) {
        if (choice.value == value)
            return choice.name;
    }
    Q_UNREACHABLE();
}

} // namespace linkray::app
