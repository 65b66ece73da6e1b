#include "core/clock.h"
#include "hmi/touchview.h"
#include "hmifixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace linkray;
using namespace linkray::hmi;
using namespace linkray::hmi::test;

namespace {

const QSize kSmall(800, 480);
const QSize kLarge(1280, 800);

QString artifactPath(const QString& name)
{
    QDir dir(QCoreApplication::applicationDirPath());
    dir.mkpath(QStringLiteral("artifacts"));
    return dir.filePath(QStringLiteral("artifacts/%1.png").arg(name));
}

// Colours on a grid of every 8th pixel: a drawn view has many, a blank or failed render one or two.
qsizetype sampledColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 8) {
        for (int x = 0; x < image.width(); x += 8)
            colours.insert(image.pixel(x, y));
    }
    return colours.size();
}

} // namespace

// Renders every page offscreen into PNGs under artifacts/ beside the test binary, and times the overview with 100
// tiles. The images are for people to look at; the test checks they hold a drawn view of the right size.
class TestScreenshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 3, 8), QTime(14, 5), Qt::UTC)); }

    void cleanup()
    {
        m_view.reset();
        m_clock.reset();
    }

    // First so that the cold run pays what the first view in a process pays (QML engine, plugins, fonts).
    void overviewWithAHundredTilesTiming_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("cold 800x480") << kSmall;
        QTest::newRow("warm 800x480") << kSmall;
        QTest::newRow("warm 1280x800") << kLarge;
    }

    void overviewWithAHundredTilesTiming()
    {
        QFETCH(QSize, size);
        QElapsedTimer elapsed;
        elapsed.start();
        QQuickWindow* window = showView(size);
        QVERIFY(window);
        QSignalSpy frames(window, &QQuickWindow::frameSwapped);
        QVERIFY(frames.wait());
        const qint64 firstFrameMs = elapsed.elapsed();
        QQuickItem* grid = findItem(window, QStringLiteral("tiles"));
        QCOMPARE(grid->property("count").toInt(), 100);
        const qsizetype tilesMade = grid->property("contentItem").value<QQuickItem*>()->childItems().size();

        QVERIFY(waitUntilRendered(window));
        QList<ChargerTile> tiles = sampleChargers(100);
        for (ChargerTile& tile : tiles)
            tile.drawA = tile.drawA.value_or(0.0) + 1.0;
        QSignalSpy updateFrames(window, &QQuickWindow::frameSwapped);
        elapsed.restart();
        m_view->chargers().setChargers(tiles);
        QVERIFY(updateFrames.wait());
        const qint64 updateFrameMs = elapsed.elapsed();
        qInfo().noquote() << QStringLiteral("hmi timing %1: built and shown %2 ms (%3 of 100 tiles made), "
                                            "all 100 tiles updated and drawn %4 ms")
                                 .arg(QString::fromLatin1(QTest::currentDataTag()))
                                 .arg(firstFrameMs)
                                 .arg(tilesMade)
                                 .arg(updateFrameMs);
    }

    void pages_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("taps");
        QTest::newRow("overview") << QStringLiteral("overview-800x480") << kSmall << QStringLiteral("en")
                                  << QStringList();
        QTest::newRow("overview large") << QStringLiteral("overview-1280x800") << kLarge << QStringLiteral("en")
                                        << QStringList();
        QTest::newRow("overview german") << QStringLiteral("overview-de-800x480") << kSmall << QStringLiteral("de")
                                         << QStringList();
        QTest::newRow("detail") << QStringLiteral("detail-800x480") << kSmall << QStringLiteral("en")
                                << QStringList({QStringLiteral("tile:CP-1:1")});
        QTest::newRow("pin pad") << QStringLiteral("pinpad-800x480") << kSmall << QStringLiteral("en")
                                 << QStringList({QStringLiteral("tile:CP-1:1"), QStringLiteral("detailStop"),
                                        QStringLiteral("pinKey4"), QStringLiteral("pinKey7")});
        QTest::newRow("history") << QStringLiteral("history-800x480") << kSmall << QStringLiteral("en")
                                 << QStringList({QStringLiteral("historyTab")});
        QTest::newRow("history large") << QStringLiteral("history-1280x800") << kLarge << QStringLiteral("en")
                                       << QStringList({QStringLiteral("historyTab")});
    }

    void pages()
    {
        QFETCH(QString, name);
        QFETCH(QSize, size);
        QFETCH(QString, language);
        QFETCH(QStringList, taps);
        QQuickWindow* window = showView(size, language);
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        for (const QString& target : taps) {
            QTRY_VERIFY2(findItem(window, target), qPrintable(target));
            tap(window, target);
        }
        QVERIFY(waitUntilRendered(window));

        const QImage image = window->grabWindow();
        QCOMPARE(image.size(), size);
        QVERIFY2(sampledColours(image) > 20, "the image looks blank");
        const QString path = artifactPath(name);
        QVERIFY(image.save(path));
        qInfo().noquote() << "screenshot:" << path;
    }

private:
    QQuickWindow* showView(const QSize& size, const QString& language = QStringLiteral("en"))
    {
        TouchViewOptions options;
        options.size = size;
        options.language = language;
        options.operatorPinHash = operatorPinHash();
        m_view = std::make_unique<TouchView>(*m_clock, options);
        m_view->setCommandSender([](const QString&, int, ChargerCommand::Value, std::function<void(bool)>) {});
        m_view->chargers().setChargers(sampleChargers(100));
        feedSampleSite(*m_view);
        return m_view->show() ? m_view->window() : nullptr;
    }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<TouchView> m_view;
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
