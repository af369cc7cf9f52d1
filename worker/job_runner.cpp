#include "job_runner.hpp"

#include "config.hpp"
#include "conversion_catalog.hpp"
#include "file_type.hpp"
#include "image_engine.hpp"
#include "job_metrics.hpp"
#include "log.hpp"
#include "pandoc_engine.hpp"
#include "pdf_engine.hpp"
#include "pdf_info.hpp"
#include "pg.hpp"
#include "service_notify.hpp"

namespace docshift {

namespace {

// The stored inputs of a job, in upload order: input-1.<ext>, input-2...
std::vector<std::filesystem::path> stored_inputs(
    const std::filesystem::path& job_dir, std::size_t count) {
    std::vector<std::filesystem::path> inputs(count);
    for (const auto& entry : std::filesystem::directory_iterator(job_dir)) {
        const auto name = entry.path().filename().string();
        for (std::size_t i = 0; i < count; ++i) {
            const auto prefix = "input-" + std::to_string(i + 1) + ".";
            if (name.starts_with(prefix)) {
                inputs[i] = entry.path();
            }
        }
    }
    for (const auto& input : inputs) {
        if (input.empty()) {
            throw conversion_error("input_missing",
                                   "the uploaded file is no longer there; "
                                   "upload it again");
        }
    }
    return inputs;
}

// The formats a result with this extension may have by its content.
bool output_format_fits(const std::string& extension, file_format format) {
    if (extension == "txt" || extension == "html") {
        return format == file_format::text;
    }
    if (extension == "zip") {
        return format == file_format::zip;
    }
    return format_extension(format) == extension;
}

// No engine's word is taken for it: the result must exist, hold something
// and be what its extension says, and a PDF must open with pages.
void check_output(const std::filesystem::path& result) {
    require_output(result, "the engine");
    const auto extension = result.extension().string().substr(1);
    const auto sniffed = sniff_file(result);
    if (!output_format_fits(extension, sniffed.format)) {
        throw conversion_error("bad_output",
                               "the engine wrote a " +
                                   std::string(format_name(sniffed.format)) +
                                   " file instead of " + extension);
    }
    if (sniffed.format == file_format::pdf) {
        const auto info = read_pdf_info(result);
        if (info.state != pdf_state::readable || info.pages == 0) {
            throw conversion_error("bad_output",
                                   "the engine wrote a PDF without pages");
        }
    }
}

}  // namespace

job_runner::job_runner(const config& settings, const lease_policy& lease,
                       int slot)
    : files_(settings.storage_dir),
      lease_(lease),
      timeout_(settings.conversion_timeout_seconds),
      slot_dir_(settings.work_dir / ("slot-" + std::to_string(slot))),
      engine_(settings, slot_dir_) {
    if (!settings.sandbox.empty()) {
        // The job's private folder is inside the slot's.
        confine_ = sandbox{settings.sandbox, {slot_dir_}, {}};
    }
}

void job_runner::run(pg_connection& db, const job& claimed) {
    log::set_context("job=" + claimed.id);
    log::info("job started", {{"conversion", claimed.conversion},
                              {"attempt", claimed.attempts}});
    const auto private_dir = slot_dir_ / "job";
    std::filesystem::remove_all(private_dir);
    std::filesystem::create_directories(private_dir);

    deleted_ = false;

    // A job deleted while it ran fails on the way (its inputs or its folder
    // are gone): that is no failure to record.
    try {
        const auto result = convert(db, claimed, private_dir);
        record_success(db, claimed, result);
    } catch (const conversion_error& e) {
        if (!deleted_while_running(db, claimed)) {
            log::warning("job failed",
                         {{"code", e.code()}, {"error", e.what()}});
            mark_failed(db, claimed, {e.code(), e.what()});
        }
    } catch (const database_unavailable&) {
        std::filesystem::remove_all(private_dir);
        throw;
    } catch (const std::exception& e) {
        if (!deleted_while_running(db, claimed)) {
            log::error("job failed",
                       {{"code", "internal_error"}, {"error", e.what()}});
            mark_failed(db, claimed,
                        {"internal_error",
                         "the conversion failed because of a problem on our "
                         "side; try again later"});
        }
    }
    std::filesystem::remove_all(private_dir);
    record_engine_restarts(db);
    log::set_context("");
}

void job_runner::record_engine_restarts(pg_connection& db) {
    if (engine_.restarts().empty()) {
        return;
    }
    // Counts the database refuses stay with the engine for the next job; a
    // lost database is the caller's to handle, as for any statement.
    try {
        add_engine_restarts(db, engine_.restarts());
        engine_.forget_restarts();
    } catch (const database_error& e) {
        log::warning("cannot record engine restarts", {{"error", e.what()}});
    }
}

std::filesystem::path job_runner::convert(
    pg_connection& db, const job& claimed,
    const std::filesystem::path& private_dir) {
    const conversion* conv = find_conversion(claimed.conversion);
    if (conv == nullptr) {
        throw conversion_error("unknown_conversion",
                               "this conversion is no longer offered");
    }

    // Engines see copies under safe names, in a folder of their own.
    const auto job_dir = files_.job_dir(claimed.client_id, claimed.id);
    engine_request request;
    request.conv = conv;
    request.options = resolve_options(*conv, claimed.options);
    request.display_stem = file_stem(claimed.inputs.front().name);
    for (const auto& stored : stored_inputs(job_dir, claimed.inputs.size())) {
        request.inputs.push_back(private_dir / stored.filename());
        std::filesystem::copy_file(stored, request.inputs.back());
    }
    request.work_dir = private_dir;
    request.out_dir = private_dir / "out";
    std::filesystem::create_directory(request.out_dir);
    request.timeout = timeout_;
    request.confine = confine_;
    request.tick = [&] {
        service_notify::watchdog();
        if (!renew_lease(db, claimed, lease_) &&
            !deleted_while_running(db, claimed)) {
            log::warning("lost the claim on the job");
        }
    };

    const auto result = run_engine(request);
    check_output(result);
    return result;
}

std::filesystem::path job_runner::run_engine(const engine_request& request) {
    switch (request.conv->engine) {
        case engine_kind::office:
            return engine_.convert(
                request.inputs.front(), request.conv->output_extension,
                request.out_dir, request.display_stem, request.tick);
        case engine_kind::pdf_text:
        case engine_kind::pdf_images:
        case engine_kind::pdf_merge:
        case engine_kind::pdf_compress:
        case engine_kind::pdf_archive:
            return convert_pdf(request);
        case engine_kind::images_pdf:
        case engine_kind::image_convert:
            return convert_images(request);
        case engine_kind::pandoc:
            return convert_markup(request, engine_);
    }
    throw std::logic_error("no engine for " + request.conv->id);
}

void job_runner::record_success(pg_connection& db, const job& claimed,
                                const std::filesystem::path& result) {
    if (deleted_) {
        return;  // its folder is gone: nowhere to put the result
    }

    // Options decide some results' type, so the result names its own.
    const auto extension = result.extension().string().substr(1);
    const auto target = files_.job_dir(claimed.client_id, claimed.id) /
                        storage::output_name(extension);
    const auto size =
        static_cast<std::int64_t>(std::filesystem::file_size(result));

    // Copy under a temporary name, then rename: a download never sees half
    // a file.
    const auto partial = target.string() + ".partial";
    std::filesystem::copy_file(
        result, partial, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(partial, target);

    const auto name = output_file_name(claimed.inputs.front().name,
                                       claimed.conversion, extension);
    if (mark_succeeded(db, claimed, name, size)) {
        log::info("job succeeded", {{"bytes", size}});
    } else if (!deleted_while_running(db, claimed)) {
        // Claimed again after the lease ran out: the new owner writes the
        // same file.
        log::warning("job no longer ours, outcome not recorded");
    }
}

bool job_runner::deleted_while_running(pg_connection& db, const job& claimed) {
    if (deleted_) {
        return true;
    }
    if (find_job(db, claimed.client_id, claimed.id)) {
        return false;
    }
    // Deleting is a person's normal choice, not a fault of the worker.
    log::info("job deleted while it ran");
    deleted_ = true;
    return true;
}

}  // namespace docshift
