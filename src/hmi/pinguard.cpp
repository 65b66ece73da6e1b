#include "hmi/pinguard.h"

#include "core/passwordhash.h"
#include "hmi/logging.h"

namespace linkray::hmi {

PinGuard::PinGuard(Clock& clock, QString pinHash, QObject* parent)
    : QObject(parent)
    , m_pinHash(std::move(pinHash))
    , m_lockout(clock.createTimer())
{
    m_lockout->setSingleShot(true);
    connect(m_lockout.get(), &Timer::timeout, this, &PinGuard::unlock);
}

PinGuard::~PinGuard() = default;

PinGuard::Check PinGuard::check(const QString& pin)
{
    if (!configured())
        return Check::NotConfigured;
    if (lockedOut())
        return Check::LockedOut;
    if (verifyPassword(pin, m_pinHash)) {
        m_wrongInARow = 0;
        return Check::Accepted;
    }
    ++m_wrongInARow;
    if (m_wrongInARow >= kMaxWrongPins) {
        qCWarning(lcHmi) << kMaxWrongPins << "wrong operator PINs in a row: start and stop locked for"
                         << kLockoutMs / 1000 << "s";
        m_lockout->start(kLockoutMs);
        Q_EMIT lockedOutChanged();
    }
    return Check::Wrong;
}

void PinGuard::unlock()
{
    m_wrongInARow = 0;
    Q_EMIT lockedOutChanged();
}

} // namespace linkray::hmi
