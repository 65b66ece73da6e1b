#include "core/clock.h"
#include "core/passwordhash.h"
#include "hmi/chargercommands.h"
#include "hmi/pinguard.h"

#include <QSignalSpy>
#include <QTest>

using namespace linkray;
using namespace linkray::hmi;

namespace {

struct SentCommand {
    QString chargePointId;
    int connectorId = 0;
    ChargerCommand::Value command = ChargerCommand::Start;
    std::function<void(bool)> done;
};

} // namespace

// The operator PIN in front of start and stop, on simulated time.
class TestPinGuard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_pinHash = hashPassword(QStringLiteral("4711")); }

    void acceptsTheRightPinOnly()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        QCOMPARE(guard.check(QStringLiteral("4711")), PinGuard::Check::Accepted);
        QCOMPARE(guard.check(QStringLiteral("4712")), PinGuard::Check::Wrong);
        QCOMPARE(guard.check(QString()), PinGuard::Check::Wrong);
    }

    void withoutAConfiguredPinNothingPasses()
    {
        ManualClock clock;
        PinGuard guard(clock, QString());
        QVERIFY(!guard.configured());
        QCOMPARE(guard.check(QString()), PinGuard::Check::NotConfigured);
    }

    void fiveWrongPinsLockEvenTheRightOneOutForAMinute()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        QSignalSpy lockChanges(&guard, &PinGuard::lockedOutChanged);
        for (int i = 0; i < PinGuard::kMaxWrongPins; ++i)
            QCOMPARE(guard.check(QStringLiteral("0000")), PinGuard::Check::Wrong);
        QVERIFY(guard.lockedOut());
        QCOMPARE(lockChanges.count(), 1);
        QCOMPARE(guard.check(QStringLiteral("4711")), PinGuard::Check::LockedOut);

        clock.advance(PinGuard::kLockoutMs - 1);
        QCOMPARE(guard.check(QStringLiteral("4711")), PinGuard::Check::LockedOut);
        clock.advance(1);
        QVERIFY(!guard.lockedOut());
        QCOMPARE(lockChanges.count(), 2);
        QCOMPARE(guard.check(QStringLiteral("4711")), PinGuard::Check::Accepted);
    }

    void aRightPinResetsTheCountOfWrongOnes()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        for (int i = 0; i < PinGuard::kMaxWrongPins - 1; ++i)
            guard.check(QStringLiteral("0000"));
        QCOMPARE(guard.check(QStringLiteral("4711")), PinGuard::Check::Accepted);
        for (int i = 0; i < PinGuard::kMaxWrongPins - 1; ++i)
            guard.check(QStringLiteral("0000"));
        QVERIFY(!guard.lockedOut());
    }

    void commandsGoOutOnlyWithTheRightPin()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        ChargerCommands commands(guard);
        QList<SentCommand> sent;
        commands.setSender([&sent](const QString& chargePointId, int connectorId, ChargerCommand::Value command,
                               std::function<void(bool)> done) {
            sent.append({chargePointId, connectorId, command, std::move(done)});
        });
        QSignalSpy answers(&commands, &ChargerCommands::answered);

        QCOMPARE(commands.request(QStringLiteral("CP-1"), 2, ChargerCommand::Stop, QStringLiteral("1234")),
            ChargerCommands::WrongPin);
        QVERIFY(sent.isEmpty());

        QCOMPARE(commands.request(QStringLiteral("CP-1"), 2, ChargerCommand::Stop, QStringLiteral("4711")),
            ChargerCommands::Sent);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent[0].chargePointId, QStringLiteral("CP-1"));
        QCOMPARE(sent[0].connectorId, 2);
        QCOMPARE(sent[0].command, ChargerCommand::Stop);
        QCOMPARE(answers.count(), 0);
        sent[0].done(true);
        QCOMPARE(answers.count(), 1);
        QCOMPARE(answers[0][3].toBool(), true);
    }

    void lockedOutCommandsAreNotSent()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        ChargerCommands commands(guard);
        int sent = 0;
        commands.setSender([&sent](const QString&, int, ChargerCommand::Value, std::function<void(bool)>) { ++sent; });
        QSignalSpy lockChanges(&commands, &ChargerCommands::lockedOutChanged);
        for (int i = 0; i < PinGuard::kMaxWrongPins; ++i)
            commands.request(QStringLiteral("CP-1"), 1, ChargerCommand::Start, QStringLiteral("9999"));
        QVERIFY(commands.lockedOut());
        QCOMPARE(lockChanges.count(), 1);
        QCOMPARE(commands.request(QStringLiteral("CP-1"), 1, ChargerCommand::Start, QStringLiteral("4711")),
            ChargerCommands::LockedOut);
        QCOMPARE(sent, 0);
        clock.advance(PinGuard::kLockoutMs);
        QCOMPARE(commands.request(QStringLiteral("CP-1"), 1, ChargerCommand::Start, QStringLiteral("4711")),
            ChargerCommands::Sent);
        QCOMPARE(sent, 1);
    }

    void withoutSenderOrPinCommandsAreUnavailable()
    {
        ManualClock clock;
        PinGuard guard(clock, m_pinHash);
        ChargerCommands commands(guard);
        QVERIFY(!commands.available());
        QCOMPARE(commands.request(QStringLiteral("CP-1"), 1, ChargerCommand::Start, QStringLiteral("4711")),
            ChargerCommands::Unavailable);
        QSignalSpy availability(&commands, &ChargerCommands::availableChanged);
        commands.setSender([](const QString&, int, ChargerCommand::Value, std::function<void(bool)>) {});
        QVERIFY(commands.available());
        QCOMPARE(availability.count(), 1);

        PinGuard noPin(clock, QString());
        ChargerCommands unguarded(noPin);
        unguarded.setSender([](const QString&, int, ChargerCommand::Value, std::function<void(bool)>) {});
        QVERIFY(!unguarded.available());
        QCOMPARE(unguarded.request(QStringLiteral("CP-1"), 1, ChargerCommand::Start, QString()),
            ChargerCommands::Unavailable);
    }

private:
    QString m_pinHash;
};

QTEST_GUILESS_MAIN(TestPinGuard)
#include "tst_pinguard.moc"
