#include "storage/metervaluerepository.h"

#include "storage/sqlsupport.h"

namespace linkray::storage {

bool MeterValueRepository::append(const QList<MeterSample>& samples)
{
    if (samples.isEmpty())
        return true;
    QSqlDatabase& db = m_db.connection();
    sql::WriteTransaction transaction(db, "append meter values");
    if (!transaction.isOpen())
        return false;
    QSqlQuery insert(db);
    for (const MeterSample& sample : samples) {
        if (!sql::execute(insert, QStringLiteral(R"(
                INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, timestamp, measurand, phase,
                                          unit, context, location, raw_value, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))"),
                {sample.chargePointId, sample.connectorId, sql::fromOptional(sample.transactionId),
                    sql::fromTime(sample.timestamp), sample.measurand, sample.phase, sample.unit, sample.context,
                    sample.location, sample.rawValue, sql::fromOptional(sample.value)},
                "append meter values"))
            return false;
    }
    return transaction.commit();
}

QList<MeterSample> MeterValueRepository::forTransaction(qint64 transactionId) const
{
    QList<MeterSample> samples;
    QSqlQuery query(m_db.connection());
    if (!sql::execute(query, QStringLiteral(R"(
            SELECT charge_point_id, connector_id, transaction_id, timestamp, measurand, phase, unit, context, location,
                   raw_value, value
            FROM meter_values WHERE transaction_id = ? ORDER BY timestamp, id)"),
            {transactionId}, "list meter values of transaction"))
        return samples;
    while (query.next()) {
        MeterSample sample;
        sample.chargePointId = query.value(0).toString();
        sample.connectorId = query.value(1).toInt();
        sample.transactionId = sql::toOptional<qint64>(query.value(2));
        sample.timestamp = sql::toTime(query.value(3));
        sample.measurand = query.value(4).toString();
        sample.phase = query.value(5).toString();
        sample.unit = query.value(6).toString();
        sample.context = query.value(7).toString();
        sample.location = query.value(8).toString();
        sample.rawValue = query.value(9).toString();
        sample.value = sql::toOptional<double>(query.value(10));
        samples.append(sample);
    }
    return samples;
}

} // namespace linkray::storage
