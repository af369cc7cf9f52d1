// LibreOffice as a conversion engine: one headless soffice run per file,
// with its own profile folder, so engines never share state.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace docshift {

struct config;

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
    // `slot_dir` is this engine's own folder: its profile lives there.
    office_engine(const config& settings, std::filesystem::path slot_dir);

    // Converts `input` (a safe name in a private folder) to the format of
    // `output_extension`, writing into `output_dir`, and returns the path of
    // the result. `tick` runs every few seconds while the engine works.
    // Throws conversion_error.
    std::filesystem::path convert(const std::filesystem::path& input,
                                  const std::string& output_extension,
                                  const std::filesystem::path& output_dir,
                                  const std::function<void()>& tick);

private:
    std::filesystem::path soffice_;
    std::filesystem::path slot_dir_;
    std::chrono::seconds timeout_;
};

}  // namespace docshift
