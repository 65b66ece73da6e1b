#include "app/configsections.h"

#include <QDir>
#include <QUrl>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

// The csms section and each charge point's csms settings, in the order docs/configuration.md gives them. No error
// repeats a URL or a password: a URL may carry user info, which is refused precisely because it is a secret.
namespace linkray::app {

namespace {

constexpr int MaxUrlLength = 2000;
constexpr int MaxPathLength = 4096;
constexpr int MaxPasswordLength = 256;

QString csmsUrlProblem(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return u"must be a ws:// or wss:// URL such as wss://csms.example.com/ocpp"_s;
    if (!url.userInfo().isEmpty())
        return u"must not contain a user name or password: upstream credentials are set by csms.credentials"
               " and chargePoints[].csms.password"_s;
    if (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1)
        return u"must start with ws:// or wss://"_s;
    if (url.hasQuery() || url.hasFragment())
        return u"must not contain \"?\" or \"#\": the charge point id is appended to the URL's path"_s;
    return {};
}

void readTls(FieldReader& r, CsmsTlsConfig& tls)
{
    r.text("caFile"_L1, tls.caFile, 1, MaxPathLength, absolutePathProblem);
    r.text("clientCertificateFile"_L1, tls.clientCertificateFile, 1, MaxPathLength, absolutePathProblem);
    r.text("clientKeyFile"_L1, tls.clientKeyFile, 1, MaxPathLength, absolutePathProblem);
    if (r.has("clientCertificateFile"_L1))
        r.require("clientKeyFile"_L1, u"with clientCertificateFile: the certificate's private key"_s);
    if (r.has("clientKeyFile"_L1))
        r.require("clientCertificateFile"_L1, u"with clientKeyFile: the certificate of that key"_s);
}

bool isTlsSet(const CsmsTlsConfig& tls)
{
    return !tls.caFile.isEmpty() || !tls.clientCertificateFile.isEmpty() || !tls.clientKeyFile.isEmpty();
}

bool isSecure(const QString& url)
{
    return url.startsWith("wss://"_L1, Qt::CaseInsensitive);
}

} // namespace

// LinkRay runs as a service: a relative path would depend on the directory it happens to be started in.
QString absolutePathProblem(const QString& path)
{
    if (!QDir::isAbsolutePath(path))
        return u"must be an absolute path"_s;
    return {};
}

CsmsKeysSeen readCsms(FieldReader& r, CsmsConfig& csms)
{
    CsmsKeysSeen seen;
    seen.url = r.has("url"_L1);
    r.text("url"_L1, csms.url, 1, MaxUrlLength, csmsUrlProblem);
    seen.credentialsValid = r.choice("credentials"_L1, csms.credentials, CsmsCredentialsChoices);
    r.object("tls"_L1, [&](FieldReader& tls) { readTls(tls, csms.tls); });
    r.integer("connectTimeoutSeconds"_L1, csms.connectTimeoutSeconds, 1, 60);
    r.integer("answerTimeoutSeconds"_L1, csms.answerTimeoutSeconds, 1, 60);
    r.integer("firstFrameWaitSeconds"_L1, csms.firstFrameWaitSeconds, 0, 20);
    r.object("reconnect"_L1, [&](FieldReader& reconnect) {
        CsmsReconnectConfig& settings = csms.reconnect;
        const bool initialValid = reconnect.integer("initialSeconds"_L1, settings.initialSeconds, 1, 300);
        const bool maxValid = reconnect.integer("maxSeconds"_L1, settings.maxSeconds, 1, 3600);
        if (initialValid && maxValid && settings.maxSeconds < settings.initialSeconds)
            reconnect.error("maxSeconds"_L1,
                u"must be at least %1 (%2)"_s.arg(reconnect.pathOf(u"initialSeconds"_s)).arg(settings.initialSeconds));
    });
    r.integer("replayAttempts"_L1, csms.replayAttempts, 1, 100);
    r.integer("outboxMaxMessages"_L1, csms.outboxMaxMessages, 1000, 10000000);
    r.integer("provisionalTransactionIdsFrom"_L1, csms.provisionalTransactionIdsFrom, 1, 2147000000);
    return seen;
}

bool readChargePointCsms(FieldReader& r, ChargePointCsmsConfig& own, const CsmsConfig& site, const CsmsKeysSeen& seen)
{
    bool urlGiven = false;
    bool passwordGiven = false;
    bool credentialsKnown = seen.credentialsValid;
    const auto configured = [&] { return own.credentials.value_or(site.credentials) == CsmsCredentials::Configured; };
    r.object("csms"_L1, [&](FieldReader& csms) {
        urlGiven = csms.has("url"_L1);
        csms.text("url"_L1, own.url, 1, MaxUrlLength, csmsUrlProblem);
        CsmsCredentials credentials = site.credentials;
        if (!csms.choice("credentials"_L1, credentials, CsmsCredentialsChoices)) {
            credentialsKnown = false;
        } else if (csms.has("credentials"_L1)) {
            own.credentials = credentials;
            credentialsKnown = true;
        }
        passwordGiven = csms.has("password"_L1);
        if (csms.allowedIf("password"_L1, !credentialsKnown || configured(),
                u"applies only when the charge point's credentials are \"configured\"; with \"pass-through\" the"
                " charger's own Authorization header is sent, with \"none\" no header"_s))
            csms.text("password"_L1, own.password, 1, MaxPasswordLength);
    });

    const bool csmsReadable = !r.has("csms"_L1) || r.value("csms"_L1).isObject();
    if (csmsReadable && credentialsKnown && configured() && (urlGiven || seen.url) && !passwordGiven) {
        const QString source = own.credentials ? r.pathOf(u"csms.credentials"_s) : u"csms.credentials"_s;
        r.errorAt(u"csms.password"_s,
            u"is required because %1 is \"configured\": the charge point's AuthorizationKey at the CSMS"_s.arg(source));
    }
    return urlGiven;
}

void checkCsms(FieldReader& root, const Config& config, const CsmsKeysSeen& seen, bool chargePointUrlGiven)
{
    if (config.mode == Mode::Online && !seen.url && !chargePointUrlGiven)
        root.errorAt(u"csms.url"_s,
            u"is required when mode is \"online\": the CSMS to relay charge points to (a URL in"
            " chargePoints[].csms.url would do too)"_s);

    const bool anySecure = isSecure(config.csms.url)
        || std::any_of(config.chargePoints.begin(), config.chargePoints.end(),
            [](const ChargePointConfig& chargePoint) { return isSecure(chargePoint.csms.url); });
    if (isTlsSet(config.csms.tls) && !anySecure)
        root.errorAt(u"csms.tls"_s,
            u"applies to wss:// URLs only, and neither csms.url nor any chargePoints[].csms.url is one:"
            " with ws:// nothing is encrypted"_s);
}

} // namespace linkray::app
