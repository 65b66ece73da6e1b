#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// Runs src/ocpp/codegen/generate_messages.py on the hand-made schemas in codegen-fixtures/.
namespace {

struct Run {
    int exitCode = -1;
    QString output;
    QString errors;
};

Run generate(const QString& actionsFile, const QString& outputDir)
{
    const QString fixtures = QStringLiteral(LINKRAY_CODEGEN_FIXTURES);
    QProcess process;
    process.start(QStringLiteral(LINKRAY_PYTHON),
        {QStringLiteral(LINKRAY_CODEGEN_SCRIPT), QStringLiteral("--schemas"),
            fixtures + QStringLiteral("/schemas.json"), QStringLiteral("--actions"),
            fixtures + QLatin1Char('/') + actionsFile, QStringLiteral("--output"), outputDir});
    if (!process.waitForFinished(60000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestCodegen : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void emitsDeclarations_data();
    void emitsDeclarations();
    void namesAClashAfterTheAction();
    void rejectsInconsistentInputs_data();
    void rejectsInconsistentInputs();

private:
    QTemporaryDir m_output;
    Run m_run;
};

void TestCodegen::initTestCase()
{
    QVERIFY(m_output.isValid());
    m_run = generate(QStringLiteral("actions.json"), m_output.path());
    QVERIFY2(m_run.exitCode == 0, qPrintable(m_run.errors));
}

void TestCodegen::emitsDeclarations_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("line");
    const QString header = QStringLiteral("messages.h");
    const QString rules = QStringLiteral("catalogue_data.cpp");
    const auto row = [](const char* name, const QString& file, const char* line) {
        QTest::newRow(name) << file << QString::fromUtf8(line);
    };
    row("request struct", header, "struct PingRequest {");
    row("action name", header, "    static constexpr const char* action = \"Ping\";");
    row("response type", header, "    using Response = PingResponse;");
    row("required string", header, "    QString note;");
    row("optional date-time", header, "    std::optional<QDateTime> sentAt;");
    row("required integer", header, "    qint64 count = 0;");
    row("optional number", header, "    std::optional<double> ratio;");
    row("enum through $ref as string", header, "    std::optional<QString> mode;");
    row("allowed values", header, "    static constexpr std::array<const char*, 2> modeValues{{\"Fast\", \"Slow\"}};");
    row("array of named items", header, "    std::optional<QList<Readings>> readings;");
    row("nested struct", header, "struct Readings {");
    row("optional boolean", header, "    std::optional<bool> ok;");
    row("conversions", header, "    static PingRequest fromJson(const QJsonObject& json);");
    row("empty response", header, "struct EchoResponse {");
    row("maxLength rule", rules,
        "    {\"note\", true, {JsonType::String, Format::None, 10, nullptr, 0, false, 0.0, 0.0, nullptr, nullptr, "
        "0}},");
    row("minimum rule", rules,
        "    {\"count\", true, {JsonType::Integer, Format::None, -1, nullptr, 0, true, 1.0, 0.0, nullptr, nullptr, "
        "0}},");
    row("multipleOf rule", rules,
        "    {\"ratio\", false, {JsonType::Number, Format::None, -1, nullptr, 0, false, 0.0, 0.5, nullptr, nullptr, "
        "0}},");
    row("date-time rule", rules,
        "    {\"sentAt\", false, {JsonType::String, Format::DateTime, -1, nullptr, 0, false, 0.0, 0.0, nullptr, "
        "nullptr, 0}},");
    row("array rule with minItems", rules,
        "    {\"readings\", false, {JsonType::Array, Format::None, -1, nullptr, 0, false, 0.0, 0.0, nullptr, &kItem2, "
        "1}},");
    row("closed object rule", rules, "constexpr ObjectRule kPingRequest{kPingRequestProperties, 7, false};");
    row("catalogue entry", rules,
        "        {QStringLiteral(\"Echo\"), Direction::Both, QStringLiteral(\"Core\"), &kEchoRequest, "
        "&kEchoResponse, &throughType<v16::EchoRequest>, &throughType<v16::EchoResponse>},");
}

void TestCodegen::emitsDeclarations()
{
    QFETCH(QString, file);
    QFETCH(QString, line);
    const QStringList lines = readText(m_output.filePath(QStringLiteral("ocpp/") + file)).split(QLatin1Char('\n'));
    QVERIFY2(lines.contains(line), qPrintable(line));
}

void TestCodegen::namesAClashAfterTheAction()
{
    const QString header = readText(m_output.filePath(QStringLiteral("ocpp/messages.h")));
    QVERIFY(header.contains(QLatin1String("struct Detail {\n    std::optional<qint64> level;")));
    QVERIFY(header.contains(QLatin1String("struct EchoDetail {\n    std::optional<QString> text;")));
    QVERIFY(header.contains(QLatin1String("    std::optional<EchoDetail> detail;")));
    QVERIFY2(m_run.output.contains(QLatin1String("named EchoDetail")), qPrintable(m_run.output));
}

void TestCodegen::rejectsInconsistentInputs_data()
{
    QTest::addColumn<QString>("actions");
    QTest::addColumn<QString>("message");
    QTest::newRow("action without schemas")
        << QStringLiteral("actions-without-schemas.json")
        << QStringLiteral("action Pong in \\S*actions-without-schemas.json has no req schema");
    QTest::newRow("schemas without action") << QStringLiteral("actions-missing-one.json")
                                            << QStringLiteral("schemas for Echo in \\S*schemas.json but no action in");
    QTest::newRow("unknown profile") << QStringLiteral("actions-bad-profile.json")
                                     << QStringLiteral("Ping: profile must be one of");
}

void TestCodegen::rejectsInconsistentInputs()
{
    QFETCH(QString, actions);
    QFETCH(QString, message);
    QTemporaryDir output;
    const Run run = generate(actions, output.path());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errors.contains(QRegularExpression(message)), qPrintable(run.errors));
    QVERIFY(!QFile::exists(output.filePath(QStringLiteral("ocpp/messages.h"))));
}

QTEST_GUILESS_MAIN(TestCodegen)
#include "tst_codegen.moc"
