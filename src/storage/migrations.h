#pragma once

#include <vector>

// The schema history: migration N takes a database from user_version N-1 to N. Append only; never edit a
// migration that has shipped (see docs/storage.md).
namespace linkray::storage {

struct Migration {
    int version;
    const char* description;
    std::vector<const char*> statements;
};

const std::vector<Migration>& migrations();

} // namespace linkray::storage
