// Engines read untrusted documents, and a document can name files of the
// host: a linked image, an included text, a font path. So every engine runs
// in a filesystem of its own, built by bubblewrap, that holds the system's
// programs, libraries, fonts and the few settings they read (read-only),
// the engine's own slot folder (writable), and nothing else: no storage
// folder, no other slot, no configuration, no home. The engine also gets
// an empty network namespace, its own process and IPC namespaces, and dies
// with the worker thread that started it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace docshift {

struct sandbox {
    std::filesystem::path bwrap;  // the bubblewrap program
    std::vector<std::filesystem::path> writable;
    // Outside the system folders, such as a helper program next to the
    // worker in a build tree.
    std::vector<std::filesystem::path> readable;
};

// The command line that runs `argv` inside `box`, in `working_dir`.
std::vector<std::string> sandboxed_argv(
    const sandbox& box, const std::vector<std::string>& argv,
    const std::filesystem::path& working_dir);

// Runs a trivial program in a sandbox over `folder`. Throws
// std::runtime_error with bubblewrap's own words when this host does not
// allow one (no user namespaces, a seccomp filter that forbids mounts).
void check_sandbox(const std::filesystem::path& bwrap,
                   const std::filesystem::path& folder);

}  // namespace docshift
