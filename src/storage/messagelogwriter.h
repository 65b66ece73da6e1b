#pragma once

#include "core/clock.h"
#include "storage/messagelogrepository.h"

#include <QList>
#include <QObject>

#include <memory>

namespace linkray::storage {

// Writes the OCPP message log in batches: a commit per frame would cost more than relaying it. Entries are committed
// once per interval, or as soon as a batch is full, and without an fsync (sql::UnsyncedCommits): a crash loses at
// most one interval of log, a power cut also the batches since the last durable commit, never a transaction.
class MessageLogWriter : public QObject {
    Q_OBJECT
public:
    struct Options {
        qint64 flushIntervalMs = 1000;
        int maxBatch = 500;
    };

    MessageLogWriter(Clock& clock, MessageLogRepository& repository, Options options);
    ~MessageLogWriter() override; // flushes what is buffered

    void append(const MessageLogEntry& entry);
    bool flush();
    int bufferedCount() const { return static_cast<int>(m_buffer.size()); }

private:
    MessageLogRepository& m_repository;
    Options m_options;
    std::unique_ptr<Timer> m_flushTimer;
    QList<MessageLogEntry> m_buffer;
};

} // namespace linkray::storage
