#pragma once

// What the fuzz targets that need Qt's event machinery and a database share.
#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>

namespace linkray::fuzz {

// A template for QTemporaryDir in RAM when the machine has /dev/shm: a fuzzer commits thousands of times a second.
inline QString dataDirectoryTemplate()
{
    return QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm/linkray-fuzz-XXXXXX")
                                                     : QDir::tempPath() + QStringLiteral("/linkray-fuzz-XXXXXX");
}

// The one application object of the process, made on the first input. LinkRay logs what it refuses; at thousands of
// inputs a second that is only noise.
inline void ensureApplication(const char* name)
{
    static int argc = 1;
    static QByteArray programName(name);
    static char* argv[] = {programName.data(), nullptr};
    static QCoreApplication application(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("linkray.*=false"));
}

} // namespace linkray::fuzz
