#include "engine.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "log.hpp"

namespace docshift {

namespace {

constexpr std::chrono::seconds tick_interval{5};

// The last lines a tool printed, for the log when it fails.
std::string tail_of(const std::filesystem::path& log_file) {
    std::ifstream in(log_file);
    std::ostringstream text;
    text << in.rdbuf();
    const auto all = text.str();
    constexpr std::size_t keep = 400;
    return all.size() > keep ? all.substr(all.size() - keep) : all;
}

}  // namespace

int run_tool(const engine_request& request,
             const std::vector<std::string>& argv, const std::string& failure,
             std::initializer_list<int> ok_codes) {
    const auto program = std::filesystem::path(argv.front()).filename();
    child_options options;
    options.argv = argv;
    options.working_dir = request.work_dir;
    // HOME points into the private folder so no tool reads or writes the
    // service user's own settings.
    options.environment = {"HOME=" + request.work_dir.string(),
                           "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                           "TMPDIR=" + request.work_dir.string()};
    options.output_log = request.work_dir / (program.string() + ".log");
    options.limits.wall_clock = request.timeout;
    options.confine = request.confine;

    child_process tool(options);
    const auto outcome = tool.wait(request.tick, tick_interval);
    if (outcome.timed_out) {
        throw conversion_error("timeout",
                               "the conversion took longer than " +
                                   std::to_string(request.timeout.count()) +
                                   " seconds and was stopped; try a smaller or "
                                   "simpler file");
    }
    if (!outcome.exited ||
        std::ranges::find(ok_codes, outcome.exit_code) == ok_codes.end()) {
        log::warning("engine failed",
                     {{"program", program.string()},
                      {"exit_code", outcome.exit_code},
                      {"signal", outcome.signal},
                      {"output", tail_of(options.output_log)}});
        throw conversion_error("conversion_failed", failure);
    }
    log::debug("engine done", {{"program", program.string()},
                               {"ms", outcome.elapsed.count()}});
    return outcome.exit_code;
}

void require_output(const std::filesystem::path& path,
                    const std::string& tool) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || size == 0) {
        throw conversion_error("empty_output",
                               tool +
                                   " finished without writing a result; "
                                   "the file may have no content it can "
                                   "convert");
    }
}

}  // namespace docshift
