// LibreOffice as a conversion engine. Each slot keeps one soffice warm
// behind docshift-office-engine, a helper child that takes one file per
// request over a pipe; the helper and its soffice share a process group
// with resource limits and a sandbox that holds only the slot's folder. The
// engine is restarted after a number of files, after a crash and after a
// timeout. A file that crashes the warm engine gets one cold `soffice
// --convert-to` run, so a fault of the warm road never fails a file LibreOffice
// can convert.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sandbox.hpp"

namespace docshift {

struct config;
class child_process;

// A conversion that did not produce a result, with the code and message
// the job will carry.
class conversion_error : public std::runtime_error {
public:
    conversion_error(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}

    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

class office_engine {
public:
    // `slot_dir` is this engine's own folder: its profiles live there. The
    // warm engine starts at once; if it cannot, the first file tries again.
    office_engine(const config& settings, std::filesystem::path slot_dir);
    office_engine(const office_engine&) = delete;
    office_engine& operator=(const office_engine&) = delete;
    ~office_engine();

    // Converts `input` (a safe name in a private folder) to the format of
    // `output_extension`, writing into `output_dir`, and returns the path of
    // the result. `display_stem` is the user's name for the document, which
    // the warm engine gets as data where LibreOffice would show the file's
    // name (a CSV file's sheet). `tick` runs every few seconds while the
    // engine works. Throws conversion_error.
    std::filesystem::path convert(const std::filesystem::path& input,
                                  const std::string& output_extension,
                                  const std::filesystem::path& output_dir,
                                  std::string_view display_stem,
                                  const std::function<void()>& tick);

    // The warm engines replaced since forget_restarts(), by reason:
    // "crash", "timeout", "file limit reached", ... A stop of the worker
    // itself is no restart and is not counted.
    const std::map<std::string, int>& restarts() const noexcept {
        return restarts_;
    }
    void forget_restarts() noexcept { restarts_.clear(); }

private:
    using clock = std::chrono::steady_clock;

    // What the warm engine said about one file.
    enum class answer { ok, refused, unsupported, crashed, timed_out };

    bool start(const std::function<void()>& tick, clock::time_point deadline);
    void stop(const char* why) noexcept;
    answer request(const std::string& line, const std::function<void()>& tick,
                   clock::time_point deadline);
    std::string read_line(const std::function<void()>& tick,
                          clock::time_point deadline, bool& timed_out);

    std::filesystem::path convert_cold(const std::filesystem::path& input,
                                       const std::string& output_extension,
                                       const std::filesystem::path& output_dir,
                                       const std::function<void()>& tick,
                                       std::chrono::seconds limit);

    std::filesystem::path soffice_;
    std::filesystem::path helper_;
    std::filesystem::path slot_dir_;
    std::optional<sandbox> confine_;
    std::chrono::seconds timeout_;
    int max_jobs_;

    std::unique_ptr<child_process> warm_;
    int warm_jobs_ = 0;
    int starts_ = 0;
    bool profile_dirty_ = false;
    std::string pending_;  // what the helper wrote past the last line
    std::map<std::string, int> restarts_;
};

}  // namespace docshift
