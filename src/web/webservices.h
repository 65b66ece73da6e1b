#pragma once

#include "meter/meterdriver.h"
#include "storage/operatorlimitrepository.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace linkray::localcsms {
class RemoteCommands;
}

// What the HTTP API needs from the rest of LinkRay, provided by the app: the web module never includes app/.
namespace linkray::web {

// One reason the configuration was refused, naming the key, e.g. {"authorization.whitelist[2].status", "..."}.
struct ConfigFieldError {
    QString path;
    QString reason;
};

// The outcome of applyConfig: applied, refused by validation (fieldErrors), or not written (failure).
struct ConfigChange {
    QList<ConfigFieldError> fieldErrors;
    QString failure; // e.g. the file could not be written; the old configuration stays in force
    bool restartRequired = false; // applied: written, but parts of it take effect at the next start only

    bool applied() const { return fieldErrors.isEmpty() && failure.isEmpty(); }
};

// A site meter for a one-off test read, or why the configuration gives none.
struct TestMeter {
    QList<ConfigFieldError> fieldErrors;
    std::unique_ptr<meter::MeterDriver> driver; // not started; nullptr when refused
};

// What a change to an operator limit came to.
enum class LimitChange { Applied, UnknownChargePoint, UnknownGroup, NotStored };

struct WebServices {
    // Ids of the charge points connected now.
    std::function<QStringList()> connectedChargePoints;
    // Commands to chargers; nullptr when LinkRay cannot send any (commands answer 503).
    localcsms::RemoteCommands* commands = nullptr;
    // Balancer status, limits and live load, passed through as GET /api/v1/site.
    std::function<QJsonObject()> siteStatus;
    // The configuration file's content as JSON, and a change to it: validated, written atomically, put in force.
    std::function<QJsonObject()> currentConfig;
    std::function<ConfigChange(const QJsonObject& newConfig)> applyConfig;
    // The meter of a whole configuration (the current one with its meter section replaced), validated as applyConfig
    // validates, polled every `timeoutMs`; unset: the meter test read answers 503.
    std::function<TestMeter(const QJsonObject& config, qint64 timeoutMs)> testMeter;
    // The site's dynamic limit (empty charge point id) and the balanced chargers' manual limits in force, set and
    // removed through the balancer (docs/balancing.md); unset: the limit endpoints answer 503.
    std::function<std::optional<storage::OperatorLimitRecord>(const QString& chargePointId)> operatorLimit;
    std::function<LimitChange(const storage::OperatorLimitRecord& limit)> setOperatorLimit;
    std::function<LimitChange(const QString& chargePointId)> clearOperatorLimit;
    // A group's manual limit in force (set through setOperatorLimit with its groupId) and its removal; unset: the
    // group limit endpoints answer 503.
    std::function<std::optional<storage::OperatorLimitRecord>(const QString& groupId)> groupLimit;
    std::function<LimitChange(const QString& groupId)> clearGroupLimit;
    std::function<bool(const QString& groupId)> isGroup; // a group of the site's configuration
    // Whether LinkRay balances the charge point, so that it may have a manual limit.
    std::function<bool(const QString& chargePointId)> isBalanced;
};

} // namespace linkray::web
