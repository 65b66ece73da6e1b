#include "hmi/chargerlistmodel.h"

#include <algorithm>

namespace linkray::hmi {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// The end of the run of digits that starts at `from`.
qsizetype digitRunEnd(const QString& text, qsizetype from)
{
    while (from < text.size() && isAsciiDigit(text[from]))
        ++from;
    return from;
}

QStringView withoutLeadingZeros(QStringView digits)
{
    qsizetype zeros = 0;
    while (zeros + 1 < digits.size() && digits[zeros] == u'0')
        ++zeros;
    return digits.mid(zeros);
}

// Compares ids as people count: runs of digits compare as numbers, so "CP-2" comes before "CP-10".
int compareNaturally(const QString& a, const QString& b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isAsciiDigit(a[i]) && isAsciiDigit(b[j])) {
            const qsizetype endA = digitRunEnd(a, i);
            const qsizetype endB = digitRunEnd(b, j);
            const QStringView numberA = withoutLeadingZeros(QStringView(a).mid(i, endA - i));
            const QStringView numberB = withoutLeadingZeros(QStringView(b).mid(j, endB - j));
            if (numberA.size() != numberB.size())
                return numberA.size() < numberB.size() ? -1 : 1;
            if (const int order = numberA.compare(numberB); order != 0)
                return order;
            i = endA;
            j = endB;
        } else if (a[i] != b[j]) {
            return a[i] < b[j] ? -1 : 1;
        } else {
            ++i;
            ++j;
        }
    }
    return (i < a.size()) - (j < b.size());
}

QVariant loadRatio(const ChargerTile& tile)
{
    if (!tile.drawA || !tile.limitA || *tile.limitA <= 0.0)
        return {};
    return *tile.drawA / *tile.limitA;
}

} // namespace

QVariant toQmlValue(const std::optional<double>& value)
{
    return value ? QVariant(*value) : QVariant();
}

bool ChargerTile::operator==(const ChargerTile& other) const
{
    return chargePointId == other.chargePointId && connectorId == other.connectorId && state == other.state
        && limitA == other.limitA && drawA == other.drawA && sessionEnergyKWh == other.sessionEnergyKWh;
}

void ChargerListModel::setChargers(const QList<ChargerTile>& tiles)
{
    QList<ChargerTile> incoming;
    incoming.reserve(tiles.size());
    // Reversed before a stable sort and deduplication keeps the last of duplicates.
    std::reverse_copy(tiles.cbegin(), tiles.cend(), std::back_inserter(incoming));
    std::stable_sort(incoming.begin(), incoming.end(), lessThan);
    incoming.erase(std::unique(incoming.begin(), incoming.end(), sameConnector), incoming.end());

    const qsizetype countBefore = m_tiles.size();
    // Merge of two sorted lists: runs of rows that leave or arrive become one remove or insert each.
    qsizetype row = 0;
    qsizetype next = 0;
    while (row < m_tiles.size() || next < incoming.size()) {
        if (next == incoming.size() || (row < m_tiles.size() && lessThan(m_tiles[row], incoming[next]))) {
            qsizetype last = row;
            while (
                last + 1 < m_tiles.size() && (next == incoming.size() || lessThan(m_tiles[last + 1], incoming[next])))
                ++last;
            beginRemoveRows({}, static_cast<int>(row), static_cast<int>(last));
            m_tiles.remove(row, last - row + 1);
            endRemoveRows();
        } else if (row == m_tiles.size() || lessThan(incoming[next], m_tiles[row])) {
            qsizetype last = next;
            while (last + 1 < incoming.size() && (row == m_tiles.size() || lessThan(incoming[last + 1], m_tiles[row])))
                ++last;
            const qsizetype arriving = last - next + 1;
            beginInsertRows({}, static_cast<int>(row), static_cast<int>(row + arriving - 1));
            m_tiles.insert(row, arriving, ChargerTile());
            std::copy(incoming.cbegin() + next, incoming.cbegin() + last + 1, m_tiles.begin() + row);
            endInsertRows();
            row += arriving;
            next += arriving;
        } else {
            replaceRow(row, incoming[next]);
            ++row;
            ++next;
        }
    }
    if (m_tiles.size() != countBefore)
        Q_EMIT countChanged();
}

void ChargerListModel::updateCharger(const ChargerTile& tile)
{
    const qsizetype row = lowerBound(tile);
    if (row < m_tiles.size() && sameConnector(m_tiles[row], tile)) {
        replaceRow(row, tile);
        return;
    }
    beginInsertRows({}, static_cast<int>(row), static_cast<int>(row));
    m_tiles.insert(row, tile);
    endInsertRows();
    Q_EMIT countChanged();
}

std::optional<ChargerTile> ChargerListModel::tile(const QString& chargePointId, int connectorId) const
{
    ChargerTile key;
    key.chargePointId = chargePointId;
    key.connectorId = connectorId;
    const qsizetype row = lowerBound(key);
    if (row < m_tiles.size() && sameConnector(m_tiles[row], key))
        return m_tiles[row];
    return std::nullopt;
}

int ChargerListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ChargerListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChargerTile& tile = m_tiles[index.row()];
    switch (role) {
    case ChargePointIdRole:
        return tile.chargePointId;
    case ConnectorIdRole:
        return tile.connectorId;
    case StateRole:
        return static_cast<int>(tile.state);
    case LimitARole:
        return toQmlValue(tile.limitA);
    case DrawARole:
        return toQmlValue(tile.drawA);
    case SessionEnergyKWhRole:
        return toQmlValue(tile.sessionEnergyKWh);
    case LoadRatioRole:
        return loadRatio(tile);
    default:
        return {};
    }
}

QHash<int, QByteArray> ChargerListModel::roleNames() const
{
    return {
        {ChargePointIdRole, "chargePointId"},
        {ConnectorIdRole, "connectorId"},
        {StateRole, "connectorState"},
        {LimitARole, "limitA"},
        {DrawARole, "drawA"},
        {SessionEnergyKWhRole, "sessionEnergyKWh"},
        {LoadRatioRole, "loadRatio"},
    };
}

bool ChargerListModel::lessThan(const ChargerTile& a, const ChargerTile& b)
{
    const int order = compareNaturally(a.chargePointId, b.chargePointId);
    if (order != 0)
        return order < 0;
    // Ids that count the same ("CP-01" and "CP-1") are still different chargers.
    if (a.chargePointId != b.chargePointId)
        return a.chargePointId < b.chargePointId;
    return a.connectorId < b.connectorId;
}

bool ChargerListModel::sameConnector(const ChargerTile& a, const ChargerTile& b)
{
    return a.chargePointId == b.chargePointId && a.connectorId == b.connectorId;
}

qsizetype ChargerListModel::lowerBound(const ChargerTile& key) const
{
    const auto found = std::lower_bound(m_tiles.cbegin(), m_tiles.cend(), key, lessThan);
    return found - m_tiles.cbegin();
}

void ChargerListModel::replaceRow(qsizetype row, const ChargerTile& tile)
{
    const QList<int> roles = changedRoles(m_tiles[row], tile);
    if (roles.isEmpty())
        return;
    m_tiles[row] = tile;
    const QModelIndex changed = index(static_cast<int>(row));
    Q_EMIT dataChanged(changed, changed, roles);
}

QList<int> ChargerListModel::changedRoles(const ChargerTile& before, const ChargerTile& after)
{
    QList<int> roles;
    if (before.state != after.state)
        roles.append(StateRole);
    if (before.limitA != after.limitA)
        roles.append(LimitARole);
    if (before.drawA != after.drawA)
        roles.append(DrawARole);
    if (before.sessionEnergyKWh != after.sessionEnergyKWh)
        roles.append(SessionEnergyKWhRole);
    if (loadRatio(before) != loadRatio(after))
        roles.append(LoadRatioRole);
    return roles;
}

} // namespace linkray::hmi
