#include "core/passwordhash.h"

#include <QElapsedTimer>
#include <QTest>

using namespace linkray;

class TestPasswordHash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void verify_data();
    void verify();
    void sameInputHashesDifferently();
    void encodedFormIsSelfDescribing();
    void scryptVerify_data();
    void scryptVerify();
    void scryptFormIsSelfDescribing();
    void verifierRemembersOnlySuccesses();
    void verifierMissesAfterRotation();
    void verifierIsBounded();

private:
    QString m_encodedSecret;
};

void TestPasswordHash::initTestCase()
{
    m_encodedSecret = hashPassword(QStringLiteral("s3cret:with:colons"));
}

void TestPasswordHash::verify_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("expected");

    const QString good = hashPassword(QStringLiteral("s3cret:with:colons"));
    const QStringList parts = good.split(QLatin1Char('$'));
    const auto with = [&parts](int index, const QString& value) {
        QStringList changed = parts;
        changed[index] = value;
        return changed.join(QLatin1Char('$'));
    };

    QTest::newRow("right") << QStringLiteral("s3cret:with:colons") << good << true;
    QTest::newRow("wrong") << QStringLiteral("s3cret:with:colonz") << good << false;
    QTest::newRow("empty password") << QString() << good << false;
    QTest::newRow("non-ASCII right") << QStringLiteral("pässwörd") << hashPassword(QStringLiteral("pässwörd")) << true;
    QTest::newRow("empty encoded") << QStringLiteral("s3cret:with:colons") << QString() << false;
    QTest::newRow("other scheme") << QStringLiteral("s3cret:with:colons") << with(0, QStringLiteral("pbkdf2-sha1"))
                                  << false;
    QTest::newRow("iterations not a number")
        << QStringLiteral("s3cret:with:colons") << with(1, QStringLiteral("ten")) << false;
    QTest::newRow("zero iterations") << QStringLiteral("s3cret:with:colons") << with(1, QStringLiteral("0")) << false;
    QTest::newRow("other iterations") << QStringLiteral("s3cret:with:colons") << with(1, QStringLiteral("9999"))
                                      << false;
    QTest::newRow("salt not base64") << QStringLiteral("s3cret:with:colons") << with(2, QStringLiteral("!!!")) << false;
    QTest::newRow("empty salt") << QStringLiteral("s3cret:with:colons") << with(2, QString()) << false;
    QTest::newRow("hash truncated") << QStringLiteral("s3cret:with:colons") << with(3, parts[3].left(20)) << false;
    QTest::newRow("missing field") << QStringLiteral("s3cret:with:colons") << parts.mid(0, 3).join(QLatin1Char('$'))
                                   << false;
    QTest::newRow("extra field") << QStringLiteral("s3cret:with:colons") << good + QStringLiteral("$x") << false;
}

void TestPasswordHash::verify()
{
    QFETCH(QString, password);
    QFETCH(QString, encoded);
    QFETCH(bool, expected);
    QCOMPARE(verifyPassword(password, encoded), expected);
}

void TestPasswordHash::sameInputHashesDifferently()
{
    const QString again = hashPassword(QStringLiteral("s3cret:with:colons"));
    QVERIFY(again != m_encodedSecret);
    QVERIFY(again.split(QLatin1Char('$'))[2] != m_encodedSecret.split(QLatin1Char('$'))[2]);
    QVERIFY(verifyPassword(QStringLiteral("s3cret:with:colons"), again));
}

void TestPasswordHash::encodedFormIsSelfDescribing()
{
    const QStringList parts = m_encodedSecret.split(QLatin1Char('$'));
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts[0], QStringLiteral("pbkdf2-sha256"));
    QCOMPARE(parts[1].toInt(), kPasswordHashIterations);
    QCOMPARE(QByteArray::fromBase64(parts[2].toLatin1()).size(), 16);
    QCOMPARE(QByteArray::fromBase64(parts[3].toLatin1()).size(), 32);
}

void TestPasswordHash::scryptVerify_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("expected");

    const QString good = hashPasswordScrypt(QStringLiteral("s3cret:with:colons"));
    const QStringList parts = good.split(QLatin1Char('$'));
    const auto with = [&parts](int index, const QString& value) {
        QStringList changed = parts;
        changed[index] = value;
        return changed.join(QLatin1Char('$'));
    };

    QTest::newRow("right") << QStringLiteral("s3cret:with:colons") << good << true;
    QTest::newRow("wrong") << QStringLiteral("s3cret:with:colonz") << good << false;
    QTest::newRow("non-ASCII right") << QStringLiteral("pässwörd") << hashPasswordScrypt(QStringLiteral("pässwörd"))
                                     << true;
    QTest::newRow("other cost") << QStringLiteral("s3cret:with:colons") << with(1, QStringLiteral("13")) << false;
    QTest::newRow("cost beyond the bound")
        << QStringLiteral("s3cret:with:colons") << with(1, QStringLiteral("30")) << false;
    QTest::newRow("block size zero") << QStringLiteral("s3cret:with:colons") << with(2, QStringLiteral("0")) << false;
    QTest::newRow("parallelism not a number")
        << QStringLiteral("s3cret:with:colons") << with(3, QStringLiteral("one")) << false;
    QTest::newRow("salt not base64") << QStringLiteral("s3cret:with:colons") << with(4, QStringLiteral("!!!")) << false;
    QTest::newRow("hash truncated") << QStringLiteral("s3cret:with:colons") << with(5, parts[5].left(20)) << false;
    QTest::newRow("missing field") << QStringLiteral("s3cret:with:colons") << parts.mid(0, 5).join(QLatin1Char('$'))
                                   << false;
    QTest::newRow("pbkdf2 still verifies")
        << QStringLiteral("s3cret:with:colons") << hashPassword(QStringLiteral("s3cret:with:colons")) << true;
}

void TestPasswordHash::scryptVerify()
{
    QFETCH(QString, password);
    QFETCH(QString, encoded);
    QFETCH(bool, expected);
    QCOMPARE(verifyPassword(password, encoded), expected);
}

void TestPasswordHash::scryptFormIsSelfDescribing()
{
    const QString encoded = hashPasswordScrypt(QStringLiteral("s3cret:with:colons"));
    const QStringList parts = encoded.split(QLatin1Char('$'));
    QCOMPARE(parts.size(), 6);
    QCOMPARE(parts[0], QStringLiteral("scrypt"));
    QCOMPARE(parts[1].toInt(), kScryptLog2Cost);
    QCOMPARE(parts[2].toInt(), kScryptBlockSize);
    QCOMPARE(parts[3].toInt(), kScryptParallelism);
    QCOMPARE(QByteArray::fromBase64(parts[4].toLatin1()).size(), 16);
    QCOMPARE(QByteArray::fromBase64(parts[5].toLatin1()).size(), 32);
    QVERIFY(encoded != hashPasswordScrypt(QStringLiteral("s3cret:with:colons")));
}

void TestPasswordHash::verifierRemembersOnlySuccesses()
{
    PasswordVerifier verifier;
    QVERIFY(!verifier.verify(QStringLiteral("CP1"), QStringLiteral("wrong"), m_encodedSecret));
    QCOMPARE(verifier.rememberedCount(), 0);
    QVERIFY(verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colons"), m_encodedSecret));
    QCOMPARE(verifier.rememberedCount(), 1);

    // Remembered successes skip the key derivation: 50 derivations would take ~750 ms.
    QElapsedTimer elapsed;
    elapsed.start();
    for (int i = 0; i < 50; ++i)
        QVERIFY(verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colons"), m_encodedSecret));
    QVERIFY2(elapsed.elapsed() < 250, "remembered verifications still pay the key derivation");

    QVERIFY(!verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colonz"), m_encodedSecret));
    QVERIFY(!verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colons"), QStringLiteral("x$1$a$b")));
}

void TestPasswordHash::verifierMissesAfterRotation()
{
    PasswordVerifier verifier;
    QVERIFY(verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colons"), m_encodedSecret));
    const QString rotated = hashPassword(QStringLiteral("new-key"));
    QVERIFY(!verifier.verify(QStringLiteral("CP1"), QStringLiteral("s3cret:with:colons"), rotated));
    QVERIFY(verifier.verify(QStringLiteral("CP1"), QStringLiteral("new-key"), rotated));
}

void TestPasswordHash::verifierIsBounded()
{
    PasswordVerifier verifier(2);
    for (const auto& id : {QStringLiteral("CP1"), QStringLiteral("CP2"), QStringLiteral("CP3")})
        QVERIFY(verifier.verify(id, QStringLiteral("s3cret:with:colons"), m_encodedSecret));
    QCOMPARE(verifier.rememberedCount(), 2);
}

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
