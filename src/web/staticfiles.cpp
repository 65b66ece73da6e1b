#include "web/staticfiles.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QRegularExpression>

namespace linkray::web {

namespace {

const QString kIndex = QStringLiteral("index.html");
const QString kAssetsPrefix = QStringLiteral("/assets/");

// The app loads only its own files, runs no inline script and may not be framed.
constexpr auto kContentSecurityPolicy
    = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
      "form-action 'self'";

QByteArray contentTypeOf(const QString& name)
{
    static const QHash<QString, QByteArray> types {
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("ico"), "image/x-icon"},
    };
    return types.value(name.section(QLatin1Char('.'), -1), "application/octet-stream");
}

void write(QHttpServerResponder& responder, QHttpServerResponse&& response)
{
    response.addHeader("X-Content-Type-Options", "nosniff");
    response.write(std::move(responder));
}

} // namespace

StaticFiles::StaticFiles(const QString& root)
{
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        File served;
        served.body = file.readAll();
        served.contentType = contentTypeOf(path);
        served.etag = '"' + QCryptographicHash::hash(served.body, QCryptographicHash::Sha256).toHex().left(32) + '"';
        m_files.insert(path.mid(root.size() + 1), served);
    }
}

bool StaticFiles::isAppRequest(const QHttpServerRequest& request)
{
    const QString path = request.url().path();
    return request.method() == QHttpServerRequest::Method::Get && path != QStringLiteral("/api")
        && !path.startsWith(QStringLiteral("/api/"));
}

const StaticFiles::File* StaticFiles::fileFor(const QString& path) const
{
    if (!path.startsWith(kAssetsPrefix)) {
        const auto index = m_files.constFind(kIndex);
        return index == m_files.cend() ? nullptr : &*index;
    }
    // Asset names are flat and plain: nothing under /assets/ can reach outside it.
    static const QRegularExpression assetName(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]*$"));
    if (!assetName.match(path.mid(kAssetsPrefix.size())).hasMatch())
        return nullptr;
    const auto asset = m_files.constFind(path.mid(1));
    return asset == m_files.cend() ? nullptr : &*asset;
}

void StaticFiles::serve(const QHttpServerRequest& request, QHttpServerResponder&& responder) const
{
    const QString path = request.url().path();
    const File* file = fileFor(path);
    if (!file) {
        write(responder,
            QHttpServerResponse(
                "text/plain; charset=utf-8", QByteArray("no such file\n"), QHttpServerResponse::StatusCode::NotFound));
        return;
    }
    if (request.value("If-None-Match") == file->etag) {
        QHttpServerResponse notModified(QHttpServerResponse::StatusCode::NotModified);
        notModified.addHeader("ETag", file->etag);
        notModified.addHeader("Cache-Control", "no-cache");
        write(responder, std::move(notModified));
        return;
    }
    QHttpServerResponse response(file->contentType, file->body);
    response.addHeader("ETag", file->etag);
    response.addHeader("Cache-Control", "no-cache");
    if (file->contentType.startsWith("text/html")) {
        response.addHeader("Content-Security-Policy", kContentSecurityPolicy);
        response.addHeader("Referrer-Policy", "no-referrer");
    }
    write(responder, std::move(response));
}

} // namespace linkray::web
