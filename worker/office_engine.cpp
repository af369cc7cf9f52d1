#include "office_engine.hpp"

#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "config.hpp"
#include "log.hpp"

namespace docshift {

namespace {

constexpr std::chrono::seconds tick_interval{5};

// The last lines an engine printed, for the log when it fails.
std::string tail_of(const std::filesystem::path& log_file) {
    std::ifstream in(log_file);
    std::ostringstream text;
    text << in.rdbuf();
    auto all = text.str();
    constexpr std::size_t keep = 400;
    return all.size() > keep ? all.substr(all.size() - keep) : all;
}

std::string file_url(const std::filesystem::path& path) {
    return "file://" + path.string();
}

}  // namespace

office_engine::office_engine(const config& settings,
                             std::filesystem::path slot_dir)
    : soffice_(settings.soffice),
      slot_dir_(std::move(slot_dir)),
      timeout_(settings.conversion_timeout_seconds) {
    std::filesystem::create_directories(slot_dir_ / "profile");
}

std::filesystem::path office_engine::convert(
    const std::filesystem::path& input, const std::string& output_extension,
    const std::filesystem::path& output_dir,
    const std::function<void()>& tick) {
    child_options options;
    options.argv = {soffice_.string(),
                    "-env:UserInstallation=" + file_url(slot_dir_ / "profile"),
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--nodefault",
                    "--nolockcheck",
                    "--norestore",
                    "--convert-to",
                    output_extension,
                    "--outdir",
                    output_dir.string(),
                    input.string()};
    options.working_dir = input.parent_path();
    options.environment = {"HOME=" + slot_dir_.string(), "PATH=/usr/bin:/bin",
                           "LANG=C.UTF-8",
                           "TMPDIR=" + input.parent_path().string()};
    options.output_log = input.parent_path() / "engine.log";
    options.limits.wall_clock = timeout_;

    child_process engine(options);
    const auto outcome = engine.wait(tick, tick_interval);

    if (outcome.timed_out) {
        throw conversion_error("timeout",
                               "the conversion took longer than " +
                                   std::to_string(timeout_.count()) +
                                   " seconds and was stopped; try a smaller or "
                                   "simpler file");
    }
    const auto result =
        output_dir / (input.stem().string() + "." + output_extension);
    if (!outcome.exited || outcome.exit_code != 0 ||
        !std::filesystem::exists(result)) {
        log::warning("office engine failed",
                     {{"exit_code", outcome.exit_code},
                      {"signal", outcome.signal},
                      {"output", tail_of(options.output_log)}});
        throw conversion_error(
            "conversion_failed",
            "LibreOffice could not convert this file; it may be damaged, "
            "protected by a password, or use features LibreOffice does not "
            "support");
    }
    log::info("office engine done",
              {{"ms", outcome.elapsed.count()}, {"to", output_extension}});
    return result;
}

}  // namespace docshift
