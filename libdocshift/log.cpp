#include "log.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace docshift::log {

namespace {

std::string program_name = "docshift";
level min_severity = level::info;
thread_local std::string current_context;

std::string_view level_name(level severity) {
    switch (severity) {
        case level::debug:
            return "DEBUG";
        case level::info:
            return "INFO";
        case level::warning:
            return "WARNING";
        case level::error:
            return "ERROR";
    }
    return "INFO";
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

bool needs_quotes(std::string_view value) {
    return value.empty() ||
           value.find_first_of(" \"=\\") != std::string_view::npos ||
           std::ranges::any_of(value, is_control);
}

// Quotes and backslashes are escaped, and every control character is
// written as an escape, so no value can forge a line or hide in one.
void append_value(std::string& line, std::string_view value) {
    if (!needs_quotes(value)) {
        line += value;
        return;
    }
    line += '"';
    for (const char c : value) {
        switch (c) {
            case '"':
                line += "\\\"";
                break;
            case '\\':
                line += "\\\\";
                break;
            case '\n':
                line += "\\n";
                break;
            case '\r':
                line += "\\r";
                break;
            case '\t':
                line += "\\t";
                break;
            default:
                if (is_control(c)) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\x%02X",
                                  static_cast<unsigned char>(c));
                    line += escape;
                } else {
                    line += c;
                }
        }
    }
    line += '"';
}

std::string timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto millis =
        duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t seconds = system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);

    char text[32];
    const auto length = std::strftime(text, sizeof text, "%FT%T", &utc);
    std::snprintf(text + length, sizeof text - length, ".%03dZ",
                  static_cast<int>(millis));
    return text;
}

}  // namespace

void init(std::string_view program, std::string_view min_level) {
    program_name = program;
    if (min_level == "debug") {
        min_severity = level::debug;
    } else if (min_level == "warning") {
        min_severity = level::warning;
    } else if (min_level == "error") {
        min_severity = level::error;
    } else {
        min_severity = level::info;
    }
}

void set_context(std::string_view context) {
    current_context = context;
}

void write(level severity, std::string_view message,
           std::initializer_list<field> fields) {
    if (severity < min_severity) {
        return;
    }
    std::string line = timestamp();
    line += ' ';
    line += level_name(severity);
    line += ' ';
    line += program_name;
    line += '[' + std::to_string(getpid()) + ']';
    if (!current_context.empty()) {
        line += ' ';
        line += current_context;
    }
    line += ' ';
    line += message;
    for (const auto& f : fields) {
        line += ' ';
        line += f.key;
        line += '=';
        append_value(line, f.value);
    }
    line += '\n';

    // One write per line keeps lines whole when processes share stderr.
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace docshift::log
