#include "hmi/chargerlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace linkray::hmi;

namespace {

ChargerTile tile(const QString& chargePointId, int connectorId = 1, std::optional<double> drawA = std::nullopt)
{
    ChargerTile tile;
    tile.chargePointId = chargePointId;
    tile.connectorId = connectorId;
    tile.state = ConnectorState::Charging;
    tile.limitA = 16.0;
    tile.drawA = drawA;
    return tile;
}

// What a view attached to the model is told, in order, as short text.
class ModelLog : public QObject {
public:
    explicit ModelLog(QAbstractItemModel& model)
    {
        connect(&model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
            entries << QStringLiteral("insert %1-%2").arg(first).arg(last);
        });
        connect(&model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex&, int first, int last) {
            entries << QStringLiteral("remove %1-%2").arg(first).arg(last);
        });
        connect(&model, &QAbstractItemModel::dataChanged, this,
            [this, &model](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                QStringList names;
                for (const int role : roles)
                    names << QString::fromLatin1(model.roleNames().value(role));
                entries << QStringLiteral("change %1-%2 %3").arg(from.row()).arg(to.row()).arg(names.join(u','));
            });
        connect(&model, &QAbstractItemModel::modelReset, this, [this] { entries << QStringLiteral("reset"); });
        connect(&model, &QAbstractItemModel::layoutChanged, this, [this] { entries << QStringLiteral("layout"); });
        connect(&model, &QAbstractItemModel::rowsMoved, this, [this] { entries << QStringLiteral("move"); });
    }

    QStringList entries;
};

QStringList rowIds(const ChargerListModel& model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        ids << QStringLiteral("%1/%2").arg(model.data(index, ChargerListModel::ChargePointIdRole).toString(),
            model.data(index, ChargerListModel::ConnectorIdRole).toString());
    }
    return ids;
}

} // namespace

// The tiles' model: ordered for the operator, and told to QML row by row rather than reset.
class TestChargerListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ordersByChargePointNumberThenConnector()
    {
        ChargerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChargers({tile(QStringLiteral("CP-10")), tile(QStringLiteral("CP-2")), tile(QStringLiteral("CP-1"), 2),
            tile(QStringLiteral("CP-1"), 1), tile(QStringLiteral("CP-01")), tile(QStringLiteral("CP"))});
        QCOMPARE(rowIds(model),
            QStringList({QStringLiteral("CP/1"), QStringLiteral("CP-01/1"), QStringLiteral("CP-1/1"),
                QStringLiteral("CP-1/2"), QStringLiteral("CP-2/1"), QStringLiteral("CP-10/1")}));
    }

    void firstListArrivesAsOneInsertAndEmptyListAsOneRemove()
    {
        ChargerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ModelLog log(model);
        QSignalSpy counts(&model, &ChargerListModel::countChanged);
        QList<ChargerTile> tiles;
        for (int i = 1; i <= 5; ++i)
            tiles << tile(QStringLiteral("CP-%1").arg(i));
        model.setChargers(tiles);
        model.setChargers({});
        QCOMPARE(log.entries, QStringList({QStringLiteral("insert 0-4"), QStringLiteral("remove 0-4")}));
        QCOMPARE(counts.count(), 2);
        QCOMPARE(model.count(), 0);
    }

    void changedValuesNotifyOnlyTheirRowAndRoles()
    {
        ChargerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChargers({tile(QStringLiteral("CP-1"), 1, 10.0), tile(QStringLiteral("CP-2"), 1, 6.0)});
        ModelLog log(model);

        model.setChargers({tile(QStringLiteral("CP-1"), 1, 10.0), tile(QStringLiteral("CP-2"), 1, 8.0)});
        ChargerTile faulted = tile(QStringLiteral("CP-1"), 1, 10.0);
        faulted.state = ConnectorState::Faulted;
        model.setChargers({faulted, tile(QStringLiteral("CP-2"), 1, 8.0)});

        QCOMPARE(log.entries,
            QStringList({QStringLiteral("change 1-1 drawA,loadRatio"), QStringLiteral("change 0-0 connectorState")}));
        QCOMPARE(model.data(model.index(1), ChargerListModel::DrawARole).toDouble(), 8.0);
        QCOMPARE(model.data(model.index(1), ChargerListModel::LoadRatioRole).toDouble(), 0.5);
    }

    void connectorsThatLeaveOrArriveAreRemovedOrInsertedInPlace()
    {
        ChargerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChargers({tile(QStringLiteral("CP-1")), tile(QStringLiteral("CP-2")), tile(QStringLiteral("CP-3")),
            tile(QStringLiteral("CP-5"))});
        ModelLog log(model);

        model.setChargers({tile(QStringLiteral("CP-5")), tile(QStringLiteral("CP-4")),
            tile(QStringLiteral("CP-2"), 1, 3.0), tile(QStringLiteral("CP-0"))});

        QCOMPARE(log.entries,
            QStringList({QStringLiteral("insert 0-0"), QStringLiteral("remove 1-1"),
                QStringLiteral("change 1-1 drawA,loadRatio"), QStringLiteral("remove 2-2"),
                QStringLiteral("insert 2-2")}));
        QCOMPARE(rowIds(model),
            QStringList({QStringLiteral("CP-0/1"), QStringLiteral("CP-2/1"), QStringLiteral("CP-4/1"),
                QStringLiteral("CP-5/1")}));
    }

    void anUnchangedListNotifiesNothing()
    {
        ChargerListModel model;
        const QList<ChargerTile> tiles {tile(QStringLiteral("CP-1"), 1, 3.0), tile(QStringLiteral("CP-1"), 2)};
        model.setChargers(tiles);
        ModelLog log(model);
        model.setChargers(tiles);
        model.updateCharger(tiles.first());
        QVERIFY2(log.entries.isEmpty(), qPrintable(log.entries.join(u'\n')));
    }

    void ofDuplicateConnectorsTheLastWins()
    {
        ChargerListModel model;
        model.setChargers({tile(QStringLiteral("CP-1"), 1, 3.0), tile(QStringLiteral("CP-1"), 1, 7.0)});
        QCOMPARE(model.count(), 1);
        QCOMPARE(model.tile(QStringLiteral("CP-1"), 1)->drawA, std::optional<double>(7.0));
    }

    void updateChargerChangesOneTileOrAddsIt()
    {
        ChargerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChargers({tile(QStringLiteral("CP-1")), tile(QStringLiteral("CP-3"))});
        ModelLog log(model);

        model.updateCharger(tile(QStringLiteral("CP-3"), 1, 12.0));
        model.updateCharger(tile(QStringLiteral("CP-2")));

        QCOMPARE(
            log.entries, QStringList({QStringLiteral("change 1-1 drawA,loadRatio"), QStringLiteral("insert 1-1")}));
        QCOMPARE(
            rowIds(model), QStringList({QStringLiteral("CP-1/1"), QStringLiteral("CP-2/1"), QStringLiteral("CP-3/1")}));
    }

    void absentValuesAreUndefinedNotZero()
    {
        ChargerListModel model;
        ChargerTile idle = tile(QStringLiteral("CP-1"));
        idle.limitA.reset();
        model.setChargers({idle});
        const QModelIndex row = model.index(0);
        QVERIFY(!model.data(row, ChargerListModel::LimitARole).isValid());
        QVERIFY(!model.data(row, ChargerListModel::DrawARole).isValid());
        QVERIFY(!model.data(row, ChargerListModel::SessionEnergyKWhRole).isValid());
        QVERIFY(!model.data(row, ChargerListModel::LoadRatioRole).isValid());
    }

    void ocppStatusesMapToTheTileStates_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("state");
        QTest::newRow("Available") << QStringLiteral("Available") << int(ConnectorState::Available);
        QTest::newRow("Preparing") << QStringLiteral("Preparing") << int(ConnectorState::Occupied);
        QTest::newRow("Finishing") << QStringLiteral("Finishing") << int(ConnectorState::Occupied);
        QTest::newRow("Charging") << QStringLiteral("Charging") << int(ConnectorState::Charging);
        QTest::newRow("SuspendedEV") << QStringLiteral("SuspendedEV") << int(ConnectorState::Suspended);
        QTest::newRow("SuspendedEVSE") << QStringLiteral("SuspendedEVSE") << int(ConnectorState::Suspended);
        QTest::newRow("Faulted") << QStringLiteral("Faulted") << int(ConnectorState::Faulted);
        QTest::newRow("invented") << QStringLiteral("Sleeping") << int(ConnectorState::Unavailable);
    }

    void ocppStatusesMapToTheTileStates()
    {
        QFETCH(QString, status);
        QFETCH(int, state);
        QCOMPARE(int(ConnectorState::fromOcppStatus(status)), state);
    }
};

QTEST_GUILESS_MAIN(TestChargerListModel)
#include "tst_chargerlistmodel.moc"
