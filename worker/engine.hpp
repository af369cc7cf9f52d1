// What every engine gets: the conversion, the job's options, its inputs as
// copies under safe names in a private folder, and a way to run Debian's
// command-line tools there as limited child processes.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "conversion_catalog.hpp"
#include "office_engine.hpp"
#include "sandbox.hpp"

namespace docshift {

struct engine_request {
    const conversion* conv = nullptr;
    option_values options;
    std::vector<std::filesystem::path> inputs;  // in upload order
    // The first upload's name without its extension, for engines that show
    // a document's name inside it; data only, never a path or an argument.
    std::string display_stem;
    std::filesystem::path work_dir;  // private; engines' cwd and TMPDIR
    std::filesystem::path out_dir;   // where the result goes
    // TODO(worker): the limit holds per tool run, so a job that runs
    // several tools in a row may take a multiple of it.
    std::chrono::seconds timeout{120};
    std::function<void()> tick;  // runs every few seconds while a tool works
    std::optional<sandbox> confine;  // what every tool runs in
};

// Runs one tool (argv[0] is an absolute path) in the request's folder and
// sandbox, with no network and the worker's limits, and returns its exit code
// when it is one of `ok_codes`. Otherwise throws conversion_error: `timeout`,
// or `conversion_failed` with `failure` as the message. The tool's output is
// logged, never shown to the user.
int run_tool(const engine_request& request,
             const std::vector<std::string>& argv, const std::string& failure,
             std::initializer_list<int> ok_codes = {0});

// Throws conversion_error (`empty_output`) unless `path` exists and holds
// at least one byte; `tool` names the engine in the message.
void require_output(const std::filesystem::path& path, const std::string& tool);

}  // namespace docshift
