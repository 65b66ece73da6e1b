#include "core/clock.h"
#include "testpeers.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>

using namespace linkray;
using namespace linkray::upstream;
using namespace linkray::upstream::test;

using State = UpstreamConnection::State;

// wss:// against a QWebSocketServer in SecureMode, with certificates made by the openssl CLI once per run.
class TestTls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trustedCsmsAccepted();
    void untrustedCsmsRefused_data();
    void untrustedCsmsRefused();
    void clientCertificatePresented();
    void csmsWantingClientCertificateGetsNone();
    void unusableTlsFiles_data();
    void unusableTlsFiles();
    void clientKeyFormats_data();
    void clientKeyFormats();

private:
    // A self-signed EC certificate (usable as its own CA) in <name>.pem and <name>.key.
    bool makeCertificate(const QString& name, const QString& subject, const QString& altName);
    static bool runOpenssl(const QStringList& arguments);
    QString file(const QString& name) const { return m_dir.filePath(name); }
    // A SecureMode server presenting `certificate`; `clientCa` set = it demands a client certificate from that CA.
    std::unique_ptr<CsmsServer> secureServer(const QString& certificate, const QString& clientCa = {}) const;

    QTemporaryDir m_dir;
};

bool TestTls::runOpenssl(const QStringList& arguments)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), arguments);
    return openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit && openssl.exitCode() == 0;
}

bool TestTls::makeCertificate(const QString& name, const QString& subject, const QString& altName)
{
    return runOpenssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
        QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), subject, QStringLiteral("-addext"),
        QStringLiteral("subjectAltName=") + altName, QStringLiteral("-keyout"), file(name + QStringLiteral(".key")),
        QStringLiteral("-out"), file(name + QStringLiteral(".pem"))});
}

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(makeCertificate(QStringLiteral("csms"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("IP:127.0.0.1")));
    QVERIFY(
        makeCertificate(QStringLiteral("stranger"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("IP:127.0.0.1")));
    QVERIFY(makeCertificate(
        QStringLiteral("elsewhere"), QStringLiteral("/CN=csms.example"), QStringLiteral("DNS:csms.example")));
    QVERIFY(makeCertificate(QStringLiteral("charger"), QStringLiteral("/CN=CP1"), QStringLiteral("DNS:CP1")));
}

std::unique_ptr<CsmsServer> TestTls::secureServer(const QString& certificate, const QString& clientCa) const
{
    QSslConfiguration configuration;
    QFile certificateFile(file(certificate + QStringLiteral(".pem")));
    QFile keyFile(file(certificate + QStringLiteral(".key")));
    if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return nullptr;
    configuration.setLocalCertificate(QSslCertificate(&certificateFile, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!clientCa.isEmpty()) {
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        configuration.setCaCertificates(QSslCertificate::fromPath(file(clientCa + QStringLiteral(".pem"))));
    }
    auto csms = std::make_unique<CsmsServer>(QWebSocketServer::SecureMode);
    csms->server.setSslConfiguration(configuration);
    if (!csms->listen())
        return nullptr;
    return csms;
}

void TestTls::trustedCsmsAccepted()
{
    ManualClock clock;
    const auto csms = secureServer(QStringLiteral("csms"));
    QVERIFY(csms);
    UpstreamConnection::Options options = optionsFor(csms->url(QStringLiteral("wss")));
    options.tls.caFile = file(QStringLiteral("csms.pem"));
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    QSignalSpy received(&connection, &UpstreamConnection::textReceived);
    connection.open();
    const std::unique_ptr<QWebSocket> peer = csms->next();
    QVERIFY(peer);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(peer->requestUrl().path(), QStringLiteral("/ocpp/CP1"));
    QVERIFY(peer->sslConfiguration().peerCertificate().isNull()); // no client certificate configured

    peer->sendTextMessage(QStringLiteral("[2,\"7\",\"TriggerMessage\",{\"requestedMessage\":\"Heartbeat\"}]"));
    QTRY_COMPARE(received.count(), 1);
}

void TestTls::untrustedCsmsRefused_data()
{
    QTest::addColumn<QString>("serverCertificate");
    QTest::addColumn<QString>("caFile"); // empty: the system store
    QTest::newRow("self-signed, system store") << QStringLiteral("csms") << QString();
    QTest::newRow("another CA") << QStringLiteral("csms") << QStringLiteral("stranger.pem");
    QTest::newRow("trusted, but for another host") << QStringLiteral("elsewhere") << QStringLiteral("elsewhere.pem");
}

void TestTls::untrustedCsmsRefused()
{
    QFETCH(QString, serverCertificate);
    QFETCH(QString, caFile);

    ManualClock clock;
    const auto csms = secureServer(serverCertificate);
    QVERIFY(csms);
    UpstreamConnection::Options options = optionsFor(csms->url(QStringLiteral("wss")));
    options.tls.caFile = caFile.isEmpty() ? QString() : file(caFile);
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy refused(&connection, &UpstreamConnection::refused);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    connection.open();
    QTRY_COMPARE(refused.count(), 1);
    const QString reason = refused.at(0).at(0).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("TLS certificate of the CSMS not accepted: ")), qPrintable(reason));
    QCOMPARE(refused.at(0).at(1).value<std::optional<int>>(), std::optional<int>());
    QCOMPARE(opened.count(), 0);
    QCOMPARE(csms->accepted.count(), 0);
    QCOMPARE(connection.state(), State::Waiting);
}

void TestTls::clientCertificatePresented()
{
    ManualClock clock;
    const auto csms = secureServer(QStringLiteral("csms"), QStringLiteral("charger"));
    QVERIFY(csms);
    UpstreamConnection::Options options = optionsFor(csms->url(QStringLiteral("wss")));
    options.tls
        = {file(QStringLiteral("csms.pem")), file(QStringLiteral("charger.pem")), file(QStringLiteral("charger.key"))};
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    connection.open();
    const std::unique_ptr<QWebSocket> peer = csms->next();
    QVERIFY(peer);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(peer->sslConfiguration().peerCertificate().subjectInfo(QSslCertificate::CommonName),
        QStringList {QStringLiteral("CP1")});
}

void TestTls::csmsWantingClientCertificateGetsNone()
{
    ManualClock clock;
    const auto csms = secureServer(QStringLiteral("csms"), QStringLiteral("charger"));
    QVERIFY(csms);
    UpstreamConnection::Options options = optionsFor(csms->url(QStringLiteral("wss")));
    options.tls.caFile = file(QStringLiteral("csms.pem"));
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy closed(&connection, &UpstreamConnection::closed);
    QSignalSpy opened(&connection, &UpstreamConnection::opened);
    connection.open();
    // The CSMS's TLS alert is not a certificate error on our side: a failed attempt, retried.
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(
        closed.at(0).at(0).value<QWebSocketProtocol::CloseCode>(), QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(opened.count(), 0);
    QCOMPARE(csms->accepted.count(), 0);
}

void TestTls::unusableTlsFiles_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("certificateFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing CA file") << QStringLiteral("nothere.pem") << QString() << QString()
                                     << QStringLiteral("TLS set-up failed: cannot read %1/nothere.pem");
    QTest::newRow("CA file is a key") << QStringLiteral("csms.key") << QString() << QString()
                                      << QStringLiteral("TLS set-up failed: no PEM certificate in %1/csms.key");
    QTest::newRow("certificate without key") << QString() << QStringLiteral("charger.pem") << QString()
                                             << QStringLiteral("TLS set-up failed: a client certificate needs both");
    QTest::newRow("key is a certificate")
        << QString() << QStringLiteral("charger.pem") << QStringLiteral("charger.pem")
        << QStringLiteral("TLS set-up failed: no unencrypted RSA or EC private key in "
                          "%1/charger.pem");
}

void TestTls::unusableTlsFiles()
{
    QFETCH(QString, caFile);
    QFETCH(QString, certificateFile);
    QFETCH(QString, keyFile);
    QFETCH(QString, reason);

    ManualClock clock;
    const auto csms = secureServer(QStringLiteral("csms"));
    QVERIFY(csms);
    UpstreamConnection::Options options = optionsFor(csms->url(QStringLiteral("wss")));
    const auto path = [this](const QString& name) { return name.isEmpty() ? QString() : file(name); };
    options.tls = {path(caFile), path(certificateFile), path(keyFile)};
    UpstreamConnection connection(QStringLiteral("CP1"), options, clock);
    QSignalSpy refused(&connection, &UpstreamConnection::refused);
    connection.open();
    QCOMPARE(refused.count(), 1); // at once: nothing was sent
    QVERIFY2(refused.at(0).at(0).toString().startsWith(reason.replace(QStringLiteral("%1"), m_dir.path())),
        qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(connection.state(), State::Waiting);
}

void TestTls::clientKeyFormats_data()
{
    QTest::addColumn<QStringList>("generate"); // openssl command and arguments; -out is added
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");
    QTest::newRow("RSA, PKCS#1") << QStringList {QStringLiteral("genrsa"), QStringLiteral("-traditional"),
        QStringLiteral("2048")} << QSsl::Rsa;
    QTest::newRow("RSA, PKCS#8") << QStringList {QStringLiteral("genrsa"), QStringLiteral("2048")} << QSsl::Rsa;
    QTest::newRow("EC, SEC1") << QStringList {QStringLiteral("ecparam"), QStringLiteral("-name"),
        QStringLiteral("prime256v1"), QStringLiteral("-genkey"), QStringLiteral("-noout")}
                              << QSsl::Ec;
}

void TestTls::clientKeyFormats()
{
    QFETCH(QStringList, generate);
    QFETCH(QSsl::KeyAlgorithm, algorithm);
    const QString keyFile
        = file(QString::fromLatin1(QTest::currentDataTag()).remove(QLatin1Char(' ')) + QStringLiteral(".key"));
    generate.insert(1, QStringLiteral("-out"));
    generate.insert(2, keyFile);
    QVERIFY(runOpenssl(generate));
    const TlsSetup setup = loadTlsConfiguration({{}, file(QStringLiteral("charger.pem")), keyFile});
    QVERIFY2(setup.configuration, qPrintable(setup.error));
    QCOMPARE(setup.configuration->privateKey().algorithm(), algorithm);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
