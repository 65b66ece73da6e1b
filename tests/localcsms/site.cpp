#include "site.h"

#include <QMetaObject>
#include <QTest>

namespace linkray::localcsms::test {

ChargerLink::ChargerLink(Clock& clock, qint64 callTimeoutMs)
{
    ocpp::Endpoint::Options options;
    options.callTimeoutMs = callTimeoutMs;
    auto deliverTo = [this](std::unique_ptr<ocpp::Endpoint>& target) {
        return [this, &target](const QByteArray& text) {
            QMetaObject::invokeMethod(
                this, [&target, text] { target->handleIncoming(text); }, Qt::QueuedConnection);
        };
    };
    m_csmsSide = std::make_unique<ocpp::Endpoint>(clock, deliverTo(m_chargerSide), options);
    options.strictness = ocpp::Strictness::Strict;
    m_chargerSide = std::make_unique<ocpp::Endpoint>(clock, deliverTo(m_csmsSide), options);
    connect(m_chargerSide.get(), &ocpp::Endpoint::callReceived, this, [this](const ocpp::IncomingCall& call) {
        m_received.append(call);
        QList<QJsonObject>& answers = m_answers[call.action];
        if (answers.isEmpty())
            return;
        m_chargerSide->sendResult(call.uniqueId, answers.size() > 1 ? answers.takeFirst() : answers.first());
    });
}

ocpp::CallOutcome ChargerLink::call(const QString& action, const QJsonObject& payload)
{
    auto outcome = std::make_shared<std::optional<ocpp::CallOutcome>>();
    m_chargerSide->sendCall(action, payload, [outcome](const ocpp::CallOutcome& answer) { *outcome = answer; });
    if (!QTest::qWaitFor([outcome] { return outcome->has_value(); }, 5000))
        return ocpp::CallOutcome {ocpp::CallOutcome::Kind::Timeout, {}, QString(), QStringLiteral("no answer in 5 s")};
    return **outcome;
}

Site::Site(Policy policy)
{
    if (const auto error = storage::Database::open(database, storage::Database::filePathIn(directory.path())))
        qFatal("cannot open the test database: %s", qPrintable(*error));
    csms = std::make_unique<LocalCsms>(Context {clock, database, std::move(policy)});
    commands = std::make_unique<RemoteCommands>(*csms);
    localListSync = std::make_unique<LocalListSync>(*csms, *commands);
}

Site::~Site()
{
    localListSync.reset();
    commands.reset();
    csms.reset();
    m_links.clear();
}

Policy Site::knownChargersPolicy()
{
    Policy policy;
    policy.heartbeatIntervalSeconds = 300;
    policy.isKnownChargePoint = [](const QString& id) { return id.startsWith(QLatin1String("CP")); };
    return policy;
}

ChargerLink& Site::connect(const QString& chargePointId, qint64 callTimeoutMs)
{
    auto& link = m_links[chargePointId];
    link = std::make_unique<ChargerLink>(clock, callTimeoutMs);
    csms->attach(chargePointId, &link->csmsSide());
    return *link;
}

ChargerLink& Site::connectBooted(const QString& chargePointId)
{
    ChargerLink& link = connect(chargePointId);
    const auto outcome = link.call(bootRequest());
    if (outcome.kind != ocpp::CallOutcome::Kind::Result)
        qFatal("boot of %s failed: %s", qPrintable(chargePointId), qPrintable(describe(outcome)));
    return link;
}

ocpp::v16::BootNotificationRequest bootRequest()
{
    ocpp::v16::BootNotificationRequest request;
    request.chargePointVendor = QStringLiteral("Acme");
    request.chargePointModel = QStringLiteral("Wallbox 22");
    request.chargePointSerialNumber = QStringLiteral("SN-1");
    request.firmwareVersion = QStringLiteral("1.2.3");
    return request;
}

QString describe(const ocpp::CallOutcome& outcome)
{
    return QStringLiteral("kind %1 %2 %3")
        .arg(static_cast<int>(outcome.kind))
        .arg(outcome.errorCode, outcome.description);
}

} // namespace linkray::localcsms::test
