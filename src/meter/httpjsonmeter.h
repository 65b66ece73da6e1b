#pragma once

#include "meter/meterdriver.h"
#include "meter/registermap.h"

#include <QByteArray>
#include <QPointer>
#include <QUrl>
#include <QVector>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace linkray::meter {

// Where the meter's JSON answer holds one value of the reading.
struct JsonField {
    Quantity quantity = Quantity::TotalPower;
    QString pointer; // RFC 6901, e.g. "/emeters/0/current"
    double scale = 1.0; // the JSON number times scale is the value in V, A, W or Wh (0.001 turns mA into A)
};

struct HttpJsonSettings {
    QUrl url; // http:// or https://, without user info: credentials go in username and password
    QString username; // HTTP Basic auth; empty = no Authorization header
    QString password; // a secret: never logged
    std::optional<qint64> timeoutMs; // unset = 90 % of the poll interval
    qint64 maxResponseBytes = qint64(64) * 1024; // a larger answer is a failed poll
    QVector<JsonField> fields; // values not listed stay empty in the reading
};

/// Decodes one answer of the meter (pure). Returns nothing, and sets *error, when the body is not JSON, a pointer
/// refers to nothing or to something other than a number; the error names the pointer and the value.
std::optional<MeterReading> decodeJsonReading(const QByteArray& body, const QVector<JsonField>& fields, QString* error);

/// A meter read with an HTTP GET of a JSON document at every poll, e.g. a Shelly Pro 3EM's /rpc/EM.GetStatus.
/// A request that has not answered within the timeout (on the Clock) is aborted: a missed poll, never a blocked loop.
/// Redirects are not followed (the credentials must not travel to another host).
class HttpJsonMeter final : public PolledMeter {
    Q_OBJECT
public:
    HttpJsonMeter(HttpJsonSettings settings, Clock& clock, const PollSettings& poll = {}, QObject* parent = nullptr);
    ~HttpJsonMeter() override;

    const HttpJsonSettings& httpSettings() const { return m_settings; }
    qint64 timeoutMs() const { return m_timeoutMs; }

protected:
    void beginPoll() override;
    void abandonPoll() override;

private:
    void onReadyRead();
    void onFinished();
    void onTimeout();
    // Why the answer so far is no use (a transport error or a status other than 2xx), or an empty string.
    QString answerProblem() const;
    // Moves what has arrived into m_body; says why once the answer is larger than allowed, else an empty string.
    QString collectBody();
    void endPollWithFailure(const QString& reason);
    void releaseReply();

    HttpJsonSettings m_settings;
    qint64 m_timeoutMs;
    QNetworkAccessManager* m_network; // child of this
    std::unique_ptr<Timer> m_timeout;
    QPointer<QNetworkReply> m_reply; // of the poll in progress
    QByteArray m_body;
};

} // namespace linkray::meter
