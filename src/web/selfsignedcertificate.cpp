#include "web/selfsignedcertificate.h"

#include <QFile>
#include <QSaveFile>

#include <memory>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace linkray::web {

namespace {

template<auto Free> struct OpenSslDeleter {
    template<typename T> void operator()(T* object) const { Free(object); }
};
using Key = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using Bio = std::unique_ptr<BIO, OpenSslDeleter<BIO_free>>;
using BigNumber = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;

constexpr long TenYearsSeconds = 10L * 365 * 24 * 3600;

bool addExtension(X509* certificate, int nid, const QByteArray& value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

Certificate makeCertificate(EVP_PKEY* key, const QByteArray& hostName)
{
    Certificate certificate(X509_new());
    const BigNumber serial(BN_new());
    X509_NAME* name = certificate ? X509_get_subject_name(certificate.get()) : nullptr;
    const QByteArray alternativeNames = "DNS:" + hostName + ",DNS:localhost,IP:127.0.0.1";
    const bool built = name && serial && X509_set_version(certificate.get(), 2) == 1
        && BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1
        && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) != nullptr
        && X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) != nullptr
        && X509_gmtime_adj(X509_getm_notAfter(certificate.get()), TenYearsSeconds) != nullptr
        && X509_set_pubkey(certificate.get(), key) == 1
        && X509_NAME_add_entry_by_txt(
               name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("LinkRay"), -1, -1, 0)
            == 1
        && X509_NAME_add_entry_by_txt(
               name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(hostName.constData()), -1, -1, 0)
            == 1
        && X509_set_issuer_name(certificate.get(), name) == 1
        && addExtension(certificate.get(), NID_subject_alt_name, alternativeNames)
        && addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE")
        && X509_sign(certificate.get(), key, EVP_sha256()) > 0;
    return built ? std::move(certificate) : nullptr;
}

template<typename Write> QByteArray pem(Write write)
{
    const Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || !write(bio.get()))
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

std::optional<QString> writeOwnerOnly(const QString& path, const QByteArray& content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)
        || file.write(content) != content.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace

std::optional<QString> generateSelfSignedCertificate(
    const QString& certificateFile, const QString& keyFile, const QString& hostName)
{
    const Key key(EVP_EC_gen("P-256"));
    if (!key)
        return QStringLiteral("OpenSSL could not generate a key");
    const Certificate certificate = makeCertificate(key.get(), hostName.toUtf8());
    if (!certificate)
        return QStringLiteral("OpenSSL could not build the certificate");
    const QByteArray keyPem = pem(
        [&](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1; });
    const QByteArray certificatePem = pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()) == 1; });
    if (keyPem.isEmpty() || certificatePem.isEmpty())
        return QStringLiteral("OpenSSL could not write the certificate as PEM");
    if (const auto error = writeOwnerOnly(keyFile, keyPem))
        return error;
    return writeOwnerOnly(certificateFile, certificatePem);
}

} // namespace linkray::web
