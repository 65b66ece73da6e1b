#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

// RFC 4180 CSV for exports and the whitelist import: comma-separated, fields quoted when they need it, CRLF lines.
//
// A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, so a tag or note a
// charger or user chose could run one on the operator's computer. Such a field is written with a leading
// apostrophe, which spreadsheets hide, and the apostrophe is taken off again on import, so that an export imports
// as it was. Numbers (e.g. -5) are written as they are: they are no formula.
namespace linkray::web {

QByteArray csvRow(const QStringList& fields);

struct CsvError {
    int line = 0; // 1-based
    QString reason;
};

// Rows of `text` (UTF-8); a trailing empty line is ignored.
std::variant<QList<QStringList>, CsvError> parseCsv(const QByteArray& text);

} // namespace linkray::web
