#include "pg.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <utility>

namespace docshift {

namespace {

std::string trimmed(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

pg_rows::pg_rows(::pg_result* result) noexcept : result_(result) {}

pg_rows::pg_rows(pg_rows&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)) {}

pg_rows& pg_rows::operator=(pg_rows&& other) noexcept {
    if (this != &other) {
        PQclear(result_);
        result_ = std::exchange(other.result_, nullptr);
    }
    return *this;
}

pg_rows::~pg_rows() {
    PQclear(result_);
}

int pg_rows::size() const noexcept {
    return PQntuples(result_);
}

bool pg_rows::is_null(int row, int column) const noexcept {
    return PQgetisnull(result_, row, column) != 0;
}

std::string_view pg_rows::text(int row, int column) const noexcept {
    return {PQgetvalue(result_, row, column),
            static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::optional<std::string> pg_rows::optional_text(int row, int column) const {
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return std::string(text(row, column));
}

std::int64_t pg_rows::integer(int row, int column) const {
    const auto value = text(row, column);
    std::int64_t number = 0;
    const auto [ptr, ec] =
        std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc{} || ptr != value.data() + value.size()) {
        throw std::logic_error("column " + std::to_string(column) +
                               " is not an integer: '" + std::string(value) +
                               "'");
    }
    return number;
}

int pg_rows::column(const char* name) const {
    const int number = PQfnumber(result_, name);
    if (number < 0) {
        throw std::logic_error(std::string("no column '") + name +
                               "' in result");
    }
    return number;
}

pg_connection::pg_connection(const std::string& conninfo)
    : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string reason = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw database_unavailable("cannot connect to the database: " + reason);
    }
}

pg_connection::pg_connection(pg_connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      prepared_(std::move(other.prepared_)) {}

pg_connection& pg_connection::operator=(pg_connection&& other) noexcept {
    if (this != &other) {
        PQfinish(conn_);
        conn_ = std::exchange(other.conn_, nullptr);
        prepared_ = std::move(other.prepared_);
    }
    return *this;
}

pg_connection::~pg_connection() {
    PQfinish(conn_);
}

pg_rows pg_connection::exec(std::string_view sql,
                            std::initializer_list<pg_param> params) {
    return exec(sql, std::vector<pg_param>(params));
}

pg_rows pg_connection::exec(std::string_view sql,
                            const std::vector<pg_param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) {
        values.push_back(param.text ? param.text->c_str() : nullptr);
    }

    const std::string statement(sql);
    const int count = static_cast<int>(values.size());
    const char* name = prepared_name(statement);
    pg_rows rows(name != nullptr
                     ? PQexecPrepared(conn_, name, count, values.data(),
                                      nullptr, nullptr, 0)
                     : PQexecParams(conn_, statement.c_str(), count, nullptr,
                                    values.data(), nullptr, nullptr, 0));

    check(rows, statement);
    return rows;
}

const char* pg_connection::prepared_name(const std::string& statement) {
    // Enough for every statement docshift has; text built with values in
    // it would otherwise grow the cache without end.
    constexpr std::size_t max_prepared = 256;

    if (const auto found = prepared_.find(statement);
        found != prepared_.end()) {
        return found->second.c_str();
    }
    if (prepared_.size() >= max_prepared) {
        return nullptr;
    }
    std::string name = "docshift_" + std::to_string(prepared_.size());
    check(
        pg_rows(PQprepare(conn_, name.c_str(), statement.c_str(), 0, nullptr)),
        statement);
    return prepared_.emplace(statement, std::move(name)).first->second.c_str();
}

void pg_connection::run_script(const std::string& sql) {
    check(pg_rows(PQexec(conn_, sql.c_str())), sql);
}

void pg_connection::check(const pg_rows& rows,
                          const std::string& statement) const {
    // A failed statement on a dead connection is the connection's fault,
    // not the statement's.
    if (broken()) {
        throw database_unavailable("lost the database connection: " +
                                   trimmed(PQerrorMessage(conn_)));
    }
    const auto status = PQresultStatus(rows.result_);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* sqlstate =
            PQresultErrorField(rows.result_, PG_DIAG_SQLSTATE);
        // No SQLSTATE: libpq's own failure, such as a closed socket that
        // PQstatus() has not seen yet. Class 08 is a connection failure;
        // 57P01-57P03: the server is shutting down or restarting.
        const std::string_view state = sqlstate != nullptr ? sqlstate : "";
        if (state.empty() || state.starts_with("08") ||
            state.starts_with("57P0")) {
            throw database_unavailable(
                "lost the database connection: " +
                trimmed(PQresultErrorMessage(rows.result_)));
        }
        throw database_error(trimmed(PQresultErrorMessage(rows.result_)),
                             sqlstate != nullptr ? sqlstate : "", statement);
    }
}

bool pg_connection::broken() const noexcept {
    return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK;
}

bool pg_connection::alive() noexcept {
    if (broken()) {
        return false;
    }
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (poll(&fd, 1, 0) > 0 && PQconsumeInput(conn_) == 0) {
        return false;
    }
    return !broken();
}

int pg_connection::socket() const noexcept {
    return PQsocket(conn_);
}

std::vector<pg_notification> pg_connection::notifications() {
    if (PQconsumeInput(conn_) == 0) {
        throw database_unavailable("lost the database connection: " +
                                   trimmed(PQerrorMessage(conn_)));
    }
    std::vector<pg_notification> result;
    while (PGnotify* notify = PQnotifies(conn_)) {
        result.push_back({notify->relname, notify->extra});
        PQfreemem(notify);
    }
    return result;
}

}  // namespace docshift
