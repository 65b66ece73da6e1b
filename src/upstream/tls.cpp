#include "upstream/tls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace linkray::upstream {

namespace {
std::optional<QList<QSslCertificate>> readCertificates(const QString& fileName, QString& error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read %1: %2").arg(fileName, file.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty()) {
        error = QStringLiteral("no PEM certificate in %1").arg(fileName);
        return std::nullopt;
    }
    return certificates;
}

std::optional<QSslKey> readPrivateKey(const QString& fileName, QString& error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read %1: %2").arg(fileName, file.errorString());
        return std::nullopt;
    }
    const QByteArray pem = file.readAll();
    // QSslKey needs the algorithm up front; PKCS#8 PEM does not name it in its header line.
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    error = QStringLiteral("no unencrypted RSA or EC private key in %1").arg(fileName);
    return std::nullopt;
}
} // namespace

TlsSetup loadTlsConfiguration(const TlsOptions& options)
{
    TlsSetup setup;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);

    if (!options.caFile.isEmpty()) {
        const auto authorities = readCertificates(options.caFile, setup.error);
        if (!authorities)
            return setup;
        configuration.setCaCertificates(*authorities);
    }

    if (options.clientCertificateFile.isEmpty() != options.clientKeyFile.isEmpty()) {
        setup.error = QStringLiteral("a client certificate needs both a certificate file and a key file");
        return setup;
    }
    if (!options.clientCertificateFile.isEmpty()) {
        const auto chain = readCertificates(options.clientCertificateFile, setup.error);
        if (!chain)
            return setup;
        const auto key = readPrivateKey(options.clientKeyFile, setup.error);
        if (!key)
            return setup;
        configuration.setLocalCertificateChain(*chain);
        configuration.setPrivateKey(*key);
    }
    setup.configuration = configuration;
    return setup;
}

} // namespace linkray::upstream
