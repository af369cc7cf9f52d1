// docshift-migrate: brings the database schema up to date with sql/.
#include <cstdlib>
#include <exception>

#include "config.hpp"
#include "log.hpp"
#include "migrations.hpp"
#include "pg.hpp"

int main() {
    using namespace docshift;
    try {
        const config settings = load_config();
        log::init("docshift-migrate", settings.log_level);

        pg_connection db(settings.database);
        const auto applied = apply_migrations(db, settings.sql_dir);
        for (const auto& name : applied) {
            log::info("applied migration", {{"file", name}});
        }
        log::info("schema up to date",
                  {{"applied", applied.size()},
                   {"sql_dir", settings.sql_dir.string()}});
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        log::error("migration failed", {{"error", e.what()}});
        return EXIT_FAILURE;
    }
}
