#include "liveprobe.h"

#include "benchcsms.h"
#include "benchfleet.h"

#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <sched.h>

namespace linkray::bench {

namespace {

void runProbeThreadFirst()
{
    sched_param priority {};
    priority.sched_priority = sched_get_priority_min(SCHED_FIFO);
    if (const int error = pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority); error != 0)
        std::fprintf(stderr,
            "the live charger's thread keeps the normal scheduling (%s): its figures include the "
            "benchmark's own load\n",
            std::strerror(error));
}

} // namespace

template <typename Result, typename Function> Result LiveProbe::onProbeThread(Function function)
{
    Result result {};
    QMetaObject::invokeMethod(
        m_context, [&] { result = function(); }, Qt::BlockingQueuedConnection);
    return result;
}

LiveProbe::LiveProbe(const QString& id, const QString& baseUrl, quint16 csmsPort)
{
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    onProbeThread<bool>([] {
        runProbeThreadFirst();
        return true;
    });
    m_csmsListening = onProbeThread<bool>([&] { return (new BenchCsms(benchClock(), m_context))->listen(csmsPort); });
    onProbeThread<bool>([&] {
        m_charger = new BenchCharger(id, benchClock(), m_context);
        m_charger->connectTo(baseUrl);
        return true;
    });
}

LiveProbe::~LiveProbe()
{
    m_thread.quit();
    m_thread.wait();
}

bool LiveProbe::isOpen()
{
    return onProbeThread<bool>([this] { return m_charger->isOpen(); });
}

void LiveProbe::close()
{
    onProbeThread<bool>([this] {
        m_charger->close();
        return true;
    });
}

void LiveProbe::send(ChargerMessage message, qint64 count)
{
    onProbeThread<bool>([&] {
        m_charger->send(message, count);
        return true;
    });
}

void LiveProbe::stop()
{
    onProbeThread<bool>([this] {
        m_charger->stop();
        return true;
    });
}

bool LiveProbe::isIdle()
{
    return onProbeThread<bool>([this] { return m_charger->isIdle(); });
}

qint64 LiveProbe::answered()
{
    return onProbeThread<qint64>([this] { return m_charger->answered(); });
}

std::vector<qint64> LiveProbe::takeRoundTrips()
{
    return onProbeThread<std::vector<qint64>>([this] {
        std::vector<qint64> roundTrips = m_charger->roundTripsNs();
        m_charger->clearRoundTrips();
        return roundTrips;
    });
}

} // namespace linkray::bench
