#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM and SIGINT into a Qt signal on the event loop, so shutdown runs as ordinary code
// (close charger connections, flush the database) instead of inside a signal handler.
namespace linkray::app {

class ShutdownSignals : public QObject {
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject* parent = nullptr);
    ~ShutdownSignals() override;

Q_SIGNALS:
    void shutdownRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace linkray::app
