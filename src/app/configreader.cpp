#include "app/configreader.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace linkray::app {

namespace {

// Optimal string alignment distance: like Levenshtein, but swapping two neighbours ("prot") counts as one edit.
int editDistance(const QString& a, const QString& b)
{
    const qsizetype columns = b.size() + 1;
    QList<int> d((a.size() + 1) * columns);
    const auto at = [columns](qsizetype i, qsizetype j) { return i * columns + j; };
    for (qsizetype i = 0; i <= a.size(); ++i)
        d[at(i, 0)] = static_cast<int>(i);
    for (qsizetype j = 0; j <= b.size(); ++j)
        d[at(0, j)] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = std::min({d[at(i - 1, j)] + 1, d[at(i, j - 1)] + 1, d[at(i - 1, j - 1)] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = std::min(best, d[at(i - 2, j - 2)] + 1);
            d[at(i, j)] = best;
        }
    }
    return d[at(a.size(), b.size())];
}

QString quotedList(const QStringList& names)
{
    QStringList quoted;
    for (const QString& name : names)
        quoted.append(u'"' + name + u'"');
    return quoted.join(", "_L1);
}

QString textRule(int minLength, int maxLength)
{
    if (minLength == 0)
        return u"must be a text of at most %1 characters"_s.arg(maxLength);
    return u"must be a text of %1 to %2 characters"_s.arg(minLength).arg(maxLength);
}

} // namespace

QString closestKey(const QString& unknown, const QStringList& known)
{
    const QString folded = unknown.toCaseFolded();
    const int allowedEdits = std::max(1, static_cast<int>(folded.size()) / 3);
    const int minimumPrefix = 4;
    QString best;
    int bestDistance = 0;
    for (const QString& candidate : known) {
        const QString candidateFolded = candidate.toCaseFolded();
        const int distance = editDistance(folded, candidateFolded);
        const bool isPrefix = std::min(folded.size(), candidateFolded.size()) >= minimumPrefix
            && (candidateFolded.startsWith(folded) || folded.startsWith(candidateFolded));
        if ((distance <= allowedEdits || isPrefix) && (best.isEmpty() || distance < bestDistance)) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

FieldReader::FieldReader(const QJsonObject& object, QString path, QList<ConfigError>& errors)
    : m_object(object)
    , m_path(std::move(path))
    , m_errors(errors)
{
}

QString FieldReader::pathOf(const QString& key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void FieldReader::error(QLatin1String key, const QString& reason)
{
    if (!m_knownKeys.contains(key))
        m_knownKeys.append(key);
    m_errors.append({pathOf(key), reason});
}

void FieldReader::errorAt(const QString& relativePath, const QString& reason)
{
    m_errors.append({pathOf(relativePath), reason});
}

bool FieldReader::allowedIf(QLatin1String key, bool applies, const QString& reason)
{
    if (!applies && has(key))
        error(key, reason);
    return applies;
}

QJsonValue FieldReader::value(QLatin1String key)
{
    if (!m_knownKeys.contains(key))
        m_knownKeys.append(key);
    return m_object.value(key);
}

bool FieldReader::integer(QLatin1String key, int& target, int min, int max)
{
    std::optional<int> read;
    if (!integer(key, read, min, max))
        return false;
    if (read)
        target = *read;
    return true;
}

bool FieldReader::integer(QLatin1String key, std::optional<int>& target, int min, int max)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    const double number = json.toDouble();
    if (!json.isDouble() || number != std::floor(number) || number < min || number > max) {
        error(key, u"must be an integer from %1 to %2"_s.arg(min).arg(max));
        return false;
    }
    target = static_cast<int>(number);
    return true;
}

bool FieldReader::boolean(QLatin1String key, bool& target)
{
    std::optional<bool> read;
    if (!boolean(key, read))
        return false;
    if (read)
        target = *read;
    return true;
}

bool FieldReader::boolean(QLatin1String key, std::optional<bool>& target)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    if (!json.isBool()) {
        error(key, u"must be true or false"_s);
        return false;
    }
    target = json.toBool();
    return true;
}

bool FieldReader::number(QLatin1String key, double& target, double min, double max)
{
    std::optional<double> read;
    if (!number(key, read, min, max))
        return false;
    if (read)
        target = *read;
    return true;
}

bool FieldReader::number(QLatin1String key, std::optional<double>& target, double min, double max)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    if (!json.isDouble() || json.toDouble() < min || json.toDouble() > max) {
        error(key, u"must be a number from %1 to %2"_s.arg(min).arg(max));
        return false;
    }
    target = json.toDouble();
    return true;
}

bool FieldReader::phaseValues(QLatin1String key, PhaseCurrents& target, double min, double max)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    const auto inRange
        = [&](const QJsonValue& item) { return item.isDouble() && item.toDouble() >= min && item.toDouble() <= max; };
    const QJsonArray items = json.toArray();
    if (inRange(json)) {
        target.fill(json.toDouble());
        return true;
    }
    if (items.size() == 3 && std::all_of(items.begin(), items.end(), inRange)) {
        for (std::size_t phase = 0; phase < target.size(); ++phase)
            target[phase] = items[static_cast<qsizetype>(phase)].toDouble();
        return true;
    }
    error(key, u"must be a number from %1 to %2, or an array of 3 such numbers for L1, L2, L3"_s.arg(min).arg(max));
    return false;
}

bool FieldReader::text(QLatin1String key, QString& target, int minLength, int maxLength, const TextCheck& check)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    const QString string = json.toString();
    if (!json.isString() || string.size() < minLength || string.size() > maxLength) {
        error(key, textRule(minLength, maxLength));
        return false;
    }
    if (check) {
        const QString problem = check(string);
        if (!problem.isEmpty()) {
            error(key, problem);
            return false;
        }
    }
    target = string;
    return true;
}

bool FieldReader::hostAddress(QLatin1String key, QHostAddress& target)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    QHostAddress address;
    if (!json.isString() || !address.setAddress(json.toString())) {
        error(key, u"must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1"_s);
        return false;
    }
    target = address;
    return true;
}

bool FieldReader::dateTime(QLatin1String key, QDateTime& target)
{
    // Qt's ISO parser also takes local times without an offset; RFC 3339 demands the offset, so check the form first.
    static const QRegularExpression rfc3339(
        uR"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    const QString string = json.toString().toUpper();
    const QDateTime parsed
        = rfc3339.match(string).hasMatch() ? QDateTime::fromString(string, Qt::ISODateWithMs) : QDateTime();
    if (!json.isString() || !parsed.isValid()) {
        error(key, u"must be an RFC 3339 date-time with a time zone, e.g. 2026-01-31T23:59:59Z"_s);
        return false;
    }
    target = parsed.toUTC();
    return true;
}

bool FieldReader::choiceIndex(QLatin1String key, const QStringList& names, std::optional<int>& index)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return true;
    const qsizetype position = json.isString() ? names.indexOf(json.toString()) : -1;
    if (position < 0) {
        error(key, u"must be one of %1"_s.arg(quotedList(names)));
        return false;
    }
    index = static_cast<int>(position);
    return true;
}

bool FieldReader::choice(QLatin1String key, QString& target, const QStringList& names)
{
    std::optional<int> index;
    if (!choiceIndex(key, names, index))
        return false;
    if (index)
        target = names[*index];
    return true;
}

void FieldReader::object(QLatin1String key, const std::function<void(FieldReader&)>& readFields)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return;
    if (!json.isObject()) {
        error(key, u"must be an object"_s);
        return;
    }
    FieldReader nested(json.toObject(), pathOf(key), m_errors);
    readFields(nested);
    nested.reportUnknownKeys();
}

void FieldReader::objects(QLatin1String key, const std::function<void(FieldReader&)>& readItem)
{
    const QJsonValue json = value(key);
    if (json.isUndefined())
        return;
    if (!json.isArray()) {
        error(key, u"must be an array of objects"_s);
        return;
    }
    const QJsonArray items = json.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString itemPath = u"%1[%2]"_s.arg(pathOf(key)).arg(i);
        if (!items[i].isObject()) {
            m_errors.append({itemPath, u"must be an object"_s});
            continue;
        }
        FieldReader item(items[i].toObject(), itemPath, m_errors);
        readItem(item);
        item.reportUnknownKeys();
    }
}

void FieldReader::require(QLatin1String key, const QString& hint)
{
    if (!has(key))
        error(key, hint.isEmpty() ? u"is required"_s : u"is required (%1)"_s.arg(hint));
}

void FieldReader::unique(QLatin1String key, const QString& identity, QHash<QString, QString>& firstPaths)
{
    const auto first = firstPaths.constFind(identity);
    if (first == firstPaths.constEnd())
        firstPaths.insert(identity, pathOf(key));
    else
        error(key, u"duplicate of %1"_s.arg(*first));
}

void FieldReader::reportUnknownKeys()
{
    const QStringList keys = m_object.keys();
    for (const QString& key : keys) {
        if (m_knownKeys.contains(key))
            continue;
        const QString suggestion = closestKey(key, m_knownKeys);
        m_errors.append({pathOf(key),
            suggestion.isEmpty() ? u"unknown key"_s : u"unknown key (did you mean \"%1\"?)"_s.arg(suggestion)});
    }
}

} // namespace linkray::app
