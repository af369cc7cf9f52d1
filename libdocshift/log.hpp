// One log line format for every docshift program, written to stderr (the
// journal under systemd):
//
//   2026-12-03T18:09:08.123Z INFO docshift-fcgi[1234] req=8f3a… message k=v
//
// The id after the program is the request or job being handled, if any.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>

namespace docshift::log {

enum class level { debug, info, warning, error };

// One `key=value` fact; values with spaces or quotes are quoted.
struct field {
    field(std::string_view k, std::string_view v) : key(k), value(v) {}
    field(std::string_view k, const char* v) : key(k), value(v) {}
    field(std::string_view k, const std::string& v) : key(k), value(v) {}
    field(std::string_view k, std::integral auto v)
        : key(k), value(std::to_string(v)) {}

    std::string_view key;
    std::string value;
};

// Names the program and the least severe level written; call once at start.
void init(std::string_view program, std::string_view min_level);

// The request or job this thread is working on, shown on each line; an
// empty string clears it.
void set_context(std::string_view context);

void write(level severity, std::string_view message,
           std::initializer_list<field> fields = {});

inline void debug(std::string_view message,
                  std::initializer_list<field> fields = {}) {
    write(level::debug, message, fields);
}
inline void info(std::string_view message,
                 std::initializer_list<field> fields = {}) {
    write(level::info, message, fields);
}
inline void warning(std::string_view message,
                    std::initializer_list<field> fields = {}) {
    write(level::warning, message, fields);
}
inline void error(std::string_view message,
                  std::initializer_list<field> fields = {}) {
    write(level::error, message, fields);
}

// The first 8 characters of a client id: enough to follow one client
// through the logs without writing its whole id.
inline std::string_view short_id(std::string_view id) {
    return id.substr(0, 8);
}

}  // namespace docshift::log
