#include "config.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>

namespace docshift {

namespace {

config_error bad_value(const config_key& key, const std::string& value,
                       const std::string& why) {
    return config_error(std::string("bad value for ") + key.key + ": '" +
                        value + "' " + why);
}

std::int64_t parse_positive(const config_key& key, const std::string& text,
                            std::int64_t max) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < 1 || value > max) {
        throw bad_value(
            key, text,
            "is not a whole number from 1 to " + std::to_string(max));
    }
    return value;
}

int parse_int(const config_key& key, const std::string& text) {
    return static_cast<int>(
        parse_positive(key, text, std::numeric_limits<int>::max()));
}

std::filesystem::path parse_absolute(const config_key& key,
                                     const std::string& text) {
    if (text.empty() || text.front() != '/') {
        throw bad_value(key, text, "is not an absolute path");
    }
    return text;
}

using value = const std::string&;

constexpr config_key keys[] = {
    {"DOCSHIFT_DATABASE", "dbname=docshift",
     "libpq connection string of the PostgreSQL database",
     [](config& c, const config_key&, value v) { c.database = v; }},
    {"DOCSHIFT_STORAGE_DIR", "/var/lib/docshift/storage",
     "folder of uploaded files and results, one folder per client",
     [](config& c, const config_key& k, value v) {
         c.storage_dir = parse_absolute(k, v);
     }},
    {"DOCSHIFT_WORK_DIR", "/var/lib/docshift/work",
     "folder of the worker's engine profiles and private temporary folders",
     [](config& c, const config_key& k, value v) {
         c.work_dir = parse_absolute(k, v);
     }},
    {"DOCSHIFT_SQL_DIR", "/usr/share/docshift/sql",
     "folder of the numbered .sql migrations docshift-migrate applies",
     [](config& c, const config_key& k, value v) {
         c.sql_dir = parse_absolute(k, v);
     }},
    {"DOCSHIFT_SOCKET", "",
     "unix socket path of the FastCGI pool; empty: the socket on fd 0, as "
     "systemd passes it",
     [](config& c, const config_key&, value v) { c.socket = v; }},
    {"DOCSHIFT_POOL_SIZE", "4", "number of FastCGI processes",
     [](config& c, const config_key& k, value v) {
         c.pool_size = parse_int(k, v);
     }},
    {"DOCSHIFT_MAX_UPLOAD_BYTES", "104857600",
     "largest request body the API accepts; nginx's client_max_body_size "
     "must equal it",
     [](config& c, const config_key& k, value v) {
         c.max_upload_bytes =
             parse_positive(k, v, std::numeric_limits<std::int64_t>::max());
     }},
    {"DOCSHIFT_MAX_ACTIVE_JOBS", "10",
     "queued or running jobs one client may have at once",
     [](config& c, const config_key& k, value v) {
         c.max_active_jobs = parse_int(k, v);
     }},
    {"DOCSHIFT_MAX_QUEUED_JOBS", "1000",
     "queued jobs of all clients together before uploads are refused",
     [](config& c, const config_key& k, value v) {
         c.max_queued_jobs = parse_int(k, v);
     }},
    {"DOCSHIFT_CONVERSION_TIMEOUT", "120",
     "seconds one conversion may run before it is killed",
     [](config& c, const config_key& k, value v) {
         c.conversion_timeout_seconds = parse_int(k, v);
     }},
    {"DOCSHIFT_MAX_ATTEMPTS", "3",
     "times a job may be started before it fails for good",
     [](config& c, const config_key& k, value v) {
         c.max_attempts = parse_int(k, v);
     }},
    {"DOCSHIFT_POLL_SECONDS", "5",
     "seconds a worker waits for a notification before it looks for jobs",
     [](config& c, const config_key& k, value v) {
         c.poll_seconds = parse_int(k, v);
     }},
    {"DOCSHIFT_LEASE_SECONDS", "30",
     "seconds a worker's claim on a job holds without renewal; a job whose "
     "worker died is taken again after it",
     [](config& c, const config_key& k, value v) {
         c.lease_seconds = parse_int(k, v);
     }},
    {"DOCSHIFT_WORKER_SLOTS", "2",
     "conversions one worker runs at once, each with its own engine",
     [](config& c, const config_key& k, value v) {
         c.worker_slots = parse_int(k, v);
     }},
    {"DOCSHIFT_ENGINE_MAX_JOBS", "200",
     "conversions a warm engine runs before it is restarted",
     [](config& c, const config_key& k, value v) {
         c.engine_max_jobs = parse_int(k, v);
     }},
    {"DOCSHIFT_SOFFICE", "/usr/lib/libreoffice/program/soffice",
     "the LibreOffice program the worker runs",
     [](config& c, const config_key&, value v) { c.soffice = v; }},
    {"DOCSHIFT_SANDBOX", "/usr/bin/bwrap",
     "the bubblewrap program that confines each engine to its own folder; "
     "`none` runs engines unconfined, for hosts without user namespaces",
     [](config& c, const config_key& k, value v) {
         c.sandbox =
             v == "none" ? std::filesystem::path() : parse_absolute(k, v);
     }},
    {"DOCSHIFT_LOG_LEVEL", "info",
     "least severe level logged: debug, info, warning or error",
     [](config& c, const config_key& k, value v) {
         if (v != "debug" && v != "info" && v != "warning" && v != "error") {
             throw bad_value(k, v, "is not debug, info, warning or error");
         }
         c.log_level = v;
     }},
};

}  // namespace

std::span<const config_key> config_keys() {
    return keys;
}

config load_config() {
    config result;
    for (const auto& key : keys) {
        const char* set = std::getenv(key.key);
        key.apply(result, key, set != nullptr ? set : key.default_value);
    }
    return result;
}

}  // namespace docshift
