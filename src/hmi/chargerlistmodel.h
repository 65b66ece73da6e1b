#pragma once

#include "hmi/viewstates.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace linkray::hmi {

// One connector as its tile shows it. Absent values show as a dash, never as 0.
struct ChargerTile {
    QString chargePointId;
    int connectorId = 1;
    ConnectorState::Value state = ConnectorState::Offline;
    std::optional<double> limitA; // what LinkRay allows it now
    std::optional<double> drawA; // what it draws (MeterValues)
    std::optional<double> sessionEnergyKWh; // energy of the running session

    bool operator==(const ChargerTile& other) const;
};

// An optional number as QML should see it: undefined when absent.
QVariant toQmlValue(const std::optional<double>& value);

// The charger tiles: one row per connector, ordered by charge point id (CP-2 before CP-10) and connector.
// Updates are diffed against the rows shown, so QML sees inserted, removed and changed rows, never a reset.
class ChargerListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The application feeds the tiles")
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)
public:
    enum Role {
        ChargePointIdRole = Qt::UserRole + 1,
        ConnectorIdRole,
        StateRole,
        LimitARole, // undefined in QML when absent, like the two below
        DrawARole,
        SessionEnergyKWhRole,
        LoadRatioRole, // draw / limit for the tile's bar; undefined without both
    };
    Q_ENUM(Role)

    using QAbstractListModel::QAbstractListModel;

    // Replaces all tiles; rows of connectors that stay are updated in place. Of duplicates the last wins.
    void setChargers(const QList<ChargerTile>& tiles);
    // Updates one connector's tile, or adds it.
    void updateCharger(const ChargerTile& tile);

    std::optional<ChargerTile> tile(const QString& chargePointId, int connectorId) const;
    int count() const { return static_cast<int>(m_tiles.size()); }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    static bool lessThan(const ChargerTile& a, const ChargerTile& b);
    static bool sameConnector(const ChargerTile& a, const ChargerTile& b);
    qsizetype lowerBound(const ChargerTile& key) const;
    void replaceRow(qsizetype row, const ChargerTile& tile);
    static QList<int> changedRoles(const ChargerTile& before, const ChargerTile& after);

    QList<ChargerTile> m_tiles; // sorted by lessThan, one per connector
};

} // namespace linkray::hmi
