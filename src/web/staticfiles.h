#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

class QHttpServerRequest;
class QHttpServerResponder;

namespace linkray::web {

// Serves the built web app (src/web/ui, compiled in under :/web/app): its files under /assets/, and index.html for
// every other page path, so that a reload on any address opens the app. The file names carry no content hash, so
// browsers revalidate them with their ETag.
class StaticFiles {
public:
    explicit StaticFiles(const QString& root = QStringLiteral(":/web/app"));

    // Whether `request` is for the app rather than the API: a GET of a path outside /api/.
    static bool isAppRequest(const QHttpServerRequest& request);
    void serve(const QHttpServerRequest& request, QHttpServerResponder&& responder) const;

private:
    struct File {
        QByteArray body;
        QByteArray contentType;
        QByteArray etag;
    };

    const File* fileFor(const QString& path) const;

    QHash<QString, File> m_files; // by path below the root, e.g. "assets/app.js"
};

} // namespace linkray::web
