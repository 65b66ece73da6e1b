#include "meter/jsonpointer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace linkray::meter;

namespace {
// The example document of RFC 6901, section 5.
const QByteArray rfcDocument = "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2, \"e^f\": 3, \"g|h\": 4, "
                               "\"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, \"m~n\": 8, \"~1\": 9}";
} // namespace

class TestJsonPointer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resolves_data();
    void resolves();
    void reportsWhereItFails_data();
    void reportsWhereItFails();
    void malformedPointersAreRefused_data();
    void malformedPointersAreRefused();
};

void TestJsonPointer::resolves_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QJsonValue>("expected");

    const QJsonObject whole = QJsonDocument::fromJson(rfcDocument).object();
    QTest::newRow("empty: the whole document") << QString() << QJsonValue(whole);
    QTest::newRow("/foo") << QStringLiteral("/foo") << whole.value(QLatin1String("foo"));
    QTest::newRow("/foo/0") << QStringLiteral("/foo/0") << QJsonValue(QStringLiteral("bar"));
    QTest::newRow("/ (the empty key)") << QStringLiteral("/") << QJsonValue(0);
    QTest::newRow("/a~1b") << QStringLiteral("/a~1b") << QJsonValue(1);
    QTest::newRow("/c%d") << QStringLiteral("/c%d") << QJsonValue(2);
    QTest::newRow("/e^f") << QStringLiteral("/e^f") << QJsonValue(3);
    QTest::newRow("/g|h") << QStringLiteral("/g|h") << QJsonValue(4);
    QTest::newRow("/i\\j") << QStringLiteral("/i\\j") << QJsonValue(5);
    QTest::newRow("/k\"l") << QStringLiteral("/k\"l") << QJsonValue(6);
    QTest::newRow("/ (a space)") << QStringLiteral("/ ") << QJsonValue(7);
    QTest::newRow("/m~0n") << QStringLiteral("/m~0n") << QJsonValue(8);
    QTest::newRow("/~01 is the key ~1, not /") << QStringLiteral("/~01") << QJsonValue(9);
}

void TestJsonPointer::resolves()
{
    QFETCH(QString, pointer);
    QFETCH(QJsonValue, expected);

    QString error;
    const std::optional<QJsonValue> value
        = resolveJsonPointer(QJsonDocument::fromJson(rfcDocument).object(), pointer, &error);
    QVERIFY2(value, qPrintable(error));
    QCOMPARE(*value, expected);
}

void TestJsonPointer::reportsWhereItFails_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("error");

    QTest::newRow("no such member") << QStringLiteral("/bar") << QStringLiteral("the document has no member \"bar\"");
    QTest::newRow("beyond the array") << QStringLiteral("/foo/2")
                                      << QStringLiteral("\"/foo\" is an array of length 2: no item 2");
    QTest::newRow("past the end: -") << QStringLiteral("/foo/-")
                                     << QStringLiteral("\"/foo\" is an array, and \"-\" is not an index");
    QTest::newRow("leading zero") << QStringLiteral("/foo/01")
                                  << QStringLiteral("\"/foo\" is an array, and \"01\" is not an index");
    QTest::newRow("huge index") << QStringLiteral("/foo/99999999999999999999999")
                                << QStringLiteral("\"/foo\" is an array of length 2: no item 99999999999999999999999");
    QTest::newRow("into a string") << QStringLiteral("/foo/0/x")
                                   << QStringLiteral("\"/foo/0\" is a string, not an object or an array");
    QTest::newRow("into a number under an escaped key")
        << QStringLiteral("/a~1b/c") << QStringLiteral("\"/a~1b\" is a number, not an object or an array");
}

void TestJsonPointer::reportsWhereItFails()
{
    QFETCH(QString, pointer);
    QFETCH(QString, error);

    QString reported;
    QVERIFY(!resolveJsonPointer(QJsonDocument::fromJson(rfcDocument).object(), pointer, &reported));
    QCOMPARE(reported, error);
}

void TestJsonPointer::malformedPointersAreRefused_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("problem"); // empty: a valid pointer

    QTest::newRow("valid") << QStringLiteral("/emeters/0/current") << QString();
    QTest::newRow("valid escapes") << QStringLiteral("/a~0~1b") << QString();
    QTest::newRow("no leading slash") << QStringLiteral("emeters/0") << QStringLiteral("must start with \"/\"");
    QTest::newRow("dotted path") << QStringLiteral("emeters.0.current") << QStringLiteral("must start with \"/\"");
    QTest::newRow("~ alone") << QStringLiteral("/a~b") << QStringLiteral("\"~\" must be followed by 0 or 1");
    QTest::newRow("~ at the end") << QStringLiteral("/a~") << QStringLiteral("\"~\" must be followed by 0 or 1");
}

void TestJsonPointer::malformedPointersAreRefused()
{
    QFETCH(QString, pointer);
    QFETCH(QString, problem);

    const QString reported = jsonPointerProblem(pointer);
    QVERIFY2(reported.startsWith(problem) && reported.isEmpty() == problem.isEmpty(), qPrintable(reported));
    QString error;
    QCOMPARE(bool(resolveJsonPointer(QJsonObject(), pointer, &error)), false);
    if (!problem.isEmpty())
        QCOMPARE(error, reported);
}

QTEST_GUILESS_MAIN(TestJsonPointer)
#include "tst_jsonpointer.moc"
