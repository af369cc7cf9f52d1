#include "office_engine.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <new>
#include <sstream>

#include "child_process.hpp"
#include "config.hpp"
#include "log.hpp"

namespace docshift {

namespace {

using namespace std::chrono;

// Often enough to renew a lease of a few seconds.
constexpr seconds tick_interval{2};

// A start is not a conversion: it has its own limit, and a busy host can
// take several seconds for it.
constexpr seconds start_limit{60};

constexpr const char* file_limit_reached = "file limit reached";
constexpr const char* worker_stopping = "worker stopping";

// The helper installed next to the worker program.
std::filesystem::path helper_path() {
    return std::filesystem::read_symlink("/proc/self/exe").parent_path() /
           "docshift-office-engine";
}

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

conversion_error timeout_error(seconds limit) {
    return conversion_error("timeout",
                            "the conversion took longer than " +
                                std::to_string(limit.count()) +
                                " seconds and was stopped; try a smaller or "
                                "simpler file");
}

conversion_error refused_error() {
    return conversion_error(
        "conversion_failed",
        "LibreOffice could not convert this file; it may be damaged, "
        "protected by a password, or use features LibreOffice does not "
        "support");
}

// A field of a request line: the helper splits lines at tabs and newlines,
// so every control character becomes a space.
std::string request_field(std::string_view text) {
    std::string field(text);
    for (auto& c : field) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            c = ' ';
        }
    }
    return field;
}

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

office_engine::office_engine(const config& settings,
                             std::filesystem::path slot_dir)
    : soffice_(settings.soffice),
      helper_(helper_path()),
      slot_dir_(std::move(slot_dir)),
      timeout_(settings.conversion_timeout_seconds),
      max_jobs_(settings.engine_max_jobs) {
    std::filesystem::create_directories(slot_dir_ / "profile");
    if (!settings.sandbox.empty()) {
        // Inputs and results pass through the job folder inside the slot's.
        confine_ = sandbox{settings.sandbox, {slot_dir_}, {helper_}};
        if (!soffice_.string().starts_with("/usr/")) {
            // A LibreOffice installed elsewhere: its whole folder.
            confine_->readable.push_back(soffice_.parent_path().parent_path());
        }
    }

    if (const int killed = kill_strays(slot_dir_); killed > 0) {
        log::warning("killed engines a previous worker left running",
                     {{"count", killed}});
    }

    // Warm from the start, so the first job does not wait for soffice.
    start([] {}, clock::now() + start_limit);
}

office_engine::~office_engine() {
    stop(worker_stopping);
}

bool office_engine::start(const std::function<void()>& tick,
                          clock::time_point deadline) {
    // A fresh temporary folder each start, and a fresh profile after an
    // engine died or was killed: what it left half-written there is not
    // read by the next one.
    const auto tmp_dir = slot_dir_ / "engine-tmp";
    const auto profile_dir = slot_dir_ / "warm-profile";
    std::filesystem::remove_all(tmp_dir);
    std::filesystem::create_directories(tmp_dir);
    if (profile_dirty_) {
        std::filesystem::remove_all(profile_dir);
        profile_dirty_ = false;
    }

    // Unique per start, so a dying soffice's pipe never answers a new one.
    const auto pipe_name = "docshift-" + std::to_string(getpid()) + "-" +
                           slot_dir_.filename().string() + "-" +
                           std::to_string(++starts_);
    const auto per_file_cpu = std::to_string(timeout_.count() * 2);

    child_options options;
    options.argv = {helper_.string(), soffice_.string(), profile_dir.string(),
                    pipe_name, per_file_cpu};
    options.working_dir = tmp_dir;
    options.environment = {"HOME=" + slot_dir_.string(), "PATH=/usr/bin:/bin",
                           "LANG=C.UTF-8", "TMPDIR=" + tmp_dir.string()};
    options.output_log = slot_dir_ / "engine.log";
    // The helper sets soffice's CPU limit before each file; the wall clock
    // is watched here, per file.
    options.limits.unlimited_cpu = true;
    options.request_pipes = true;
    options.confine = confine_;

    const auto started = clock::now();
    try {
        warm_ = std::make_unique<child_process>(options);
    } catch (const std::exception& e) {
        log::error("cannot start the office engine", {{"error", e.what()}});
        return false;
    }
    warm_jobs_ = 0;
    pending_.clear();

    bool timed_out = false;
    std::string line;
    try {
        line = read_line(tick, deadline, timed_out);
    } catch (...) {
        stop("interrupted");
        throw;
    }
    if (line != "ready") {
        log::warning("office engine did not start",
                     {{"timed_out", timed_out ? "yes" : "no"},
                      {"output", tail_of(options.output_log)}});
        stop("no start");
        return false;
    }
    const auto ms = duration_cast<milliseconds>(clock::now() - started);
    log::info("office engine started",
              {{"pid", warm_->pid()}, {"ms", ms.count()}});
    return true;
}

void office_engine::stop(const char* why) noexcept {
    if (!warm_) {
        return;
    }
    log::info("office engine stopped",
              {{"pid", warm_->pid()}, {"why", why}, {"files", warm_jobs_}});
    warm_.reset();
    if (std::string_view(why) != worker_stopping) {
        try {
            ++restarts_[why];
        } catch (const std::bad_alloc&) {
            // A lost count is better than a throwing stop.
        }
    }
    // Only an engine that reached its file limit stopped cleanly.
    profile_dirty_ = std::string_view(why) != file_limit_reached;
}

std::string office_engine::read_line(const std::function<void()>& tick,
                                     clock::time_point deadline,
                                     bool& timed_out) {
    auto next_tick = clock::now() + tick_interval;
    for (;;) {
        if (const auto end = pending_.find('\n'); end != std::string::npos) {
            auto line = pending_.substr(0, end);
            pending_.erase(0, end + 1);
            return line;
        }

        const auto now = clock::now();
        if (now >= deadline) {
            timed_out = true;
            return {};
        }
        if (now >= next_tick) {
            tick();
            next_tick = now + tick_interval;
        }

        // Wait for output, the next tick or the deadline. The helper's exit
        // shows as the end of its output.
        const auto wake = std::min(deadline, next_tick);
        const auto wait_ms = duration_cast<milliseconds>(wake - now).count();
        pollfd fd{warm_->output_fd(), POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(wait_ms) + 1) <= 0) {
            continue;
        }
        char buffer[512];
        const auto n = ::read(warm_->output_fd(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return {};
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
}

office_engine::answer office_engine::request(const std::string& line,
                                             const std::function<void()>& tick,
                                             clock::time_point deadline) {
    if (!write_all(warm_->input_fd(), line)) {
        return answer::crashed;
    }
    bool timed_out = false;
    const auto reply = read_line(tick, deadline, timed_out);
    if (timed_out) {
        return answer::timed_out;
    }
    if (reply == "ok") {
        return answer::ok;
    }
    if (reply.starts_with("unsupported ")) {
        return answer::unsupported;
    }
    if (reply.starts_with("error ")) {
        log::warning("office engine refused the file",
                     {{"reason", reply.substr(6)}});
        return answer::refused;
    }
    log::warning(
        "office engine crashed",
        {{"reply", reply}, {"output", tail_of(slot_dir_ / "engine.log")}});
    return answer::crashed;
}

std::filesystem::path office_engine::convert(
    const std::filesystem::path& input, const std::string& output_extension,
    const std::filesystem::path& output_dir, std::string_view display_stem,
    const std::function<void()>& tick) {
    const auto result =
        output_dir / (input.stem().string() + "." + output_extension);

    if (warm_ && warm_jobs_ >= max_jobs_) {
        stop(file_limit_reached);
    }
    if (!warm_ && !start(tick, clock::now() + start_limit)) {
        return convert_cold(input, output_extension, output_dir, tick,
                            timeout_);
    }

    const auto started = clock::now();
    const auto deadline = started + timeout_;

    answer outcome = answer::crashed;
    try {
        outcome = request(input.string() + "\t" + result.string() + "\t" +
                              output_extension + "\t" +
                              request_field(display_stem) + "\n",
                          tick, deadline);
    } catch (...) {
        // `tick` threw (the database went away): the engine's answer is
        // still to come and would be taken for the next file's.
        stop("interrupted");
        throw;
    }
    ++warm_jobs_;
    const auto ms = duration_cast<milliseconds>(clock::now() - started);
    switch (outcome) {
        case answer::ok:
            if (!std::filesystem::exists(result)) {
                throw refused_error();
            }
            log::info("office engine done", {{"ms", ms.count()},
                                             {"to", output_extension},
                                             {"engine", "warm"}});
            return result;
        case answer::refused:
            throw refused_error();
        case answer::timed_out:
            stop("timeout");
            throw timeout_error(timeout_);
        case answer::unsupported:
            // soffice --convert-to finds export filters by itself.
            return convert_cold(input, output_extension, output_dir, tick,
                                timeout_);
        case answer::crashed:
            break;
    }

    // The warm engine died on this file: a cold run decides whether the file
    // or the warm road was at fault, within what is left of the time limit.
    stop("crash");
    std::filesystem::remove(result);
    const auto left = duration_cast<seconds>(deadline - clock::now());
    if (left < seconds{1}) {
        throw timeout_error(timeout_);
    }
    return convert_cold(input, output_extension, output_dir, tick, left);
}

std::filesystem::path office_engine::convert_cold(
    const std::filesystem::path& input, const std::string& output_extension,
    const std::filesystem::path& output_dir, const std::function<void()>& tick,
    seconds limit) {
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
    options.limits.wall_clock = limit;
    options.confine = confine_;

    child_process engine(options);
    const auto outcome = engine.wait(tick, tick_interval);

    if (outcome.timed_out) {
        throw timeout_error(timeout_);
    }
    const auto result =
        output_dir / (input.stem().string() + "." + output_extension);
    if (!outcome.exited || outcome.exit_code != 0 ||
        !std::filesystem::exists(result)) {
        log::warning("office engine failed",
                     {{"exit_code", outcome.exit_code},
                      {"signal", outcome.signal},
                      {"output", tail_of(options.output_log)}});
        throw refused_error();
    }
    log::info("office engine done", {{"ms", outcome.elapsed.count()},
                                     {"to", output_extension},
                                     {"engine", "cold"}});
    return result;
}

}  // namespace docshift
