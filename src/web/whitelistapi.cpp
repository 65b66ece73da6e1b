#include "web/whitelistapi.h"

#include "web/configapi.h"
#include "web/csv.h"

#include <QJsonObject>

namespace linkray::web {

namespace {

// The keys of a whitelist entry, in CSV column order, and their length bounds (docs/configuration.md).
struct EntryField {
    const char* key;
    int minLength;
    int maxLength;
};

constexpr std::array kEntryFields {
    EntryField {"idTag", 1, 20},
    EntryField {"status", 1, 16},
    EntryField {"expiryDate", 1, 40},
    EntryField {"parentIdTag", 1, 20},
    EntryField {"note", 0, 200},
};

QString authorizationKey()
{
    return QStringLiteral("authorization");
}

QString whitelistKey()
{
    return QStringLiteral("whitelist");
}

QString idTagOf(const QJsonValue& entry)
{
    return entry.toObject().value(QStringLiteral("idTag")).toString();
}

// OCPP compares idTags without regard to case, and so does the configuration.
qsizetype indexOf(const QJsonArray& whitelist, const QString& idTag)
{
    for (qsizetype i = 0; i < whitelist.size(); ++i) {
        if (idTagOf(whitelist[i]).compare(idTag, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

void upsert(QJsonArray& whitelist, const QJsonObject& entry)
{
    const qsizetype index = indexOf(whitelist, entry.value(QStringLiteral("idTag")).toString());
    if (index < 0)
        whitelist.append(entry);
    else
        whitelist[index] = entry;
}

ApiResponse unavailable()
{
    return errorResponse(503, QStringLiteral("the configuration cannot be changed now"));
}

std::optional<ApiResponse> readIdTag(const ApiRequest& request, QString& idTag)
{
    idTag = request.param(QStringLiteral("idTag"));
    if (idTag.size() > 20)
        return errorResponse(400, QStringLiteral("must be 1 to 20 characters long"), QStringLiteral("idTag"));
    return std::nullopt;
}

// Row `line` of an import as a whitelist entry, its cells named by `header`.
std::variant<QJsonObject, ApiResponse> entryFromRow(const QStringList& header, const QStringList& row, int line)
{
    if (row.size() != header.size()) {
        return errorResponse(400, QStringLiteral("has %1 fields, the header %2").arg(row.size()).arg(header.size()),
            QStringLiteral("line %1").arg(line));
    }
    QJsonObject entry;
    for (qsizetype column = 0; column < header.size(); ++column) {
        if (!row[column].isEmpty())
            entry.insert(header[column], row[column]);
    }
    for (const EntryField& field : kEntryFields) {
        const QString key = QLatin1String(field.key);
        const QString value = entry.value(key).toString();
        if (entry.contains(key) && value.size() > field.maxLength) {
            return errorResponse(400, QStringLiteral("must be at most %1 characters long").arg(field.maxLength),
                QStringLiteral("line %1 %2").arg(line).arg(key));
        }
    }
    if (!entry.contains(QStringLiteral("idTag")))
        return errorResponse(400, QStringLiteral("is required"), QStringLiteral("line %1 idTag").arg(line));
    return entry;
}

} // namespace

WhitelistApi::WhitelistApi(const WebServices& services)
    : m_services(services)
{
}

void WhitelistApi::addRoutes(Router& router)
{
    const auto bind = [this](ApiResponse (WhitelistApi::*method)(const ApiRequest&)) {
        return [this, method](const ApiRequest& request) { return (this->*method)(request); };
    };
    router.add("GET", QStringLiteral("/api/v1/whitelist"), Access::needs(Permission::Read), bind(&WhitelistApi::list));
    router.add("PUT", QStringLiteral("/api/v1/whitelist/{idTag}"), Access::needs(Permission::Operate),
        bind(&WhitelistApi::put));
    router.add("DELETE", QStringLiteral("/api/v1/whitelist/{idTag}"), Access::needs(Permission::Operate),
        bind(&WhitelistApi::remove));
    router.add("POST", QStringLiteral("/api/v1/whitelist/import"), Access::needs(Permission::Operate),
        bind(&WhitelistApi::import));
}

ApiResponse WhitelistApi::list(const ApiRequest& request)
{
    bool csv = false;
    if (auto error = readFormat(request, csv))
        return *error;
    const auto whitelist = currentWhitelist();
    if (!whitelist)
        return unavailable();
    if (!csv)
        return jsonResponse({{whitelistKey(), *whitelist}});
    QStringList header;
    for (const EntryField& field : kEntryFields)
        header.append(QLatin1String(field.key));
    QByteArray text = csvRow(header);
    for (const QJsonValue& entry : *whitelist) {
        QStringList row;
        for (const QString& key : header)
            row.append(entry.toObject().value(key).toString());
        text += csvRow(row);
    }
    return ApiResponse {200, "text/csv; charset=utf-8", text, {}};
}

ApiResponse WhitelistApi::put(const ApiRequest& request)
{
    QString idTag;
    if (auto error = readIdTag(request, idTag))
        return *error;
    const auto body = jsonBody(request);
    if (const auto* error = std::get_if<ApiResponse>(&body))
        return *error;
    const QJsonObject& fields = std::get<QJsonObject>(body);
    QJsonObject entry {{QStringLiteral("idTag"), idTag}};
    QStringList allowed;
    for (const EntryField& field : kEntryFields) {
        const QString key = QLatin1String(field.key);
        if (key == QLatin1String("idTag"))
            continue;
        allowed.append(key);
        QString value;
        if (auto error = readText(fields, key, field.minLength, field.maxLength, false, value))
            return *error;
        if (fields.contains(key))
            entry.insert(key, value);
    }
    if (auto error = rejectUnknownFields(fields, allowed))
        return *error;
    auto whitelist = currentWhitelist();
    if (!whitelist)
        return unavailable();
    const bool created = indexOf(*whitelist, idTag) < 0;
    upsert(*whitelist, entry);
    if (auto refused = apply(*whitelist, request.session->userName))
        return *refused;
    return jsonResponse(entry, created ? 201 : 200);
}

ApiResponse WhitelistApi::remove(const ApiRequest& request)
{
    QString idTag;
    if (auto error = readIdTag(request, idTag))
        return *error;
    auto whitelist = currentWhitelist();
    if (!whitelist)
        return unavailable();
    const qsizetype index = indexOf(*whitelist, idTag);
    if (index < 0)
        return errorResponse(404, QStringLiteral("the idTag is not in the whitelist"), QStringLiteral("idTag"));
    whitelist->removeAt(index);
    if (auto refused = apply(*whitelist, request.session->userName))
        return *refused;
    return noContent();
}

ApiResponse WhitelistApi::import(const ApiRequest& request)
{
    if (!request.contentType.startsWith("text/csv"))
        return errorResponse(415, QStringLiteral("the body must be text/csv"), QStringLiteral("Content-Type"));
    const QString mode = request.queryItem(QStringLiteral("mode"));
    if (!mode.isEmpty() && mode != QLatin1String("merge") && mode != QLatin1String("replace"))
        return errorResponse(400, QStringLiteral("must be merge or replace"), QStringLiteral("mode"));
    const auto parsed = parseCsv(request.body);
    if (const auto* error = std::get_if<CsvError>(&parsed))
        return errorResponse(400, error->reason, QStringLiteral("line %1").arg(error->line));
    const auto& rows = std::get<QList<QStringList>>(parsed);
    if (rows.isEmpty())
        return errorResponse(400, QStringLiteral("a header row is required"), QStringLiteral("line 1"));
    const QStringList& header = rows.first();
    for (const QString& column : header) {
        const bool known = std::any_of(kEntryFields.begin(), kEntryFields.end(),
            [&column](const EntryField& field) { return column == QLatin1String(field.key); });
        if (!known || header.count(column) > 1)
            return errorResponse(
                400, QStringLiteral("unknown or repeated column %1").arg(column), QStringLiteral("line 1"));
    }
    auto whitelist = mode == QLatin1String("replace") ? std::optional<QJsonArray>(QJsonArray()) : currentWhitelist();
    if (!whitelist)
        return unavailable();
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const auto entry = entryFromRow(header, rows[i], static_cast<int>(i + 1));
        if (const auto* error = std::get_if<ApiResponse>(&entry))
            return *error;
        upsert(*whitelist, std::get<QJsonObject>(entry));
    }
    if (auto refused = apply(*whitelist, request.session->userName))
        return *refused;
    return jsonResponse(
        {{QStringLiteral("imported"), rows.size() - 1}, {QStringLiteral("whitelistSize"), whitelist->size()}});
}

std::optional<QJsonArray> WhitelistApi::currentWhitelist() const
{
    if (!m_services.currentConfig || !m_services.applyConfig)
        return std::nullopt;
    return m_services.currentConfig().value(authorizationKey()).toObject().value(whitelistKey()).toArray();
}

std::optional<ApiResponse> WhitelistApi::apply(const QJsonArray& whitelist, const QString& userName)
{
    QJsonObject config = m_services.currentConfig();
    QJsonObject authorization = config.value(authorizationKey()).toObject();
    authorization.insert(whitelistKey(), whitelist);
    config.insert(authorizationKey(), authorization);
    return applyConfigChange(
        m_services, config, userName, QStringLiteral("the whitelist, now %1 tags").arg(whitelist.size()));
}

} // namespace linkray::web
