#pragma once

#include "storage/database.h"
#include "storage/metervaluerepository.h"

#include <QList>
#include <QObject>

#include <functional>

namespace linkray::localcsms {

// Group commit for the samples of the MeterValues LinkRay answers. With synchronous=FULL each commit is an fsync, and
// during an outage every MeterValues has already cost one in the outbox before it gets here: a commit of its own
// doubled the disk's work. What arrives during one event-loop turn is stored in one transaction at the start of the
// next (or earlier, by flush(), before anything reads the samples), then every caller is told.
class MeterValueWriter : public QObject {
    Q_OBJECT
public:
    // Runs once the samples are durable (true), or could not be stored (false: nothing may then be acknowledged).
    using Stored = std::function<void(bool stored)>;

    explicit MeterValueWriter(storage::Database& database, QObject* parent = nullptr);
    ~MeterValueWriter() override; // flushes, so callbacks must not outlive the writer

    void enqueue(QList<storage::MeterSample> samples, Stored stored);
    // Commits what is pending now, then runs its callbacks.
    void flush();

private:
    struct Pending {
        QList<storage::MeterSample> samples;
        Stored stored;
    };

    storage::Database& m_database;
    QList<Pending> m_pending;
};

} // namespace linkray::localcsms
