#pragma once

#include "meter/meterdriver.h"

#include <functional>
#include <memory>
#include <utility>
#include <variant>

namespace linkray::meter {

// One reading of a meter for a person checking its settings (the web app's "Test read"): starts the driver and
// answers once, with its first trusted reading or why its first poll brought none. The driver's poll interval bounds
// the wait, since a poll that has not answered by the next tick counts as missed.
class SingleRead final : public QObject {
    Q_OBJECT
public:
    using Outcome = std::variant<MeterReading, QString>; // the reading, or why there is none
    using Done = std::function<void(const Outcome& outcome)>;

    SingleRead(std::unique_ptr<MeterDriver> driver, Done done, QObject* parent = nullptr);
    ~SingleRead() override;

    // `done` may run before this returns (a connection refused at once), and runs at most once.
    void start();

private:
    void finish(const Outcome& outcome);

    std::unique_ptr<MeterDriver> m_driver;
    Done m_done;
};

} // namespace linkray::meter
