#include "request_metrics.hpp"

#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace docshift {

namespace {

constexpr std::array<int, 16> statuses = {200, 201, 204, 400, 403, 404,
                                          405, 409, 413, 415, 422, 429,
                                          500, 502, 503, 504};
constexpr std::size_t other_status = statuses.size();

constexpr std::array<const char*, 11> route_names = {
    "conversions", "create_job",  "list_jobs", "get_job",
    "download_job", "delete_job", "health",    "metrics",
    "no_such_job", "not_found",   "bad_method"};

std::size_t status_slot(int status) {
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        if (statuses[i] == status) {
            return i;
        }
    }
    return other_status;
}

}  // namespace

struct request_metrics::table {
    // Lock-free 64-bit atomics are plain memory, so they work across
    // processes in a shared mapping.
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
    std::atomic<std::uint64_t> counts[route_names.size()][statuses.size() + 1];
};

request_metrics::request_metrics() {
    void* memory = mmap(nullptr, sizeof(table), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot map the request counters");
    }
    table_ = new (memory) table{};
}

request_metrics::~request_metrics() {
    munmap(table_, sizeof(table));
}

void request_metrics::record(endpoint target, int status) noexcept {
    const auto route = static_cast<std::size_t>(target);
    if (route < route_names.size()) {
        table_->counts[route][status_slot(status)].fetch_add(
            1, std::memory_order_relaxed);
    }
}

std::string request_metrics::render() const {
    std::string text =
        "# HELP docshift_http_requests_total API requests answered, by "
        "route and status.\n"
        "# TYPE docshift_http_requests_total counter\n";
    for (std::size_t route = 0; route < route_names.size(); ++route) {
        for (std::size_t slot = 0; slot <= statuses.size(); ++slot) {
            const auto count =
                table_->counts[route][slot].load(std::memory_order_relaxed);
            if (count == 0) {
                continue;
            }
            const std::string status =
                slot == other_status ? "other" : std::to_string(statuses[slot]);
            text += "docshift_http_requests_total{route=\"" +
                    std::string(route_names[route]) + "\",status=\"" + status +
                    "\"} " + std::to_string(count) + "\n";
        }
    }
    return text;
}

}  // namespace docshift
