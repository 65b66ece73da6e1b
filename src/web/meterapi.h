#pragma once

#include "web/router.h"
#include "web/webservices.h"

#include <memory>

namespace linkray::meter {
class SingleRead;
}

// The site meter read once with settings that are not saved yet: POST /api/v1/meter/test-read (docs/api.md).
namespace linkray::web {

class MeterApi {
public:
    explicit MeterApi(const WebServices& services);
    ~MeterApi();

    void addRoutes(Router& router);

private:
    void testRead(const ApiRequest& request, const Reply& reply);

    const WebServices& m_services;
    std::unique_ptr<meter::SingleRead> m_read; // the test read in progress: one at a time
};

// How long a test read waits for the meter's answer, connection included.
inline constexpr qint64 kMeterTestReadTimeoutMs = 5000;

} // namespace linkray::web
