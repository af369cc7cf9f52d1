#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>

#include "log.hpp"

namespace {

// What one call writes to stderr, caught in a temporary file.
template <typename Write>
std::string captured_line(Write write) {
    std::fflush(stderr);
    FILE* capture = std::tmpfile();
    const int saved = dup(STDERR_FILENO);
    dup2(fileno(capture), STDERR_FILENO);
    write();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);

    std::string text(4096, '\0');
    std::rewind(capture);
    text.resize(std::fread(text.data(), 1, text.size(), capture));
    std::fclose(capture);
    return text;
}

// The part of a line after its timestamp, level and program.
std::string facts_of(const std::string& line) {
    return line.substr(line.find("] ") + 2);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(log_lines)

BOOST_AUTO_TEST_CASE(plain_values_are_written_as_they_are) {
    docshift::log::init("docshift-test", "info");
    const auto line = captured_line([] {
        docshift::log::info("job succeeded", {{"bytes", 12417}});
    });
    BOOST_TEST(line.find(" INFO docshift-test[") != std::string::npos);
    BOOST_TEST(facts_of(line) == "job succeeded bytes=12417\n");
}

BOOST_AUTO_TEST_CASE(values_with_spaces_and_quotes_are_quoted) {
    const auto line = captured_line([] {
        docshift::log::error("cannot open", {{"path", "a \"b\" c\\d"}});
    });
    BOOST_TEST(facts_of(line) == "cannot open path=\"a \\\"b\\\" c\\\\d\"\n");
}

BOOST_AUTO_TEST_CASE(control_characters_cannot_forge_or_hide_in_a_line) {
    const auto line = captured_line([] {
        docshift::log::warning(
            "refused", {{"name", std::string("a\nINFO forged\r\tb\x1b[2J\0c",
                                             22)}});
    });
    BOOST_TEST(facts_of(line) ==
               "refused name=\"a\\nINFO forged\\r\\tb\\x1B[2J\\x00c\"\n");
}

BOOST_AUTO_TEST_CASE(lines_below_the_least_level_are_not_written) {
    docshift::log::init("docshift-test", "warning");
    const auto line = captured_line([] { docshift::log::info("quiet"); });
    docshift::log::init("docshift-test", "info");
    BOOST_TEST(line.empty());
}

BOOST_AUTO_TEST_SUITE_END()
