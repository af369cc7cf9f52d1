// Thin owners of libpq handles. libpq's header stays inside pg.cpp; the rest
// of docshift sees connections, results and two kinds of errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace docshift {

// A statement PostgreSQL refused, with the SQLSTATE and the statement.
class database_error : public std::runtime_error {
public:
    database_error(const std::string& message, std::string sqlstate,
                   std::string query)
        : std::runtime_error(message),
          sqlstate_(std::move(sqlstate)),
          query_(std::move(query)) {}

    const std::string& sqlstate() const noexcept { return sqlstate_; }
    const std::string& query() const noexcept { return query_; }

private:
    std::string sqlstate_;
    std::string query_;
};

// The server cannot be reached or the connection broke: try again later.
class database_unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One statement parameter in text form; nullopt is SQL NULL.
struct pg_param {
    pg_param(std::nullopt_t) {}
    pg_param(std::string_view v) : text(v) {}
    pg_param(const char* v) : text(v) {}
    pg_param(const std::string& v) : text(v) {}
    pg_param(std::int64_t v) : text(std::to_string(v)) {}
    pg_param(int v) : text(std::to_string(v)) {}
    pg_param(const std::optional<std::string>& v) : text(v) {}

    std::optional<std::string> text;
};

class pg_rows {
public:
    explicit pg_rows(::pg_result* result) noexcept;
    pg_rows(pg_rows&& other) noexcept;
    pg_rows& operator=(pg_rows&& other) noexcept;
    ~pg_rows();

    int size() const noexcept;
    bool empty() const noexcept { return size() == 0; }

    // Fields by row and column number, in text form.
    bool is_null(int row, int column) const noexcept;
    std::string_view text(int row, int column) const noexcept;
    std::optional<std::string> optional_text(int row, int column) const;
    std::int64_t integer(int row, int column) const;

    // The number of a column by name; throws std::logic_error when absent.
    int column(const char* name) const;

private:
    friend class pg_connection;
    ::pg_result* result_;
};

struct pg_notification {
    std::string channel;
    std::string payload;
};

class pg_connection {
public:
    // Connects; throws database_unavailable with libpq's reason.
    explicit pg_connection(const std::string& conninfo);
    pg_connection(pg_connection&& other) noexcept;
    pg_connection& operator=(pg_connection&& other) noexcept;
    ~pg_connection();

    // Runs one statement with parameters. Throws database_unavailable when
    // the connection is gone, database_error when the statement failed.
    pg_rows exec(std::string_view sql,
                 std::initializer_list<pg_param> params = {});

    // Same, with a parameter list built at run time.
    pg_rows exec(std::string_view sql, const std::vector<pg_param>& params);

    // Runs a script of several statements without parameters (migrations).
    void run_script(const std::string& sql);

    bool broken() const noexcept;

    // Whether the connection still works as far as can be seen without a
    // round trip: a server that shut down or restarted has said so on the
    // socket, and that is read here.
    bool alive() noexcept;

    // The socket to poll for notifications.
    int socket() const noexcept;

    // Reads what the server sent and returns pending notifications.
    std::vector<pg_notification> notifications();

private:
    // Throws the fitting error unless `rows` holds a successful result.
    void check(const pg_rows& rows, const std::string& statement) const;

    // The name `statement` is prepared under on this connection, preparing
    // it on first use; nullptr once the cache is full.
    const char* prepared_name(const std::string& statement);

    ::pg_conn* conn_;
    // Statements seen on this connection, each parsed and planned by the
    // server once rather than on every run.
    std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace docshift
