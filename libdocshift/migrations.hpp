// Applies the numbered SQL files of a folder (001_name.sql, 002_...) in
// order, each once, recording what was applied in schema_migrations.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace docshift {

class pg_connection;

// Applies every migration in `sql_dir` not yet recorded and returns the file
// names it applied. Safe to run twice and from two hosts at once: an advisory
// lock serialises runners and each file runs in its own transaction.
std::vector<std::string> apply_migrations(pg_connection& db,
                                          const std::filesystem::path& sql_dir);

}  // namespace docshift
