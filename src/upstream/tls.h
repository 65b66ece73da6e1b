#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace linkray::upstream {

// Where the TLS material for wss:// comes from. All files are PEM.
struct TlsOptions {
    QString caFile; // the CA certificates to trust instead of the system store; empty = system store
    QString clientCertificateFile; // security profile 3: our certificate, leaf first, then its chain
    QString clientKeyFile; // the client certificate's private key, unencrypted (RSA or EC)
};

struct TlsSetup {
    std::optional<QSslConfiguration> configuration; // empty when a file could not be used
    QString error; // why, naming the file (never its contents)
};

// Reads the files (again on every call, so that a renewed client certificate is used at the next connect).
// Peers are always verified: there is no option to ignore certificate errors.
TlsSetup loadTlsConfiguration(const TlsOptions& options);

} // namespace linkray::upstream
