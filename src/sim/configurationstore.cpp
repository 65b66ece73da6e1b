#include "sim/configurationstore.h"

namespace linkray::sim {

void ConfigurationStore::define(
    const QString& key, const QString& value, Access access, std::function<bool(const QString&)> validate)
{
    m_slots.insert(key, Slot {value, access, std::move(validate)});
}

QList<ConfigurationStore::Entry> ConfigurationStore::read(const QStringList& keys, QStringList& unknown) const
{
    QList<Entry> entries;
    const QStringList wanted = keys.isEmpty() ? m_slots.keys() : keys;
    for (const QString& key : wanted) {
        const auto slot = m_slots.constFind(key);
        if (slot == m_slots.cend() || slot->access == Access::WriteOnly) {
            if (!keys.isEmpty())
                unknown.append(key);
            continue;
        }
        entries.append(Entry {key, slot->value, slot->access == Access::ReadOnly});
    }
    return entries;
}

ConfigurationStore::ChangeStatus ConfigurationStore::change(const QString& key, const QString& value)
{
    const auto slot = m_slots.find(key);
    if (slot == m_slots.end())
        return ChangeStatus::NotSupported;
    if (slot->access == Access::ReadOnly || (slot->validate && !slot->validate(value)))
        return ChangeStatus::Rejected;
    slot->value = value;
    return ChangeStatus::Accepted;
}

QString ConfigurationStore::value(const QString& key) const
{
    return m_slots.value(key).value;
}

bool ConfigurationStore::isNonNegativeInteger(const QString& value)
{
    bool ok = false;
    return value.toInt(&ok) >= 0 && ok;
}

bool ConfigurationStore::isBoolean(const QString& value)
{
    return value.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0
        || value.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0;
}

} // namespace linkray::sim
