#include "linkrayprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace linkray::bench {

bool runUntil(const std::function<bool()>& done, int stallMs, const std::function<qint64()>& progress)
{
    if (done())
        return true;
    QEventLoop loop;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    qint64 lastProgress = progress ? progress() : 0;
    bool stalled = false;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) {
            loop.quit();
            return;
        }
        const qint64 now = progress ? progress() : 0;
        if (now != lastProgress) {
            lastProgress = now;
            sinceProgress.restart();
        } else if (sinceProgress.elapsed() > stallMs) {
            stalled = true;
            loop.quit();
        }
    });
    poll.start(5);
    loop.exec();
    return !stalled;
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

namespace {

// A "<field>: <n> kB" line of /proc/<pid>/status; -1 when unreadable.
qint64 statusKb(qint64 pid, const QByteArray& field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

qint64 peakRssKb(qint64 pid)
{
    return statusKb(pid, "VmHWM:");
}

qint64 rssKb(qint64 pid)
{
    return statusKb(pid, "VmRSS:");
}

CpuTime cpuTimeOf(qint64 pid)
{
    CpuTime time;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        constexpr int kUserTime = 14 - 3; // utime is field 14 of /proc/<pid>/stat; the list starts at field 3
        if (fields.size() > kUserTime + 1) {
            const qint64 ticks = fields[kUserTime].toLongLong() + fields[kUserTime + 1].toLongLong();
            time.used = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
        }
    }
    QFile schedstat(QStringLiteral("/proc/%1/schedstat").arg(pid));
    if (schedstat.open(QIODevice::ReadOnly)) {
        // "<ns on a CPU> <ns waiting on a run queue> <time slices>"
        const QList<QByteArray> fields = schedstat.readAll().split(' ');
        if (fields.size() >= 2)
            time.waited = static_cast<double>(fields[1].toLongLong()) / 1e9;
    }
    return time;
}

MachineTicks machineTicks()
{
    MachineTicks ticks;
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return ticks;
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user and nice.
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    constexpr int kSteal = 8;
    if (fields.size() <= kSteal || fields[0] != "cpu")
        return ticks;
    ticks.total = 0;
    for (int i = 1; i <= kSteal; ++i)
        ticks.total += fields[i].toLongLong();
    ticks.stolen = fields[kSteal].toLongLong();
    return ticks;
}

double stolenShareSince(const MachineTicks& before)
{
    const MachineTicks now = machineTicks();
    if (before.total < 0 || now.total <= before.total)
        return -1;
    return static_cast<double>(now.stolen - before.stolen) / static_cast<double>(now.total - before.total);
}

LinkRayProcess::LinkRayProcess(QString binary, const QString& dataParent)
    : m_binary(std::move(binary))
    , m_dataDir(std::make_unique<QTemporaryDir>(QDir(dataParent).filePath(QStringLiteral("linkray-bench-XXXXXX"))))
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
        m_stdout += m_process.readAllStandardOutput();
        static const QRegularExpression listening(
            QStringLiteral("OCPP listening on ws://[^:]+:(\\d+)/.*started in (\\d+) ms"));
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch() && m_port == 0) {
            m_launchToListeningMs = static_cast<double>(m_sinceLaunch.nsecsElapsed()) / 1e6;
            m_port = match.captured(1).toUShort();
            m_reportedStartupMs = match.captured(2).toLongLong();
        }
    });
}

LinkRayProcess::~LinkRayProcess()
{
    stop();
}

bool LinkRayProcess::start(const QJsonObject& config)
{
    const QDir dir(m_dataDir->path());
    QFile file(dir.filePath(QStringLiteral("config.json")));
    if (!m_dataDir->isValid() || !file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0) {
        std::fprintf(stderr, "cannot write the linkray configuration in %s\n", qPrintable(m_dataDir->path()));
        return false;
    }
    file.close();
    m_stdout.clear();
    m_port = 0;
    m_launchToListeningMs = -1;
    m_reportedStartupMs = -1;
    m_process.setStandardErrorFile(dir.filePath(QStringLiteral("linkray.log")), QIODevice::Append);
    m_sinceLaunch.start();
    m_process.start(m_binary, {QStringLiteral("--config"), file.fileName(), QStringLiteral("--data-dir"), dir.path()});
    // Generous: linkray may run under valgrind.
    const bool listening = runUntil([this] { return m_port != 0 || m_process.state() == QProcess::NotRunning; }, 60000);
    if (listening && m_port != 0)
        return true;
    std::fprintf(stderr, "linkray did not start (%s); its log: %s\n", qPrintable(m_process.errorString()),
        qPrintable(dir.filePath(QStringLiteral("linkray.log"))));
    m_dataDir->setAutoRemove(false);
    return false;
}

bool LinkRayProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    m_process.terminate();
    const bool clean = m_process.waitForFinished(60000) && m_process.exitStatus() == QProcess::NormalExit
        && m_process.exitCode() == 0;
    if (!clean) {
        std::fprintf(stderr, "linkray did not exit cleanly; its log: %s/linkray.log\n", qPrintable(m_dataDir->path()));
        m_dataDir->setAutoRemove(false);
        m_process.kill();
        m_process.waitForFinished();
    }
    return clean;
}

QString LinkRayProcess::chargerUrl() const
{
    return QStringLiteral("ws://127.0.0.1:%1/ocpp").arg(m_port);
}

QString LinkRayProcess::databasePath() const
{
    return QDir(m_dataDir->path()).filePath(QStringLiteral("linkray.db"));
}

qint64 LinkRayProcess::outboxLength() const
{
    const QString connectionName = QStringLiteral("outbox-reader");
    qint64 length = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(databasePath());
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery query(QStringLiteral("SELECT count(*) FROM outbox"), db);
            if (query.next())
                length = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(connectionName);
    return length;
}

} // namespace linkray::bench
