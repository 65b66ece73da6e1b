#include "ocpp/catalogue.h"

#include <QHash>

namespace linkray::ocpp {

const ActionInfo* findAction(const QString& name)
{
    static const QHash<QString, const ActionInfo*> byName = [] {
        QHash<QString, const ActionInfo*> index;
        for (const ActionInfo& action : allActions())
            index.insert(action.name, &action);
        return index;
    }();
    return byName.value(name, nullptr);
}

} // namespace linkray::ocpp
