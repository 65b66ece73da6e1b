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

inline constexpr std::array<Choice<Mode>, 2> ModeChoices {{
    {Mode::Offline, QLatin1String("offline")},
    {Mode::Online, QLatin1String("online")},
}};

inline constexpr std::array<Choice<CsmsCredentials>, 3> CsmsCredentialsChoices {{
    {CsmsCredentials::PassThrough, QLatin1String("pass-through")},
    {CsmsCredentials::Configured, QLatin1String("configured")},
    {CsmsCredentials::None, QLatin1String("none")},
}};

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

inline constexpr std::array<Choice<Phase>, 3> PhaseChoices {{
    {Phase::L1, QLatin1String("L1")},
    {Phase::L2, QLatin1String("L2")},
    {Phase::L3, QLatin1String("L3")},
}};

inline constexpr std::array<Choice<ChargerKind>, 3> ChargerKindChoices {{
    {ChargerKind::Ac3Phase, QLatin1String("ac3")},
    {ChargerKind::Ac1Phase, QLatin1String("ac1")},
    {ChargerKind::Dc, QLatin1String("dc")},
}};

inline constexpr std::array<Choice<ProfilePurpose>, 3> ProfilePurposeChoices {{
    {ProfilePurpose::ChargePointMax, QLatin1String("ChargePointMaxProfile")},
    {ProfilePurpose::TxDefault, QLatin1String("TxDefaultProfile")},
    {ProfilePurpose::Tx, QLatin1String("TxProfile")},
}};

inline constexpr std::array<Choice<ChargingRateUnit>, 2> ChargingRateUnitChoices {{
    {ChargingRateUnit::Amperes, QLatin1String("A")},
    {ChargingRateUnit::Watts, QLatin1String("W")},
}};

inline constexpr std::array<Choice<MeterType>, 4> MeterTypeChoices {{
    {MeterType::None, QLatin1String("none")},
    {MeterType::ModbusTcp, QLatin1String("modbus-tcp")},
    {MeterType::ModbusRtu, QLatin1String("modbus-rtu")},
    {MeterType::HttpJson, QLatin1String("http-json")},
}};

inline constexpr std::array<Choice<Parity>, 3> ParityChoices {{
    {Parity::None, QLatin1String("none")},
    {Parity::Even, QLatin1String("even")},
    {Parity::Odd, QLatin1String("odd")},
}};

// meter.model: a register map given in the configuration instead of a built-in one.
inline constexpr QLatin1String CustomMeterModel("custom");
// meter.model whose baseAddress may be set: SunSpec meters sit at different addresses behind different inverters.
inline constexpr QLatin1String SunSpecMeterModel("sunspec-meter");

template<typename E, std::size_t N> QLatin1String nameOf(E value, const std::array<Choice<E>, N>& choices)
{
    for (const Choice<E>& choice : choices) {
        if (choice.value == value)
            return choice.name;
    }
    Q_UNREACHABLE();
}

} // namespace linkray::app
