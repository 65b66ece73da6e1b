#include "web/csv.h"

#include <QTest>

using namespace linkray::web;

using Rows = QList<QStringList>;

// The CSV of exports and the whitelist import.
class TestCsv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsRoundTrip()
    {
        const Rows rows {{QStringLiteral("idTag"), QStringLiteral("note")},
            {QStringLiteral("A,1"), QStringLiteral("say \"hi\"\nbye")}, {QStringLiteral("B"), QString()}};
        QByteArray text;
        for (const QStringList& row : rows)
            text += csvRow(row);
        QCOMPARE(text, QByteArray("idTag,note\r\n\"A,1\",\"say \"\"hi\"\"\nbye\"\r\nB,\r\n"));
        const auto parsed = parseCsv(text);
        QVERIFY(std::holds_alternative<Rows>(parsed));
        QCOMPARE(std::get<Rows>(parsed), rows);
    }

    // A tag like "=HYPERLINK(...)" must not run as a formula in the operator's spreadsheet, and imports as exported.
    void formulasAreDefusedAndImportAsExported()
    {
        const QStringList fields {QStringLiteral("=1+2"), QStringLiteral("@SUM(A1)"), QStringLiteral("+49 170"),
            QStringLiteral("-5"), QStringLiteral("\tx"), QStringLiteral("plain"), QStringLiteral("a=b")};
        const QByteArray text = csvRow(fields);
        QCOMPARE(text, QByteArray("'=1+2,'@SUM(A1),'+49 170,-5,'\tx,plain,a=b\r\n"));
        const auto parsed = parseCsv(text);
        QVERIFY(std::holds_alternative<Rows>(parsed));
        QCOMPARE(std::get<Rows>(parsed), Rows {fields});
        const auto apostrophe = parseCsv("'plain\r\n");
        QCOMPARE(std::get<Rows>(apostrophe), Rows {{QStringLiteral("'plain")}});
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::newRow("unclosed quote") << QByteArray("a\n\"b") << 2;
        QTest::newRow("quote inside a field") << QByteArray("a\nb\"c\"") << 2;
        QTest::newRow("text after closing quote") << QByteArray("a\n\"b\"c") << 2;
    }

    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        const auto parsed = parseCsv(text);
        QVERIFY(std::holds_alternative<CsvError>(parsed));
        QCOMPARE(std::get<CsvError>(parsed).line, line);
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
