// docshift's settings: one table of keys, read from the environment, the
// same for every program. Each key is also the environment variable name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>

namespace docshift {

struct config {
    std::string database;                // DOCSHIFT_DATABASE
    std::filesystem::path storage_dir;   // DOCSHIFT_STORAGE_DIR
    std::filesystem::path work_dir;      // DOCSHIFT_WORK_DIR
    std::filesystem::path sql_dir;       // DOCSHIFT_SQL_DIR
    std::string socket;                  // DOCSHIFT_SOCKET
    int pool_size = 0;                   // DOCSHIFT_POOL_SIZE
    std::int64_t max_upload_bytes = 0;   // DOCSHIFT_MAX_UPLOAD_BYTES
    int max_active_jobs = 0;             // DOCSHIFT_MAX_ACTIVE_JOBS
    int max_queued_jobs = 0;             // DOCSHIFT_MAX_QUEUED_JOBS
    int conversion_timeout_seconds = 0;  // DOCSHIFT_CONVERSION_TIMEOUT
    int max_attempts = 0;                // DOCSHIFT_MAX_ATTEMPTS
    int poll_seconds = 0;                // DOCSHIFT_POLL_SECONDS
    int lease_seconds = 0;               // DOCSHIFT_LEASE_SECONDS
    int worker_slots = 0;                // DOCSHIFT_WORKER_SLOTS
    int engine_max_jobs = 0;             // DOCSHIFT_ENGINE_MAX_JOBS
    std::filesystem::path soffice;       // DOCSHIFT_SOFFICE
    std::filesystem::path sandbox;       // DOCSHIFT_SANDBOX; empty: none
    std::string log_level;               // DOCSHIFT_LOG_LEVEL
};

struct config_key {
    const char* key;
    const char* default_value;
    const char* meaning;
    // Stores a value of this key into the struct; throws config_error.
    void (*apply)(config& target, const config_key& key,
                  const std::string& value);
};

// Every key with its default and meaning, in the order the README lists them.
std::span<const config_key> config_keys();

// A value that cannot be used, named by its key.
class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads every key from the environment, falling back to defaults. Throws
// config_error naming the key and value when a value is unusable.
config load_config();

}  // namespace docshift
