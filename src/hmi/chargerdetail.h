#pragma once

#include "hmi/chargerlistmodel.h"

#include <QObject>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace linkray::hmi {

// The connector the operator tapped, kept live from the tiles, and what may be done with it now.
class ChargerDetail : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by the TouchView")
    Q_PROPERTY(bool present READ present NOTIFY changed FINAL)
    Q_PROPERTY(QString chargePointId READ chargePointId NOTIFY changed FINAL)
    Q_PROPERTY(int connectorId READ connectorId NOTIFY changed FINAL)
    Q_PROPERTY(linkray::hmi::ConnectorState::Value connectorState READ connectorState NOTIFY changed FINAL)
    Q_PROPERTY(QVariant limitA READ limitA NOTIFY changed FINAL)
    Q_PROPERTY(QVariant drawA READ drawA NOTIFY changed FINAL)
    Q_PROPERTY(QVariant sessionEnergyKWh READ sessionEnergyKWh NOTIFY changed FINAL)
    Q_PROPERTY(bool canStart READ canStart NOTIFY changed FINAL)
    Q_PROPERTY(bool canStop READ canStop NOTIFY changed FINAL)
public:
    explicit ChargerDetail(const ChargerListModel& chargers, QObject* parent = nullptr);

    Q_INVOKABLE void select(const QString& chargePointId, int connectorId);

    bool present() const { return m_tile.has_value(); }
    QString chargePointId() const { return m_chargePointId; }
    int connectorId() const { return m_connectorId; }
    ConnectorState::Value connectorState() const;
    QVariant limitA() const;
    QVariant drawA() const;
    QVariant sessionEnergyKWh() const;
    // A remote start makes sense while a car waits or is about to plug in; a stop while a session runs.
    bool canStart() const;
    bool canStop() const;

Q_SIGNALS:
    void changed();

private:
    void refresh();

    const ChargerListModel& m_chargers;
    QString m_chargePointId;
    int m_connectorId = 0;
    std::optional<ChargerTile> m_tile; // none: nothing selected, or the connector left the list
};

} // namespace linkray::hmi
