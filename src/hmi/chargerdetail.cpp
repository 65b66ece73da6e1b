#include "hmi/chargerdetail.h"

namespace linkray::hmi {

ChargerDetail::ChargerDetail(const ChargerListModel& chargers, QObject* parent)
    : QObject(parent)
    , m_chargers(chargers)
{
    connect(&chargers, &QAbstractItemModel::dataChanged, this, &ChargerDetail::refresh);
    connect(&chargers, &QAbstractItemModel::rowsInserted, this, &ChargerDetail::refresh);
    connect(&chargers, &QAbstractItemModel::rowsRemoved, this, &ChargerDetail::refresh);
    connect(&chargers, &QAbstractItemModel::modelReset, this, &ChargerDetail::refresh);
}

void ChargerDetail::select(const QString& chargePointId, int connectorId)
{
    m_chargePointId = chargePointId;
    m_connectorId = connectorId;
    m_tile = m_chargers.tile(chargePointId, connectorId);
    Q_EMIT changed();
}

ConnectorState::Value ChargerDetail::connectorState() const
{
    return m_tile ? m_tile->state : ConnectorState::Offline;
}

QVariant ChargerDetail::limitA() const
{
    return m_tile ? toQmlValue(m_tile->limitA) : QVariant();
}

QVariant ChargerDetail::drawA() const
{
    return m_tile ? toQmlValue(m_tile->drawA) : QVariant();
}

QVariant ChargerDetail::sessionEnergyKWh() const
{
    return m_tile ? toQmlValue(m_tile->sessionEnergyKWh) : QVariant();
}

bool ChargerDetail::canStart() const
{
    return m_tile && (m_tile->state == ConnectorState::Available || m_tile->state == ConnectorState::Occupied);
}

bool ChargerDetail::canStop() const
{
    return m_tile && (m_tile->state == ConnectorState::Charging || m_tile->state == ConnectorState::Suspended);
}

void ChargerDetail::refresh()
{
    if (m_chargePointId.isEmpty())
        return;
    std::optional<ChargerTile> now = m_chargers.tile(m_chargePointId, m_connectorId);
    if (now == m_tile)
        return;
    m_tile = std::move(now);
    Q_EMIT changed();
}

} // namespace linkray::hmi
