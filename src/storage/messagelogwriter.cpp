#include "storage/messagelogwriter.h"

#include "storage/logging.h"

namespace linkray::storage {

MessageLogWriter::MessageLogWriter(Clock& clock, MessageLogRepository& repository, Options options)
    : m_repository(repository)
    , m_options(options)
    , m_flushTimer(clock.createTimer())
{
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer.get(), &Timer::timeout, this, &MessageLogWriter::flush);
}

MessageLogWriter::~MessageLogWriter()
{
    flush();
}

void MessageLogWriter::append(const MessageLogEntry& entry)
{
    m_buffer.append(entry);
    if (m_buffer.size() >= m_options.maxBatch)
        flush();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start(m_options.flushIntervalMs);
}

bool MessageLogWriter::flush()
{
    m_flushTimer->stop();
    if (m_buffer.isEmpty())
        return true;
    const bool written = m_repository.append(m_buffer);
    if (!written)
        qCWarning(lcStorage) << "dropped" << m_buffer.size() << "message log entries that could not be written";
    m_buffer.clear();
    return written;
}

} // namespace linkray::storage
