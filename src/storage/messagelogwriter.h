#pragma once

#include "core/clock.h"
#include "storage/messagelogrepository.h"

#include <QList>
#include <QObject>

#include <memory>

namespace linkray::storage {

// Writes the OCPP message log in batches. With synchronous=FULL every commit costs an fsync (a few hundred per second
// on a plain disk), and the log must not take that budget from the transactions it records: entries are committed
// once per interval, or as soon as a batch is full. A crash loses at most one interval of log, never a transaction.
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
