#include "web/roles.h"

namespace linkray::web {

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer:
        return QStringLiteral("viewer");
    case Role::Operator:
        return QStringLiteral("operator");
    case Role::Admin:
        break;
    }
    return QStringLiteral("admin");
}

std::optional<Role> roleFromName(const QString& name)
{
    for (const Role role : {Role::Viewer, Role::Operator, Role::Admin}) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

bool grants(Role role, Permission permission)
{
    switch (permission) {
    case Permission::Read:
        return true;
    case Permission::Operate:
        return role != Role::Viewer;
    case Permission::Administer:
        break;
    }
    return role == Role::Admin;
}

} // namespace linkray::web
