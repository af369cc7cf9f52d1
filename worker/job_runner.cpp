#include "job_runner.hpp"

#include "config.hpp"
#include "conversion_catalog.hpp"
#include "file_type.hpp"
#include "log.hpp"
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

void check_output(const std::filesystem::path& result, const conversion& conv) {
    const auto sniffed = sniff_file(result);
    if (sniffed.format == file_format::empty) {
        throw conversion_error("empty_output",
                               "the engine finished but wrote an empty "
                               "file; the document may have no content");
    }
    if (format_extension(sniffed.format) != conv.output_extension) {
        throw conversion_error("bad_output",
                               "the engine wrote a " +
                                   std::string(format_name(sniffed.format)) +
                                   " file instead of " + conv.output_extension);
    }
}

}  // namespace

job_runner::job_runner(const config& settings, const lease_policy& lease,
                       int slot)
    : files_(settings.storage_dir),
      lease_(lease),
      slot_dir_(settings.work_dir / ("slot-" + std::to_string(slot))),
      engine_(settings, slot_dir_) {}

void job_runner::run(pg_connection& db, const job& claimed) {
    log::set_context("job=" + claimed.id);
    log::info("job started", {{"conversion", claimed.conversion},
                              {"attempt", claimed.attempts}});
    const auto private_dir = slot_dir_ / "job";
    std::filesystem::remove_all(private_dir);
    std::filesystem::create_directories(private_dir);

    try {
        const auto result = convert(db, claimed, private_dir);
        record_success(db, claimed, result);
    } catch (const conversion_error& e) {
        log::warning("job failed", {{"code", e.code()}, {"error", e.what()}});
        mark_failed(db, claimed, {e.code(), e.what()});
    } catch (const database_unavailable&) {
        std::filesystem::remove_all(private_dir);
        throw;
    } catch (const std::exception& e) {
        log::error("job failed",
                   {{"code", "internal_error"}, {"error", e.what()}});
        mark_failed(db, claimed,
                    {"internal_error",
                     "the conversion failed because of a problem on our "
                     "side; try again later"});
    }
    std::filesystem::remove_all(private_dir);
    log::set_context("");
}

std::filesystem::path job_runner::convert(
    pg_connection& db, const job& claimed,
    const std::filesystem::path& private_dir) {
    const conversion* conv = find_conversion(claimed.conversion);
    if (conv == nullptr) {
        throw conversion_error("unknown_conversion",
                               "this conversion is no longer offered");
    }

    // The engine sees a copy under a safe name, in a folder of its own.
    const auto job_dir = files_.job_dir(claimed.client_id, claimed.id);
    const auto inputs = stored_inputs(job_dir, claimed.inputs.size());
    const auto input = private_dir / inputs.front().filename();
    std::filesystem::copy_file(inputs.front(), input);

    const auto out_dir = private_dir / "out";
    std::filesystem::create_directory(out_dir);
    const auto renew = [&] {
        service_notify::watchdog();
        if (!renew_lease(db, claimed, lease_)) {
            log::warning("lost the claim on the job");
        }
    };
    const auto result =
        engine_.convert(input, conv->output_extension, out_dir, renew);
    check_output(result, *conv);
    return result;
}

void job_runner::record_success(pg_connection& db, const job& claimed,
                                const std::filesystem::path& result) {
    const conversion* conv = find_conversion(claimed.conversion);
    const auto target = files_.job_dir(claimed.client_id, claimed.id) /
                        storage::output_name(conv->output_extension);
    const auto size =
        static_cast<std::int64_t>(std::filesystem::file_size(result));

    // Copy under a temporary name, then rename: a download never sees half
    // a file.
    const auto partial = target.string() + ".partial";
    std::filesystem::copy_file(
        result, partial, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(partial, target);

    const auto name =
        output_file_name(claimed.inputs.front().name, conv->output_extension);
    if (mark_succeeded(db, claimed, name, size)) {
        log::info("job succeeded", {{"bytes", size}});
    } else {
        // Deleted while it ran (its folder goes with it), or claimed again
        // after the lease ran out (the new owner writes the same file).
        log::warning("job no longer ours, outcome not recorded");
    }
}

}  // namespace docshift
