#pragma once

#include <QString>

#include <optional>

// Who may do what through the HTTP API.
namespace linkray::web {

enum class Role { Viewer, Operator, Admin };

// What an endpoint needs: reading, operating chargers and the whitelist, or administering users.
enum class Permission { Read, Operate, Administer };

QString roleName(Role role);
std::optional<Role> roleFromName(const QString& name);
bool grants(Role role, Permission permission);

} // namespace linkray::web
