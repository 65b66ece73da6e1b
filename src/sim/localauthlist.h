#pragma once

#include "ocpp/messages.h"

#include <QHash>

// The local authorisation list a CSMS maintains with SendLocalList, and its version (GetLocalListVersion).
namespace linkray::sim {

class LocalAuthList {
public:
    explicit LocalAuthList(int maxLength)
        : m_maxLength(maxLength)
    {
    }

    // The SendLocalList status: Full replaces the list, Differential adds, updates (with idTagInfo) or removes.
    QString apply(const ocpp::v16::SendLocalListRequest& request);
    qint64 version() const { return m_version; }

private:
    int m_maxLength;
    qint64 m_version = 0;
    QHash<QString, ocpp::v16::IdTagInfo> m_entries;
};

} // namespace linkray::sim
