#include "sandbox.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "child_process.hpp"

namespace docshift {

namespace {

// Top-level folders that hold programs and libraries. On a merged-/usr
// system all but /usr are symbolic links, which the sandbox repeats.
constexpr std::array system_roots{"/usr",   "/bin",   "/sbin",  "/lib",
                                  "/lib32", "/lib64", "/libx32"};

// What the engines read besides /usr: the dynamic linker's cache, the
// alternatives that /usr/bin links through, fonts and their cache, paper
// size, time zone, user names, and the engines' own settings (ImageMagick's
// includes its security policy). Nothing here is a secret.
constexpr std::array system_files{
    "/etc/alternatives", "/etc/fonts",         "/etc/ghostscript",
    "/etc/group",        "/etc/ImageMagick-6", "/etc/ld.so.cache",
    "/etc/ld.so.conf",   "/etc/ld.so.conf.d",  "/etc/libreoffice",
    "/etc/localtime",    "/etc/mime.types",    "/etc/nsswitch.conf",
    "/etc/papersize",    "/etc/passwd",        "/var/cache/fontconfig",
};

void add(std::vector<std::string>& args,
         std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
}

}  // namespace

std::vector<std::string> sandboxed_argv(
    const sandbox& box, const std::vector<std::string>& argv,
    const std::filesystem::path& working_dir) {
    std::vector<std::string> args{box.bwrap.string()};
    // Cgroup namespaces are left out: systemd units commonly forbid them,
    // and an engine learns nothing useful from the cgroup tree.
    add(args, {"--unshare-user-try", "--unshare-ipc", "--unshare-pid",
               "--unshare-net", "--unshare-uts", "--die-with-parent",
               "--cap-drop", "ALL"});

    for (const std::filesystem::path root : system_roots) {
        std::error_code error;
        const auto status = std::filesystem::symlink_status(root, error);
        if (std::filesystem::is_symlink(status)) {
            add(args,
                {"--symlink", std::filesystem::read_symlink(root).string(),
                 root.string()});
        } else if (std::filesystem::is_directory(status)) {
            add(args, {"--ro-bind", root.string(), root.string()});
        }
    }
    for (const char* path : system_files) {
        add(args, {"--ro-bind-try", path, path});
    }
    add(args, {"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs",
               "/dev/shm"});

    for (const auto& path : box.readable) {
        add(args, {"--ro-bind", path.string(), path.string()});
    }
    for (const auto& path : box.writable) {
        add(args, {"--bind", path.string(), path.string()});
    }
    add(args, {"--chdir", working_dir.string(), "--"});
    args.insert(args.end(), argv.begin(), argv.end());
    return args;
}

void check_sandbox(const std::filesystem::path& bwrap,
                   const std::filesystem::path& folder) {
    std::filesystem::create_directories(folder);
    const auto log_file = folder / "sandbox-check.log";

    child_options options;
    options.argv = {"/usr/bin/true"};
    options.working_dir = folder;
    options.environment = {"PATH=/usr/bin:/bin"};
    options.output_log = log_file;
    options.limits.wall_clock = std::chrono::seconds{30};
    options.confine = sandbox{bwrap, {folder}, {}};

    child_process probe(options);
    const auto outcome = probe.wait([] {}, std::chrono::seconds{30});

    std::ifstream in(log_file);
    std::ostringstream said;
    said << in.rdbuf();
    std::filesystem::remove(log_file);
    if (outcome.timed_out || !outcome.exited || outcome.exit_code != 0) {
        auto why = said.str();
        while (!why.empty() && why.back() == '\n') {
            why.pop_back();
        }
        if (why.empty()) {
            why = outcome.exited && outcome.exit_code == 127
                      ? "cannot run " + bwrap.string()
                      : "exit code " + std::to_string(outcome.exit_code);
        }
        throw std::runtime_error(why);
    }
}

}  // namespace docshift
