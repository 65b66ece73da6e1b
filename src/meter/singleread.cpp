#include "meter/singleread.h"

namespace linkray::meter {

SingleRead::SingleRead(std::unique_ptr<MeterDriver> driver, Done done, QObject* parent)
    : QObject(parent)
    , m_driver(std::move(driver))
    , m_done(std::move(done))
{
    connect(
        m_driver.get(), &MeterDriver::readingAvailable, this, [this](const MeterReading& reading) { finish(reading); });
    connect(m_driver.get(), &MeterDriver::pollMissed, this, [this](const QString& reason) { finish(reason); });
}

SingleRead::~SingleRead()
{
    if (m_done)
        m_driver->stop();
}

void SingleRead::start()
{
    m_driver->start();
}

void SingleRead::finish(const Outcome& outcome)
{
    if (!m_done)
        return;
    m_driver->stop();
    const Done done = std::exchange(m_done, nullptr);
    done(outcome);
}

} // namespace linkray::meter
