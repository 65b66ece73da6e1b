#include "meter/httpjsonmeter.h"

#include "core/clock.h"
#include "meter/decode.h"
#include "meter/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace linkray::meter {

std::optional<MeterReading> decodeJsonReading(const QByteArray& body, const QVector<JsonField>& fields, QString* error)
{
    const auto fail = [error](const QString& reason) {
        if (error)
            *error = reason;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (document.isNull())
        return fail(QStringLiteral("the answer is not JSON: %1 at byte %2")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());

    MeterReading reading;
    for (const JsonField& field : fields) {
        const QString where = QStringLiteral("pointer \"%1\" (%2)").arg(field.pointer, quantityName(field.quantity));
        QString problem;
        const std::optional<QJsonValue> value = resolveJsonPointer(root, field.pointer, &problem);
        if (!value)
            return fail(QStringLiteral("%1 does not resolve: %2").arg(where, problem));
        if (!value->isDouble())
            return fail(QStringLiteral("%1 is a %2, not a number").arg(where, jsonTypeName(*value)));
        valueOf(reading, field.quantity) = value->toDouble() * field.scale;
    }
    return reading;
}

HttpJsonMeter::HttpJsonMeter(HttpJsonSettings settings, Clock& clock, const PollSettings& poll, QObject* parent)
    // Without the query either: a meter's API token may be in it.
    : PolledMeter(clock, poll,
        settings.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment), parent)
    , m_settings(std::move(settings))
    , m_timeoutMs(m_settings.timeoutMs.value_or(poll.intervalMs * 9 / 10))
    , m_network(new QNetworkAccessManager(this))
    , m_timeout(clock.createTimer())
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    // The meter is on the site's LAN: an http_proxy meant for downloads must not sit between LinkRay and it.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_timeout->setSingleShot(true);
    connect(m_timeout.get(), &Timer::timeout, this, &HttpJsonMeter::onTimeout);
}

HttpJsonMeter::~HttpJsonMeter()
{
    // The reply must not report into a half-destroyed meter.
    releaseReply();
}

void HttpJsonMeter::beginPoll()
{
    m_body.clear();
    QNetworkRequest request(m_settings.url);
    request.setRawHeader("Accept", "application/json");
    if (!m_settings.username.isEmpty()) {
        const QByteArray userPass = (m_settings.username + QLatin1Char(':') + m_settings.password).toUtf8();
        request.setRawHeader("Authorization", "Basic " + userPass.toBase64());
    }
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpJsonMeter::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpJsonMeter::onFinished);
    m_timeout->start(m_timeoutMs);
}

void HttpJsonMeter::abandonPoll()
{
    releaseReply();
}

void HttpJsonMeter::onReadyRead()
{
    // An error page is not the document: it is dropped as it arrives, and onFinished() reports the status. Aborting
    // here would fail the reply twice, as Qt reports the status as an error of its own when the transfer ends.
    if (!answerProblem().isEmpty()) {
        m_reply->skip(m_reply->bytesAvailable());
        return;
    }
    const QString problem = collectBody();
    if (!problem.isEmpty())
        endPollWithFailure(problem);
}

void HttpJsonMeter::onFinished()
{
    QString problem = answerProblem();
    if (problem.isEmpty())
        problem = collectBody();
    if (!problem.isEmpty()) {
        endPollWithFailure(problem);
        return;
    }
    releaseReply();
    QString error;
    std::optional<MeterReading> reading = decodeJsonReading(m_body, m_settings.fields, &error);
    if (reading)
        finishPoll(std::move(*reading));
    else
        failPoll(error);
}

void HttpJsonMeter::onTimeout()
{
    endPollWithFailure(QStringLiteral("no answer within %1 ms").arg(m_timeoutMs));
}

QString HttpJsonMeter::answerProblem() const
{
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && (status.toInt() < 200 || status.toInt() > 299)) {
        const QString answer = QStringLiteral("HTTP %1 %2")
                                   .arg(status.toInt())
                                   .arg(m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        return status.toInt() / 100 == 3 ? answer + QStringLiteral(" (redirects are not followed: set the final URL)")
                                         : answer;
    }
    if (m_reply->error() != QNetworkReply::NoError)
        return m_reply->errorString();
    return {};
}

QString HttpJsonMeter::collectBody()
{
    m_body += m_reply->read(m_settings.maxResponseBytes - m_body.size() + 1);
    if (m_body.size() > m_settings.maxResponseBytes)
        return QStringLiteral("the answer is larger than %1 bytes").arg(m_settings.maxResponseBytes);
    return {};
}

void HttpJsonMeter::endPollWithFailure(const QString& reason)
{
    releaseReply();
    failPoll(reason);
}

void HttpJsonMeter::releaseReply()
{
    m_timeout->stop();
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

} // namespace linkray::meter
