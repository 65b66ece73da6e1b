#pragma once

#include "core/clock.h"
#include "hmi/viewstates.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

namespace linkray::hmi {

// One phase of the site connection: the metered current against the limit.
struct PhaseLoad {
    std::optional<double> currentA; // none: no valid meter reading
    double limitA = 0.0;
};

// Something the operator should look at; `subject` names what it concerns (a charge point id, a meter).
struct SiteAlert {
    AlertKind::Value kind = AlertKind::ChargerFaulted;
    QString subject;

    bool operator==(const SiteAlert& other) const { return kind == other.kind && subject == other.subject; }
};

// The site overview and the status line: phase loads against their limits, meter and CSMS link, the backlog of an
// outage, network, alerts and the time.
class SiteViewModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The application feeds the site")
    // Each entry: {name: "L1", currentA: number or undefined, limitA, ratio: currentA / limitA or undefined,
    // nearLimit: at 90 % of the limit or above, overLimit: above it}.
    Q_PROPERTY(QVariantList phases READ phases NOTIFY phasesChanged FINAL)
    Q_PROPERTY(linkray::hmi::MeterState::Value meterState READ meterState NOTIFY meterStateChanged FINAL)
    Q_PROPERTY(linkray::hmi::LinkState::Value csmsLink READ csmsLink NOTIFY csmsLinkChanged FINAL)
    Q_PROPERTY(int backlog READ backlog NOTIFY backlogChanged FINAL)
    // The backlog is worth showing: the CSMS is unreachable or messages still wait after it came back.
    Q_PROPERTY(bool backlogVisible READ backlogVisible NOTIFY backlogVisibleChanged FINAL)
    Q_PROPERTY(linkray::hmi::NetworkState::Value network READ network NOTIFY networkChanged FINAL)
    // Each entry: {kind: AlertKind value, subject: string}.
    Q_PROPERTY(QVariantList alerts READ alerts NOTIFY alertsChanged FINAL)
    Q_PROPERTY(int alertCount READ alertCount NOTIFY alertsChanged FINAL)
    Q_PROPERTY(QString timeText READ timeText NOTIFY timeTextChanged FINAL)
public:
    explicit SiteViewModel(Clock& clock, QObject* parent = nullptr);
    ~SiteViewModel() override;

    void setPhases(const QList<PhaseLoad>& phases);
    void setMeterState(MeterState::Value state);
    void setCsmsLink(LinkState::Value state);
    void setBacklog(int messages);
    void setNetwork(NetworkState::Value state);
    void setAlerts(const QList<SiteAlert>& alerts);

    QVariantList phases() const;
    MeterState::Value meterState() const { return m_meterState; }
    LinkState::Value csmsLink() const { return m_csmsLink; }
    int backlog() const { return m_backlog; }
    bool backlogVisible() const;
    NetworkState::Value network() const { return m_network; }
    QVariantList alerts() const;
    int alertCount() const { return static_cast<int>(m_alerts.size()); }
    QString timeText() const { return m_timeText; }

Q_SIGNALS:
    void phasesChanged();
    void meterStateChanged();
    void csmsLinkChanged();
    void backlogChanged();
    void backlogVisibleChanged();
    void networkChanged();
    void alertsChanged();
    void timeTextChanged();

private:
    void notifyBacklogVisibility(bool visibleBefore);
    void updateTime();

    Clock& m_clock;
    std::unique_ptr<Timer> m_minuteTimer;
    QList<PhaseLoad> m_phases;
    MeterState::Value m_meterState = MeterState::NotConfigured;
    LinkState::Value m_csmsLink = LinkState::NotConfigured;
    int m_backlog = 0;
    NetworkState::Value m_network = NetworkState::Unknown;
    QList<SiteAlert> m_alerts;
    QString m_timeText;
};

} // namespace linkray::hmi
