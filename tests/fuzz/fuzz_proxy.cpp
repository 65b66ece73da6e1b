// libFuzzer target: a proxied charger session fed arbitrary traffic from both sides while its upstream comes and
// goes and time moves. Nothing the charger or the CSMS sends may crash LinkRay or trip a sanitizer, and whatever
// LinkRay writes to the charger must still be an OCPP-J frame a strict peer can read.
//
// Input: lines. The first byte of a line says what happens, the rest is the frame text:
//   'c' charger → LinkRay   's' CSMS → LinkRay   'o' upstream opens   'l' upstream lost   't' clock + 10 s
#include "fuzzsupport.h"
#include "localcsms/localcsms.h"
#include "ocpp/endpoint.h"
#include "ocpp/frame.h"
#include "proxy/proxysession.h"
#include "storage/outboxwriter.h"
#include "storage/repositories.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace linkray;

namespace {

// What LinkRay sends must parse as a frame; only a charger's raw bytes may be garbage.
void checkWritten(const QByteArray& text)
{
    if (std::holds_alternative<ocpp::FrameError>(ocpp::parseFrame(text)))
        __builtin_trap();
}

struct World {
    World()
        : directory(fuzz::dataDirectoryTemplate())
    {
        if (storage::Database::open(database, storage::Database::filePathIn(directory.path())))
            __builtin_trap();
        localcsms::Policy policy;
        policy.isKnownChargePoint = [](const QString&) { return true; };
        csms = std::make_unique<localcsms::LocalCsms>(localcsms::Context {clock, database, policy});
    }

    ManualClock clock;
    QTemporaryDir directory;
    storage::Database database;
    std::unique_ptr<localcsms::LocalCsms> csms;
};

World& world()
{
    fuzz::ensureApplication("fuzz_proxy");
    static World instance;
    return instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    World& w = world();
    storage::OutboxRepository rows(w.database);
    storage::OutboxWriter outbox(rows);
    proxy::ProxyContext context {w.clock, w.database, outbox, proxy::ProxySettings {}};
    bool upstreamOpen = false;
    ocpp::Endpoint local(w.clock, checkWritten, ocpp::Endpoint::Options {});
    w.csms->attach(QStringLiteral("CP-FUZZ"), &local);
    {
        proxy::ProxySession session(QStringLiteral("CP-FUZZ"), context, local, checkWritten,
            // Towards the CSMS a charger's answer passes byte for byte, garbage included: only delivery is checked.
            [&upstreamOpen](const QByteArray&) { return upstreamOpen; });
        QObject::connect(&session, &proxy::ProxySession::upstreamStalled, [&] {
            upstreamOpen = false;
            session.upstreamLost(QStringLiteral("stalled"));
        });
        session.start();
        const QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
        for (const QByteArray& line : input.split('\n')) {
            if (line.isEmpty())
                continue;
            const QByteArray frame = line.mid(1);
            switch (line.at(0)) {
            case 'c':
                session.handleChargerText(frame);
                break;
            case 's':
                session.handleCsmsText(frame);
                break;
            case 'o':
                upstreamOpen = true;
                session.upstreamOpened();
                break;
            case 'l':
                upstreamOpen = false;
                session.upstreamLost(QStringLiteral("lost"));
                break;
            case 't':
                w.clock.advance(10000);
                break;
            default:
                break;
            }
            QCoreApplication::processEvents();
        }
        outbox.flush();
    }
    w.csms->detach(QStringLiteral("CP-FUZZ"));
    // Each input starts from an empty outbox, so that runs do not slow down as it fills.
    QSqlQuery(w.database.connection()).exec(QStringLiteral("DELETE FROM outbox"));
    return 0;
}
