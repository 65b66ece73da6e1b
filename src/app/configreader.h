#pragma once

#include "app/config.h"
#include "app/configchoices.h"

#include <QHash>
#include <QJsonObject>
#include <QLatin1String>
#include <QStringList>

#include <array>
#include <functional>
#include <optional>

// Typed readers for the fields of one JSON object: each stores a valid value in its target or records a ConfigError
// with the key's full path, so the section parsers read like a table of keys.
namespace linkray::app {

// Returns why a text value is not acceptable, or an empty string when it is.
using TextCheck = std::function<QString(const QString& value)>;

class FieldReader {
public:
    FieldReader(const QJsonObject& object, QString path, QList<ConfigError>& errors);

    // The readers leave the target unchanged when the key is absent, and return false only when they recorded an error.
    bool integer(QLatin1String key, int& target, int min, int max);
    bool integer(QLatin1String key, std::optional<int>& target, int min, int max);
    bool boolean(QLatin1String key, bool& target);
    bool boolean(QLatin1String key, std::optional<bool>& target);
    // Any JSON number in [min, max], fractions included.
    bool number(QLatin1String key, double& target, double min, double max);
    bool number(QLatin1String key, std::optional<double>& target, double min, double max);
    // One number in [min, max] for all three phases, or an array of three such numbers for L1, L2, L3.
    bool phaseValues(QLatin1String key, PhaseCurrents& target, double min, double max);
    bool text(QLatin1String key, QString& target, int minLength, int maxLength, const TextCheck& check = {});
    bool hostAddress(QLatin1String key, QHostAddress& target);
    bool dateTime(QLatin1String key, QDateTime& target);
    template<typename E, std::size_t N>
    bool choice(QLatin1String key, E& target, const std::array<Choice<E>, N>& choices);
    // A choice among names known only at run time (e.g. the built-in meter maps).
    bool choice(QLatin1String key, QString& target, const QStringList& names);

    // Reads a nested object; its unknown keys are reported when readFields returns.
    void object(QLatin1String key, const std::function<void(FieldReader&)>& readFields);
    // Reads an array of objects, one FieldReader per item (path "key[i]").
    void objects(QLatin1String key, const std::function<void(FieldReader&)>& readItem);

    bool has(QLatin1String key) const { return m_object.contains(key); }
    // The raw value, for keys with a rule of their own; undefined when absent.
    QJsonValue value(QLatin1String key);
    // Records "is required" when the key is absent.
    void require(QLatin1String key, const QString& hint = {});
    // Records a duplicate when `identity` was already seen under another path; `firstPaths` maps identities to paths.
    void unique(QLatin1String key, const QString& identity, QHash<QString, QString>& firstPaths);
    void error(QLatin1String key, const QString& reason);
    // For cross-checks made after an array was read: `relativePath` such as "groups[2].parent".
    void errorAt(const QString& relativePath, const QString& reason);
    // Whether a key that only some settings take may be read: when it does not apply and is present, records
    // `reason` (why not) and returns false.
    bool allowedIf(QLatin1String key, bool applies, const QString& reason);
    // Records every key that no reader asked for, suggesting the closest known key.
    void reportUnknownKeys();

    QString pathOf(const QString& key) const;
    const QString& path() const { return m_path; }

private:
    // Sets index to the position of the value in names, leaving it unset when the key is absent.
    bool choiceIndex(QLatin1String key, const QStringList& names, std::optional<int>& index);

    QJsonObject m_object;
    QString m_path;
    QList<ConfigError>& m_errors;
    QStringList m_knownKeys;
};

template<typename E, std::size_t N>
bool FieldReader::choice(QLatin1String key, E& target, const std::array<Choice<E>, N>& choices)
{
    QStringList names;
    for (const Choice<E>& entry : choices)
        names.append(entry.name);
    std::optional<int> index;
    if (!choiceIndex(key, names, index))
        return false;
    if (index)
        target = choices[static_cast<std::size_t>(*index)].value;
    return true;
}

// The known key closest to a mistyped one, or an empty string when none is close enough to be a likely typo.
QString closestKey(const QString& unknown, const QStringList& known);

} // namespace linkray::app
