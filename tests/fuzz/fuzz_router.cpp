// libFuzzer target for request routing and client id resolution: any
// method, path, header or cookie must route somewhere or nowhere, HEAD
// where GET does, and a client id that comes back must be a canonical
// UUID v4.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api_router.hpp"
#include "client_id.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
    using namespace docshift;
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // "METHOD\nPATH\nX-Client-Id\nCookie", any part may be missing.
    std::string_view fields[4];
    std::string_view rest = input;
    for (auto& field : fields) {
        const auto end = rest.find('\n');
        field = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{}
                                             : rest.substr(end + 1);
    }

    const route r = match_route(fields[0], fields[1]);
    const bool has_job = r.target == endpoint::get_job ||
                         r.target == endpoint::delete_job ||
                         r.target == endpoint::download_job;
    if (has_job != !r.job_id.empty() || (has_job && r.job_id.size() != 36)) {
        __builtin_trap();
    }
    // HEAD goes wherever GET goes.
    if (match_route("HEAD", fields[1]).target !=
        match_route("GET", fields[1]).target) {
        __builtin_trap();
    }

    const auto client = resolve_client_id(fields[2], fields[3]);
    const auto parsed = parse_client_id(client.id);
    if (!parsed || *parsed != client.id) {
        __builtin_trap();
    }
    return 0;
}
