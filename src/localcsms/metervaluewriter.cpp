#include "localcsms/metervaluewriter.h"

#include "localcsms/logging.h"
#include "storage/sqlsupport.h"

#include <utility>

namespace linkray::localcsms {

MeterValueWriter::MeterValueWriter(storage::Database& database, QObject* parent)
    : QObject(parent)
    , m_database(database)
{
}

MeterValueWriter::~MeterValueWriter()
{
    flush();
}

void MeterValueWriter::enqueue(QList<storage::MeterSample> samples, Stored stored)
{
    m_pending.append({std::move(samples), std::move(stored)});
    if (m_pending.size() == 1)
        QMetaObject::invokeMethod(this, &MeterValueWriter::flush, Qt::QueuedConnection);
}

void MeterValueWriter::flush()
{
    if (m_pending.isEmpty())
        return;
    // Taken out first: a callback may lead to another enqueue, which belongs to the next batch.
    const QList<Pending> batch = std::exchange(m_pending, {});
    QList<bool> appended;
    appended.reserve(batch.size());
    bool committed = false;
    {
        storage::sql::WriteTransaction transaction(m_database.connection(), "append meter values of a turn");
        // Each message's append is a savepoint within it: one that does not fit (storage full) fails alone.
        storage::MeterValueRepository meterValues(m_database);
        for (const Pending& pending : batch)
            appended.append(transaction.isOpen() && meterValues.append(pending.samples));
        committed = transaction.commit();
    }
    if (!committed)
        qCWarning(lcLocalCsms) << "could not store the meter values of" << batch.size() << "messages";
    for (qsizetype i = 0; i < batch.size(); ++i)
        batch[i].stored(committed && appended[i]);
}

} // namespace linkray::localcsms
