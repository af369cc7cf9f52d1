// Writes /etc/docshift/docshift.conf as the package ships it: every key of
// the configuration table with its meaning and default, commented out, so
// the file can never miss a key the programs read.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "config.hpp"

namespace {

// The meaning as comment lines of at most 78 columns.
std::string comment(const std::string& text) {
    std::istringstream words(text);
    std::string result;
    std::string line;  // the words of the current line, each after a space
    std::string word;
    while (words >> word) {
        if (!line.empty() && 1 + line.size() + 1 + word.size() > 78) {
            result.append("#").append(line).append("\n");
            line.clear();
        }
        line.append(" ").append(word);
    }
    return result.append("#").append(line).append("\n");
}

// Values with spaces are quoted, which both systemd and sh understand.
std::string value_text(const std::string& value) {
    if (value.find_first_of(" \t#'\"") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    quoted += value;
    quoted += '"';
    return quoted;
}

constexpr const char* header =
    "# docshift's settings, read by every docshift program through systemd's\n"
    "# EnvironmentFile= and by the package's set-up script through sh.\n"
    "# One KEY=value a line; quote values with spaces in double quotes.\n"
    "# Every key is listed with its default, commented out: uncomment a\n"
    "# line to change it, then restart the services:\n"
    "#   systemctl restart docshift-fcgi docshift-worker\n"
    "# DOCSHIFT_SOCKET stays unset under systemd: docshift-fcgi.socket owns\n"
    "# the socket and hands it over.\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: docshift-config-example OUTPUT\n";
        return EXIT_FAILURE;
    }
    std::ofstream out(argv[1]);
    out << header;
    for (const auto& key : docshift::config_keys()) {
        out << "\n"
            << comment(std::string(key.key) + ": " + key.meaning) << "#"
            << key.key << "=" << value_text(key.default_value) << "\n";
    }
    out.close();
    if (!out) {
        std::cerr << "cannot write '" << argv[1] << "'\n";
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
