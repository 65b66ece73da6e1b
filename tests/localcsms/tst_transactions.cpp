#include "site.h"

#include <QTest>

using namespace linkray;
using namespace linkray::localcsms;
using namespace linkray::localcsms::test;
namespace v16 = linkray::ocpp::v16;
using Kind = ocpp::CallOutcome::Kind;

namespace {

v16::StartTransactionRequest startRequest(
    const QDateTime& at, int connectorId = 1, const QString& idTag = QStringLiteral("GOOD"), qint64 meterStart = 1000)
{
    v16::StartTransactionRequest request;
    request.connectorId = connectorId;
    request.idTag = idTag;
    request.meterStart = meterStart;
    request.timestamp = at;
    return request;
}

v16::SampledValue sampled(const QString& value, std::optional<QString> measurand = {}, std::optional<QString> unit = {})
{
    v16::SampledValue sample;
    sample.value = value;
    sample.measurand = measurand;
    sample.unit = unit;
    return sample;
}

v16::MeterValue meterValue(const QDateTime& at, const QList<v16::SampledValue>& values)
{
    v16::MeterValue meter;
    meter.timestamp = at;
    meter.sampledValue = values;
    return meter;
}

} // namespace

// Transactions as the charger and the operator see them: ids, meter values, stops, retries.
class TestTransactions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void fullTransaction();
    void startIsStoredWhateverTheTag();
    void retriedStartGetsTheSameId();
    void newStartClosesAbandonedTransaction();
    void sameTagOnAnotherConnectorIsConcurrent();
    void retriedStopIsAnsweredOnce();
    void stopOfUnknownTransactionIsAnswered();
    void signedDataIsStoredRaw();
    void meterValuesArrivingTogetherAreStoredBeforeTheyAreAnswered();

private:
    std::unique_ptr<Site> m_site;
    ChargerLink* m_link = nullptr;
};

void TestTransactions::init()
{
    m_site = std::make_unique<Site>();
    storage::IdTagRecord tag;
    tag.idTag = QStringLiteral("GOOD");
    QVERIFY(storage::IdTagRepository(m_site->database).upsert(tag));
    m_link = &m_site->connectBooted(QStringLiteral("CP1"));
}

void TestTransactions::fullTransaction()
{
    const QDateTime startAt = m_site->clock.nowUtc();
    const auto started = m_link->call(startRequest(startAt));
    QVERIFY2(started.kind == Kind::Result, qPrintable(describe(started)));
    const auto startResponse = v16::StartTransactionResponse::fromJson(started.payload);
    QCOMPARE(startResponse.idTagInfo.status, QStringLiteral("Accepted"));
    const qint64 id = startResponse.transactionId;

    v16::MeterValuesRequest meterValues;
    meterValues.connectorId = 1;
    meterValues.transactionId = id;
    meterValues.meterValue = {meterValue(startAt.addSecs(60),
        {sampled(QStringLiteral("1500")),
            sampled(QStringLiteral("16.1"), QStringLiteral("Current.Import"), QStringLiteral("A"))})};
    QCOMPARE(m_link->call(meterValues).kind, Kind::Result);

    v16::StopTransactionRequest stop;
    stop.transactionId = id;
    stop.meterStop = 2400;
    stop.timestamp = startAt.addSecs(120);
    stop.idTag = QStringLiteral("GOOD");
    stop.reason = QStringLiteral("EVDisconnected");
    stop.transactionData = QList<v16::MeterValue> {
        meterValue(startAt.addSecs(120), {sampled(QStringLiteral("2.4"), {}, QStringLiteral("kWh"))})};
    const auto stopped = m_link->call(stop);
    QVERIFY2(stopped.kind == Kind::Result, qPrintable(describe(stopped)));
    QCOMPARE(v16::StopTransactionResponse::fromJson(stopped.payload).idTagInfo->status, QStringLiteral("Accepted"));

    const auto stored = storage::TransactionRepository(m_site->database).find(id);
    QVERIFY(stored);
    QCOMPARE(stored->meterStartWh, qint64(1000));
    QCOMPARE(stored->meterStopWh, std::optional<qint64>(2400));
    QCOMPARE(stored->stopReason, QStringLiteral("EVDisconnected"));
    QCOMPARE(stored->stoppedAt, std::optional(startAt.addSecs(120)));

    const auto samples = storage::MeterValueRepository(m_site->database).forTransaction(id);
    QCOMPARE(samples.size(), 3);
    QCOMPARE(samples.at(0).measurand, QStringLiteral("Energy.Active.Import.Register"));
    QCOMPARE(samples.at(0).unit, QStringLiteral("Wh"));
    QCOMPARE(samples.at(0).context, QStringLiteral("Sample.Periodic"));
    QCOMPARE(samples.at(0).value, std::optional<double>(1500));
    QCOMPARE(samples.at(1).measurand, QStringLiteral("Current.Import"));
    QCOMPARE(samples.at(1).value, std::optional<double>(16.1));
    QCOMPARE(samples.at(2).unit, QStringLiteral("kWh"));
    QCOMPARE(samples.at(2).connectorId, 1);
}

void TestTransactions::startIsStoredWhateverTheTag()
{
    const auto started = m_link->call(startRequest(m_site->clock.nowUtc(), 1, QStringLiteral("NOBODY")));
    QVERIFY2(started.kind == Kind::Result, qPrintable(describe(started)));
    const auto response = v16::StartTransactionResponse::fromJson(started.payload);
    QCOMPARE(response.idTagInfo.status, QStringLiteral("Invalid"));
    QVERIFY(storage::TransactionRepository(m_site->database).find(response.transactionId));
}

void TestTransactions::retriedStartGetsTheSameId()
{
    const auto request = startRequest(m_site->clock.nowUtc());
    const auto first = m_link->call(request);
    m_site->clock.advance(30000);
    const auto retry = m_link->call(request);
    QVERIFY2(retry.kind == Kind::Result, qPrintable(describe(retry)));

    const auto firstResponse = v16::StartTransactionResponse::fromJson(first.payload);
    const auto retryResponse = v16::StartTransactionResponse::fromJson(retry.payload);
    QCOMPARE(retryResponse.transactionId, firstResponse.transactionId);
    QCOMPARE(retryResponse.idTagInfo.status, QStringLiteral("Accepted"));
    QCOMPARE(storage::TransactionRepository(m_site->database).list().size(), 1);
}

void TestTransactions::newStartClosesAbandonedTransaction()
{
    const QDateTime startAt = m_site->clock.nowUtc();
    const auto first = v16::StartTransactionResponse::fromJson(m_link->call(startRequest(startAt)).payload);
    v16::MeterValuesRequest meterValues;
    meterValues.connectorId = 1;
    meterValues.transactionId = first.transactionId;
    meterValues.meterValue
        = {meterValue(startAt.addSecs(60), {sampled(QStringLiteral("1.7"), {}, QStringLiteral("kWh"))})};
    QCOMPARE(m_link->call(meterValues).kind, Kind::Result);

    const auto second = m_link->call(startRequest(startAt.addSecs(600), 1, QStringLiteral("GOOD"), 5000));
    QVERIFY2(second.kind == Kind::Result, qPrintable(describe(second)));
    const auto secondResponse = v16::StartTransactionResponse::fromJson(second.payload);
    QVERIFY(secondResponse.transactionId != first.transactionId);
    QCOMPARE(secondResponse.idTagInfo.status, QStringLiteral("Accepted"));

    const auto closed = storage::TransactionRepository(m_site->database).find(first.transactionId);
    QVERIFY(closed);
    QVERIFY(!closed->active());
    QCOMPARE(closed->stopReason, QStringLiteral("Other"));
    QCOMPARE(closed->meterStopWh, std::optional<qint64>(1700));
}

void TestTransactions::sameTagOnAnotherConnectorIsConcurrent()
{
    QCOMPARE(m_link->call(startRequest(m_site->clock.nowUtc(), 1)).kind, Kind::Result);
    ChargerLink& other = m_site->connectBooted(QStringLiteral("CP2"));
    const auto second = other.call(startRequest(m_site->clock.nowUtc(), 1));
    QVERIFY2(second.kind == Kind::Result, qPrintable(describe(second)));
    QCOMPARE(v16::StartTransactionResponse::fromJson(second.payload).idTagInfo.status, QStringLiteral("ConcurrentTx"));
    QCOMPARE(storage::TransactionRepository(m_site->database).active().size(), 2);
}

void TestTransactions::retriedStopIsAnsweredOnce()
{
    const auto started
        = v16::StartTransactionResponse::fromJson(m_link->call(startRequest(m_site->clock.nowUtc())).payload);
    v16::StopTransactionRequest stop;
    stop.transactionId = started.transactionId;
    stop.meterStop = 1800;
    stop.timestamp = m_site->clock.nowUtc().addSecs(300);
    stop.transactionData = QList<v16::MeterValue> {meterValue(stop.timestamp, {sampled(QStringLiteral("1800"))})};

    QCOMPARE(m_link->call(stop).kind, Kind::Result);
    const auto retry = m_link->call(stop);
    QVERIFY2(retry.kind == Kind::Result, qPrintable(describe(retry)));
    QCOMPARE(storage::MeterValueRepository(m_site->database).forTransaction(started.transactionId).size(), 1);
    QCOMPARE(storage::TransactionRepository(m_site->database).find(started.transactionId)->meterStopWh,
        std::optional<qint64>(1800));
}

void TestTransactions::stopOfUnknownTransactionIsAnswered()
{
    v16::StopTransactionRequest stop;
    stop.transactionId = 4711;
    stop.meterStop = 100;
    stop.timestamp = m_site->clock.nowUtc();
    stop.idTag = QStringLiteral("GOOD");

    const auto outcome = m_link->call(stop);
    QVERIFY2(outcome.kind == Kind::Result, qPrintable(describe(outcome)));
    QCOMPARE(v16::StopTransactionResponse::fromJson(outcome.payload).idTagInfo->status, QStringLiteral("Accepted"));
    const auto events = storage::EventRepository(m_site->database).recent(QStringLiteral("CP1"));
    QCOMPARE(events.size(), 1);
    QCOMPARE(v16::StopTransactionRequest::fromJson(events.first().details).transactionId, qint64(4711));
}

void TestTransactions::signedDataIsStoredRaw()
{
    const auto started
        = v16::StartTransactionResponse::fromJson(m_link->call(startRequest(m_site->clock.nowUtc())).payload);
    v16::SampledValue signedValue = sampled(QStringLiteral("AB12CD"));
    signedValue.format = QStringLiteral("SignedData");
    v16::MeterValuesRequest meterValues;
    meterValues.connectorId = 1;
    meterValues.transactionId = started.transactionId;
    meterValues.meterValue = {meterValue(m_site->clock.nowUtc(), {signedValue})};
    QCOMPARE(m_link->call(meterValues).kind, Kind::Result);

    const auto samples = storage::MeterValueRepository(m_site->database).forTransaction(started.transactionId);
    QCOMPARE(samples.size(), 1);
    QCOMPARE(samples.first().rawValue, QStringLiteral("AB12CD"));
    QCOMPARE(samples.first().value, std::optional<double>());
}

// MeterValues of several chargers in one event-loop turn are committed together; none is answered before its
// samples are stored.
void TestTransactions::meterValuesArrivingTogetherAreStoredBeforeTheyAreAnswered()
{
    const QDateTime at = m_site->clock.nowUtc();
    const QList<ChargerLink*> links {
        m_link, &m_site->connectBooted(QStringLiteral("CP2")), &m_site->connectBooted(QStringLiteral("CP3"))};
    QList<qsizetype> samplesStoredWhenAnswered;
    for (ChargerLink* link : links) {
        const qint64 id = v16::StartTransactionResponse::fromJson(link->call(startRequest(at)).payload).transactionId;
        v16::MeterValuesRequest meterValues;
        meterValues.connectorId = 1;
        meterValues.transactionId = id;
        meterValues.meterValue = {meterValue(at.addSecs(60), {sampled(QStringLiteral("1500"))})};
        link->chargerSide().sendCall(QLatin1String(v16::MeterValuesRequest::action), meterValues.toJson(),
            [this, id, &samplesStoredWhenAnswered](const ocpp::CallOutcome& outcome) {
                samplesStoredWhenAnswered.append(outcome.kind == Kind::Result
                        ? storage::MeterValueRepository(m_site->database).forTransaction(id).size()
                        : -1);
            });
    }
    QTRY_COMPARE(samplesStoredWhenAnswered.size(), links.size());
    QCOMPARE(samplesStoredWhenAnswered, (QList<qsizetype> {1, 1, 1}));
}

QTEST_GUILESS_MAIN(TestTransactions)
#include "tst_transactions.moc"
