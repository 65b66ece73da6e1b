#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// The charge point's configuration keys as GetConfiguration / ChangeConfiguration see them.
namespace linkray::sim {

class ConfigurationStore {
public:
    enum class Access { ReadOnly, ReadWrite, WriteOnly };
    enum class ChangeStatus { Accepted, Rejected, NotSupported };

    struct Entry {
        QString key;
        QString value;
        bool readOnly;
    };

    // `validate` checks a new value of a writable key; none accepts anything.
    void define(
        const QString& key, const QString& value, Access access, std::function<bool(const QString&)> validate = {});

    // The readable entries among `keys` (all of them when `keys` is empty); unknown or write-only keys go to `unknown`.
    QList<Entry> read(const QStringList& keys, QStringList& unknown) const;
    ChangeStatus change(const QString& key, const QString& value);

    QString value(const QString& key) const;
    int intValue(const QString& key) const { return value(key).toInt(); }
    bool boolValue(const QString& key) const
    {
        return value(key).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    }

    static bool isNonNegativeInteger(const QString& value);
    static bool isBoolean(const QString& value);

private:
    struct Slot {
        QString value;
        Access access = Access::ReadOnly;
        std::function<bool(const QString&)> validate;
    };
    QMap<QString, Slot> m_slots;
};

} // namespace linkray::sim
