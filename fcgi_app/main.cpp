// docshift-fcgi: the API, as a pool of FastCGI processes behind nginx.
#include <sys/stat.h>

#include <cstdlib>
#include <exception>

#include "api.hpp"
#include "config.hpp"
#include "fcgi_connection.hpp"
#include "log.hpp"
#include "process_pool.hpp"
#include "request_metrics.hpp"
#include "service_notify.hpp"

namespace {

using namespace docshift;

void serve(const config& settings, int listen_fd, request_metrics& metrics) {
    api service(settings, &metrics);
    fcgi_connection connection(listen_fd);
    while (!stop_requested() && connection.accept()) {
        set_busy(true);
        const http_request request = connection.request();
        log::set_context(
            request.request_id.empty() ? "" : "req=" + request.request_id);
        connection.respond(service.handle(request));
        log::set_context("");
        set_busy(false);
    }
}

void log_settings(const config& settings) {
    log::info("starting",
              {{"socket", settings.socket.empty() ? "fd 0" : settings.socket},
               {"pool_size", settings.pool_size},
               {"storage_dir", settings.storage_dir.string()},
               {"max_upload_bytes", settings.max_upload_bytes},
               {"max_active_jobs", settings.max_active_jobs}});
}

}  // namespace

int main() {
    try {
        const config settings = load_config();
        log::init("docshift-fcgi", settings.log_level);
        log_settings(settings);

        // Files and folders for the service's user and group (nginx reads
        // results through the group), nobody else.
        umask(027);
        storage(settings.storage_dir).prepare();
        const int listen_fd = open_listen_socket(settings.socket);
        request_metrics metrics;

        // The socket is listening: requests queue there until the pool
        // processes take them.
        service_notify::ready();
        run_process_pool(settings.pool_size,
                         [&] { serve(settings, listen_fd, metrics); });
        log::info("stopped");
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        log::error("cannot start", {{"error", e.what()}});
        return EXIT_FAILURE;
    }
}
