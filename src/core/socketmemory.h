#pragma once

class QObject;

namespace linkray {

// Makes `socketOwner` (a socket, or a QWebSocket and the sockets it made) hand back its buffer memory whenever a
// buffer runs empty: Qt keeps a 32 KiB write block and a 16 KiB read block per socket for the socket's whole life,
// most of a proxied charger's memory with two sockets each. Call it on an accepted socket, or on a QWebSocket right
// after open(), before any traffic.
void releaseIdleSocketBuffers(QObject& socketOwner);

} // namespace linkray
