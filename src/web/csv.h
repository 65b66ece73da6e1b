#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

// RFC 4180 CSV for exports and the whitelist import: comma-separated, fields quoted when they need it, CRLF lines.
namespace linkray::web {

QByteArray csvRow(const QStringList& fields);

struct CsvError {
    int line = 0; // 1-based
    QString reason;
};

// Rows of `text` (UTF-8); a trailing empty line is ignored.
std::variant<QList<QStringList>, CsvError> parseCsv(const QByteArray& text);

} // namespace linkray::web
