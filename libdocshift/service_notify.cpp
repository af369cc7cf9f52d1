#include "service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace docshift::service_notify {

// sd_notify() returns 0 when NOTIFY_SOCKET is unset and a negative errno
// when the message cannot be sent; either way the service carries on, as
// systemd judges it by its own timeouts.

void ready() noexcept {
    sd_notify(0, "READY=1");
}

void stopping() noexcept {
    sd_notify(0, "STOPPING=1");
}

void watchdog() noexcept {
    sd_notify(0, "WATCHDOG=1");
}

}  // namespace docshift::service_notify
