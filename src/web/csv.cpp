#include "web/csv.h"

namespace linkray::web {

namespace {

const QLatin1Char FormulaGuard('\'');

bool startsLikeAFormula(QStringView field)
{
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (field.isEmpty() || !formulaStarts.contains(field.front()))
        return false;
    bool isNumber = false;
    static_cast<void>(field.toDouble(&isNumber));
    return !isNumber;
}

QString guarded(const QString& field)
{
    return startsLikeAFormula(field) ? FormulaGuard + field : field;
}

QString unguarded(const QString& field)
{
    return field.startsWith(FormulaGuard) && startsLikeAFormula(QStringView(field).mid(1)) ? field.mid(1) : field;
}

} // namespace

QByteArray csvRow(const QStringList& fields)
{
    QStringList quoted;
    for (const QString& unsafe : fields) {
        const QString field = guarded(unsafe);
        const bool needsQuotes = field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"'))
            || field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r'));
        quoted.append(needsQuotes
                ? QLatin1Char('"') + QString(field).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"')
                : field);
    }
    return quoted.join(QLatin1Char(',')).toUtf8() + "\r\n";
}

std::variant<QList<QStringList>, CsvError> parseCsv(const QByteArray& text)
{
    const QString input = QString::fromUtf8(text);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldWasQuoted = false;
    int line = 1;
    const auto endField = [&] {
        row.append(unguarded(field));
        field.clear();
        fieldWasQuoted = false;
    };
    const auto endRow = [&] {
        endField();
        rows.append(row);
        row.clear();
    };
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < input.size() && input[i + 1] == QLatin1Char('"')) {
                field.append(c);
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field.append(c);
            }
        } else if (c == QLatin1Char('"')) {
            if (!field.isEmpty() || fieldWasQuoted)
                return CsvError {line, QStringLiteral("a quote inside an unquoted field")};
            quoted = true;
            fieldWasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\r') && i + 1 < input.size() && input[i + 1] == QLatin1Char('\n')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            endRow();
            ++line;
        } else if (fieldWasQuoted) {
            return CsvError {line, QStringLiteral("text after a closing quote")};
        } else {
            field.append(c);
        }
    }
    if (quoted)
        return CsvError {line, QStringLiteral("a quoted field is not closed")};
    if (!field.isEmpty() || !row.isEmpty() || fieldWasQuoted)
        endRow();
    return rows;
}

} // namespace linkray::web
