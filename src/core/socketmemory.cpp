#include "core/socketmemory.h"

#include <QAbstractSocket>
#include <QtCore/private/qiodevice_p.h>
#include <QtCore/private/qringbuffer_p.h>

// Qt 6.4 has no public setting for a socket's buffer blocks, hence its private headers (qt6-base-private-dev): with
// this, a proxied charger costs 53.6 KB instead of 108.5 KB (docs/performance.md). QIODevicePrivate's buffer fields and
// QRingBuffer's keep-a-block rule are internals: check them again, and this bound, on a Qt upgrade (docs/decisions.md).
#if QT_VERSION < QT_VERSION_CHECK(6, 4, 0) || QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
#error "releaseIdleSocketBuffers() relies on Qt 6.4's QIODevicePrivate; check it against this Qt version"
#endif

namespace linkray {

namespace {

// A frame header and a payload below QRingBuffer's own 4 KiB threshold still share one block, so they leave in one
// send() as before: split, the payload waits behind Nagle and the peer's delayed ACK (+44 ms per Heartbeat, measured).
constexpr int writeBlockBytes = 4096;
// An emptied ring buffer keeps a block no larger than its chunk size: 1 means reads keep nothing.
constexpr int keptReadBlockBytes = 1;

void releaseBuffersOf(QAbstractSocket* socket)
{
    auto* device = static_cast<QIODevicePrivate*>(QObjectPrivate::get(socket));
    device->readBufferChunkSize = keptReadBlockBytes;
    for (QRingBuffer& buffer : device->readBuffers)
        buffer.setChunkSize(keptReadBlockBytes);
    device->writeBufferChunkSize = writeBlockBytes;
    for (QRingBuffer& buffer : device->writeBuffers)
        buffer.setChunkSize(writeBlockBytes);
    // A write block only frees itself when larger than the chunk size, so an emptied one is dropped here.
    QObject::connect(socket, &QIODevice::bytesWritten, socket, [device] {
        for (QRingBuffer& buffer : device->writeBuffers) {
            if (buffer.isEmpty())
                buffer.clear();
        }
    });
}

} // namespace

void releaseIdleSocketBuffers(QObject& socketOwner)
{
    if (auto* socket = qobject_cast<QAbstractSocket*>(&socketOwner))
        releaseBuffersOf(socket);
    const auto sockets = socketOwner.findChildren<QAbstractSocket*>();
    for (QAbstractSocket* socket : sockets)
        releaseBuffersOf(socket);
}

} // namespace linkray
