#include "site.h"

#include <QTest>

using namespace linkray;
using namespace linkray::localcsms;
using namespace linkray::localcsms::test;
namespace v16 = linkray::ocpp::v16;

namespace {

// Collects the result of one command.
template<class Request> struct Collected {
    std::shared_ptr<std::optional<CommandResult<typename Request::Response>>> result
        = std::make_shared<std::optional<CommandResult<typename Request::Response>>>();

    CommandCallback<Request> callback() const
    {
        return [result = result](const CommandResult<typename Request::Response>& answer) { *result = answer; };
    }
    bool done() const { return result->has_value(); }
    const CommandResult<typename Request::Response>& operator*() const { return **result; }
    const CommandResult<typename Request::Response>* operator->() const { return &**result; }
};

QJsonObject statusAccepted()
{
    return QJsonObject {{QStringLiteral("status"), QStringLiteral("Accepted")}};
}

} // namespace

// Commands the operator sends to a charger through RemoteCommands, with the charger side answering.
class TestRemoteCommands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void remoteStartPicksAvailableConnector();
    void remoteStopFindsTheCharger();
    void remoteStopOfUnknownTransaction();
    void reset();
    void getConfiguration();
    void callErrorIsReported();
    void timeoutIsReported();
    void notConnected();

private:
    std::unique_ptr<Site> m_site;
    ChargerLink* m_link = nullptr;
};

void TestRemoteCommands::init()
{
    Policy policy = Site::knownChargersPolicy();
    policy.pushLocalList = false;
    m_site = std::make_unique<Site>(policy);
    m_link = &m_site->connectBooted(QStringLiteral("CP1"));
}

void TestRemoteCommands::remoteStartPicksAvailableConnector()
{
    for (const auto& [connectorId, status] : {std::pair {1, "Charging"}, std::pair {2, "Available"}}) {
        v16::StatusNotificationRequest notification;
        notification.connectorId = connectorId;
        notification.errorCode = QStringLiteral("NoError");
        notification.status = QLatin1String(status);
        QCOMPARE(m_link->call(notification).kind, ocpp::CallOutcome::Kind::Result);
    }
    m_link->answer(QStringLiteral("RemoteStartTransaction"), statusAccepted());

    Collected<v16::RemoteStartTransactionRequest> collected;
    m_site->commands->remoteStart(QStringLiteral("CP1"), QStringLiteral("GOOD"), collected.callback());
    QTRY_VERIFY(collected.done());
    QVERIFY2(collected->ok(), qPrintable(collected->description));
    QCOMPARE(collected->response->status, QStringLiteral("Accepted"));
    QCOMPARE(m_link->received().size(), 1);
    const auto sent = v16::RemoteStartTransactionRequest::fromJson(m_link->received().first().payload);
    QCOMPARE(sent.idTag, QStringLiteral("GOOD"));
    QCOMPARE(sent.connectorId, std::optional<qint64>(2));
}

void TestRemoteCommands::remoteStopFindsTheCharger()
{
    v16::StartTransactionRequest start;
    start.connectorId = 1;
    start.idTag = QStringLiteral("GOOD");
    start.meterStart = 0;
    start.timestamp = m_site->clock.nowUtc();
    const auto started = v16::StartTransactionResponse::fromJson(m_link->call(start).payload);
    m_link->answer(QStringLiteral("RemoteStopTransaction"), statusAccepted());

    Collected<v16::RemoteStopTransactionRequest> collected;
    m_site->commands->remoteStop(started.transactionId, collected.callback());
    QTRY_VERIFY(collected.done());
    QVERIFY2(collected->ok(), qPrintable(collected->description));
    QCOMPARE(m_link->received().size(), 1);
    QCOMPARE(v16::RemoteStopTransactionRequest::fromJson(m_link->received().first().payload).transactionId,
        started.transactionId);
}

void TestRemoteCommands::remoteStopOfUnknownTransaction()
{
    Collected<v16::RemoteStopTransactionRequest> collected;
    m_site->commands->remoteStop(99, collected.callback());
    QVERIFY(collected.done());
    QCOMPARE(collected->failure, CommandFailure::UnknownTransaction);
    QVERIFY(m_link->received().isEmpty());
}

void TestRemoteCommands::reset()
{
    m_link->answer(QStringLiteral("Reset"), statusAccepted());
    v16::ResetRequest request;
    request.type = QStringLiteral("Soft");
    Collected<v16::ResetRequest> collected;
    m_site->commands->send(QStringLiteral("CP1"), request, collected.callback());
    QTRY_VERIFY(collected.done());
    QVERIFY2(collected->ok(), qPrintable(collected->description));
    QCOMPARE(collected->response->status, QStringLiteral("Accepted"));
    QCOMPARE(v16::ResetRequest::fromJson(m_link->received().first().payload).type, QStringLiteral("Soft"));
}

void TestRemoteCommands::getConfiguration()
{
    v16::GetConfigurationResponse configuration;
    v16::KeyValue heartbeat;
    heartbeat.key = QStringLiteral("HeartbeatInterval");
    heartbeat.readonly = false;
    heartbeat.value = QStringLiteral("300");
    configuration.configurationKey = QList<v16::KeyValue> {heartbeat};
    configuration.unknownKey = QList<QString> {QStringLiteral("Foo")};
    m_link->answer(QStringLiteral("GetConfiguration"), configuration.toJson());

    v16::GetConfigurationRequest request;
    request.key = QList<QString> {QStringLiteral("HeartbeatInterval"), QStringLiteral("Foo")};
    Collected<v16::GetConfigurationRequest> collected;
    m_site->commands->send(QStringLiteral("CP1"), request, collected.callback());
    QTRY_VERIFY(collected.done());
    QVERIFY2(collected->ok(), qPrintable(collected->description));
    QCOMPARE(*collected->response, configuration);
}

void TestRemoteCommands::callErrorIsReported()
{
    QObject::connect(
        &m_link->chargerSide(), &ocpp::Endpoint::callReceived, this, [this](const ocpp::IncomingCall& call) {
            m_link->chargerSide().sendError(
                call.uniqueId, ocpp::ErrorCode::NotSupported, QStringLiteral("no connector 3"));
        });
    v16::UnlockConnectorRequest request;
    request.connectorId = 3;
    Collected<v16::UnlockConnectorRequest> collected;
    m_site->commands->send(QStringLiteral("CP1"), request, collected.callback());
    QTRY_VERIFY(collected.done());
    QCOMPARE(collected->failure, CommandFailure::CallError);
    QCOMPARE(collected->errorCode, QStringLiteral("NotSupported"));
    QCOMPARE(collected->description, QStringLiteral("no connector 3"));
}

void TestRemoteCommands::timeoutIsReported()
{
    ChargerLink& silent = m_site->connect(QStringLiteral("CP2"), 10000);
    Collected<v16::ClearCacheRequest> collected;
    m_site->commands->send(QStringLiteral("CP2"), v16::ClearCacheRequest {}, collected.callback());
    QTRY_COMPARE(silent.received().size(), 1);
    QVERIFY(!collected.done());
    m_site->clock.advance(10001);
    QTRY_VERIFY(collected.done());
    QCOMPARE(collected->failure, CommandFailure::Timeout);
}

void TestRemoteCommands::notConnected()
{
    Collected<v16::ClearCacheRequest> collected;
    m_site->commands->send(QStringLiteral("CP9"), v16::ClearCacheRequest {}, collected.callback());
    QVERIFY(collected.done());
    QCOMPARE(collected->failure, CommandFailure::NotConnected);

    m_site->csms->detach(QStringLiteral("CP1"));
    Collected<v16::ClearCacheRequest> detached;
    m_site->commands->send(QStringLiteral("CP1"), v16::ClearCacheRequest {}, detached.callback());
    QVERIFY(detached.done());
    QCOMPARE(detached->failure, CommandFailure::NotConnected);
}

QTEST_GUILESS_MAIN(TestRemoteCommands)
#include "tst_remotecommands.moc"
