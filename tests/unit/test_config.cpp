// The configuration table: defaults load, bad values are named, and the
// README documents every key with its default.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config.hpp"

using namespace docshift;

namespace {

// Sets an environment variable for the life of one test.
class scoped_env {
public:
    scoped_env(const char* key, const char* value) : key_(key) {
        setenv(key, value, 1);
    }
    ~scoped_env() { unsetenv(key_); }

private:
    const char* key_;
};

bool fails_naming(const char* key, const char* value) {
    const scoped_env env(key, value);
    try {
        load_config();
    } catch (const config_error& e) {
        return std::string(e.what()).find(key) != std::string::npos &&
               std::string(e.what()).find(value) != std::string::npos;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(configuration)

BOOST_AUTO_TEST_CASE(loads_defaults) {
    // Whatever the shell running the tests has set does not count here.
    for (const auto& key : config_keys()) {
        unsetenv(key.key);
    }
    const auto settings = load_config();
    BOOST_TEST(settings.pool_size == 4);
    BOOST_TEST(settings.max_upload_bytes == 104857600);
    BOOST_TEST(settings.storage_dir == "/var/lib/docshift/storage");
    BOOST_TEST(settings.log_level == "info");
}

BOOST_AUTO_TEST_CASE(reads_values_from_the_environment) {
    const scoped_env pool("DOCSHIFT_POOL_SIZE", "7");
    const scoped_env dir("DOCSHIFT_STORAGE_DIR", "/srv/files");
    const auto settings = load_config();
    BOOST_TEST(settings.pool_size == 7);
    BOOST_TEST(settings.storage_dir == "/srv/files");
}

BOOST_AUTO_TEST_CASE(bad_values_are_fatal_and_named) {
    BOOST_TEST(fails_naming("DOCSHIFT_POOL_SIZE", "0"));
    BOOST_TEST(fails_naming("DOCSHIFT_POOL_SIZE", "four"));
    BOOST_TEST(fails_naming("DOCSHIFT_POOL_SIZE", "4x"));
    BOOST_TEST(fails_naming("DOCSHIFT_MAX_UPLOAD_BYTES", "-1"));
    BOOST_TEST(fails_naming("DOCSHIFT_STORAGE_DIR", "relative/path"));
    BOOST_TEST(fails_naming("DOCSHIFT_LOG_LEVEL", "loud"));
}

BOOST_AUTO_TEST_CASE(readme_documents_every_key_and_default) {
    std::ifstream in(DOCSHIFT_SOURCE_DIR "/README.md");
    BOOST_REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    const auto readme = text.str();

    for (const auto& key : config_keys()) {
        const std::string row =
            std::string("| `") + key.key + "` | " +
            (*key.default_value ? std::string("`") + key.default_value + "`"
                                : std::string("(empty)"));
        BOOST_TEST(readme.find(row) != std::string::npos,
                   "README lacks the row of " << key.key);
    }
}

BOOST_AUTO_TEST_SUITE_END()
