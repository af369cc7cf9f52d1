// Tells systemd how a service stands (Type=notify): ready, stopping, and
// still alive for the watchdog. Outside systemd every call does nothing.
// libsystemd's header stays inside service_notify.cpp.
#pragma once

namespace docshift::service_notify {

// Start-up is complete: systemd starts the units ordered after this one.
void ready() noexcept;

// A stop has begun; systemd waits for the exit instead of guessing.
void stopping() noexcept;

// Still making progress; when the unit sets WatchdogSec= and the pings
// stop for that long, systemd restarts the service.
void watchdog() noexcept;

}  // namespace docshift::service_notify
