#pragma once

#include <QString>

#include <optional>

namespace linkray::web {

// Creates a self-signed certificate (EC P-256, SHA-256, ten years) and its private key as PEM files readable by
// the owner only, so that the web app is HTTPS from the first start without an operator providing a certificate.
// The browser warns once; the operator can then pin it or configure a proper one. `hostName` becomes the common name
// and a subject alternative name next to localhost and 127.0.0.1. Returns why it could not.
std::optional<QString> generateSelfSignedCertificate(
    const QString& certificateFile, const QString& keyFile, const QString& hostName);

} // namespace linkray::web
