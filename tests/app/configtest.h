#pragma once

#include "app/config.h"

#include <QByteArray>
#include <QDebug>
#include <QStringList>

#include <algorithm>
#include <variant>

// Helpers shared by the configuration tests (tst_config, tst_siteconfig, tst_sitesetup).
namespace configtest {

using linkray::app::Config;
using linkray::app::ConfigError;
using linkray::app::ConfigResult;

inline QString describe(const QList<ConfigError>& errors)
{
    QStringList lines;
    for (const ConfigError& error : errors)
        lines.append(error.message());
    return lines.join(u'\n');
}

inline QList<ConfigError> errorsOf(const ConfigResult& result)
{
    const auto* errors = std::get_if<QList<ConfigError>>(&result);
    return errors ? *errors : QList<ConfigError> {};
}

// Prints the errors and returns a default configuration when the result is not a configuration.
inline Config configOf(const ConfigResult& result)
{
    if (const auto* config = std::get_if<Config>(&result))
        return *config;
    qWarning().noquote() << describe(errorsOf(result));
    return {};
}

inline bool containsError(const QList<ConfigError>& errors, const QString& path, const QString& reasonFragment)
{
    return std::any_of(errors.begin(), errors.end(),
        [&](const ConfigError& error) { return error.path == path && error.reason.contains(reasonFragment); });
}

// A version 1 document with the given members.
inline QByteArray doc(const QByteArray& members)
{
    return R"({"configVersion": 1, )" + members + '}';
}

// Rows of TestConfig::invalidConfigurationIsRejected_data() for the site, meter and balancing settings
// (configrows_site.cpp), kept apart so that no test file grows too long.
void addSiteConfigRows();

} // namespace configtest
