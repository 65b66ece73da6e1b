#pragma once

#include "app/config.h"
#include "balancer/sitemodel.h"
#include "meter/meterdriver.h"
#include "upstream/upstreamconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace linkray {
class Clock;
} // namespace linkray

// The validated configuration turned into what the balancer, the meter module and the CSMS proxy work with.
namespace linkray::app {

/// The balancer's model of the site: its limits, its groups, and one charger per connector of every configured charge
/// point, each connector with its charge point's balancing settings. The configuration does not list connectors:
/// `connectorCounts` maps a charge point id to how many it has (as it reports them; StatusNotification or the
/// NumberOfConnectors key); a charge point missing there, or with a count below 1, is modelled with connector 1.
/// Charge points that are not configured are not in the model: a meter counts their draw as the house's.
balancer::SiteModel siteModelFromConfig(const Config& config, const QHash<QString, int>& connectorCounts);

/// The site meter's driver, not started: a StaticMeter for type none, an HttpJsonMeter for http-json, a ModbusMeter
/// otherwise. Returns nullptr and sets *error ("meter.<key>: reason") when the register map or the settings cannot be
/// used.
std::unique_ptr<meter::MeterDriver> meterFromConfig(const MeterConfig& config, Clock& clock, QString* error);

/// The meter of `config` (a whole configuration as JSON, validated as at load) for a one-off test read: polled every
/// `timeoutMs`, so that a poll without an answer by then counts as missed. Returns nullptr with `errors` filled in
/// when the configuration is refused or its meter cannot be built.
std::unique_ptr<meter::MeterDriver> meterForTestRead(
    const QJsonObject& config, Clock& clock, qint64 timeoutMs, QList<ConfigError>& errors);

/// Whether a charge point is relayed to a CSMS: in online mode, when it has a CSMS URL (its own csms.url, else the
/// site's) and, with credentials "configured", a password. A charge point not in `chargePoints` follows the csms
/// section, so with "configured" credentials it has no password and is served locally.
bool isProxied(const Config& config, const QString& chargePointId);

/// The connection to the CSMS for one charge point, with its effective URL and credentials. `chargerAuthorization` is
/// the Authorization header the charger sent LinkRay (empty = none); it is passed on only with "pass-through".
/// For a charge point that is not proxied (isProxied() false) the result is not meant to be opened.
upstream::UpstreamConnection::Options upstreamOptions(
    const Config& config, const QString& chargePointId, const QByteArray& chargerAuthorization);

/// The relay's settings from the csms section, in the units the proxy counts in.
struct ProxySettings {
    qint64 answerTimeoutMs = 0; // then LinkRay answers a relayed charger call itself
    qint64 firstFrameWaitMs = 0; // a new charger's first frames wait this long for its upstream to open
    int replayAttempts = 0; // unanswered replays of one outbox message before it is held for the operator
    int outboxMaxMessages = 0;
    int firstProvisionalTransactionId = 0; // local transaction ids during an outage count up from here
};

ProxySettings proxySettings(const Config& config);

} // namespace linkray::app
