#pragma once

#include "core/clock.h"

#include <QObject>
#include <QString>

#include <memory>

namespace linkray::hmi {

// Checks the operator PIN against its configured hash (core/passwordhash). After kMaxWrongPins wrong PINs in a row
// it refuses every PIN, the right one too, for kLockoutMs, so that a PIN of a few digits cannot be guessed at the
// screen.
class PinGuard : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxWrongPins = 5;
    static constexpr qint64 kLockoutMs = 60 * 1000;

    enum class Check {
        Accepted,
        Wrong,
        LockedOut,
        NotConfigured, // no PIN hash in the configuration: nothing is accepted
    };

    // `pinHash` as made by hashPassword() or hashPasswordScrypt(); empty when no PIN is configured.
    PinGuard(Clock& clock, QString pinHash, QObject* parent = nullptr);
    ~PinGuard() override;

    Check check(const QString& pin);
    bool configured() const { return !m_pinHash.isEmpty(); }
    bool lockedOut() const { return m_lockout->isActive(); }

Q_SIGNALS:
    void lockedOutChanged();

private:
    void unlock();

    QString m_pinHash;
    int m_wrongInARow = 0;
    std::unique_ptr<Timer> m_lockout;
};

} // namespace linkray::hmi
