// A pre-forked pool: the parent keeps `size` children alive, each running
// the same serve function on the shared listening socket, and stops them
// all on SIGTERM or SIGINT.
#pragma once

#include <functional>

namespace docshift {

// Runs in each child; returns when the child should exit.
using serve_function = std::function<void()>;

// Forks the children and supervises them until a stop signal arrives;
// returns once every child has exited.
void run_process_pool(int size, const serve_function& serve);

// For a child's serve function: whether SIGTERM asked it to stop. A child
// that receives SIGTERM while idle exits at once; while busy, it finishes
// the request first.
bool stop_requested() noexcept;

// For a child's serve function: marks the time between accepting a request
// and answering it, when a stop must wait.
void set_busy(bool busy) noexcept;

}  // namespace docshift
