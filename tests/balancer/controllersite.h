#pragma once

#include "balancer/chargingcontroller.h"

#include <memory>

// A ChargingController on a small simulated site, with chargers that record what they receive.
namespace linkray::balancer::test {

// What a charger receives, and how it answers: Accepted, Rejected, or not at all (until the test answers).
class FakeChargers {
public:
    enum class Answer { Accepted, Rejected, Never };
    struct Received {
        QString chargePointId;
        ocpp::v16::SetChargingProfileRequest request;
        double limit() const { return request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.at(0).limit; }
    };

    ProfileSender sender()
    {
        return [this](const QString& id, const ocpp::v16::SetChargingProfileRequest& request,
                   std::function<void(bool)> done) {
            received.push_back({id, request});
            if (answer == Answer::Never)
                held.push_back(std::move(done));
            else
                done(answer == Answer::Accepted);
        };
    }
    // The limits received since the last call.
    QList<double> take(const QString& id = QStringLiteral("cp1"))
    {
        QList<double> limits;
        for (const Received& r : received) {
            if (r.chargePointId == id)
                limits.append(r.limit());
        }
        received.erase(
            std::remove_if(received.begin(), received.end(), [&](const Received& r) { return r.chargePointId == id; }),
            received.end());
        return limits;
    }

    Answer answer = Answer::Accepted;
    std::vector<Received> received;
    std::vector<std::function<void(bool)>> held;
};

inline ChargerConfig acCharger(const QString& id)
{
    ChargerConfig charger;
    charger.id = {id, 1};
    return charger;
}

// A 32 A site with a 16 A fail-safe limit and a meter that reads the house load plus what the cars draw.
class Site {
public:
    explicit Site(std::vector<ChargerConfig> connectors = {acCharger(QStringLiteral("cp1"))})
    {
        model.gridLimitA = {32, 32, 32};
        model.failSafeLimitA = {16, 16, 16};
        model.lending.afterS = 3600; // lending has its scenario files; here a car that draws less keeps its limit
        model.chargers = std::move(connectors);
        controller
            = std::make_unique<ChargingController>(ChargingController::Context {clock, chargers.sender(), {}}, model);
    }

    // A car that charges and draws `amperes` on all three phases (DC: `amperes` taken as W).
    void draws(const QString& id, double amperes)
    {
        drawA[id] = amperes;
        ConnectorObservation observation;
        observation.status = QStringLiteral("Charging");
        if (model.chargers.front().kind == ChargerKind::Dc)
            observation.powerActiveImportW = amperes;
        else
            observation.currentImportA = PhaseValues {amperes, amperes, amperes};
        controller->connectorObserved({id, 1}, observation);
        read();
    }
    void house(double amperes)
    {
        houseA = amperes;
        read();
    }
    void read()
    {
        double cars = 0.0;
        for (double a : std::as_const(drawA))
            cars += model.chargers.front().kind == ChargerKind::Dc ? a / (3 * model.nominalVoltageV) : a;
        const double total = houseA + cars;
        controller->meterReading(PhaseValues {total, total, total}, clock.nowUtc());
    }
    void advanceSeconds(int seconds) { clock.advance(seconds * 1000LL); }

    ManualClock clock;
    FakeChargers chargers;
    SiteModel model;
    QHash<QString, double> drawA;
    double houseA = 0.0;
    std::unique_ptr<ChargingController> controller;
};

} // namespace linkray::balancer::test
