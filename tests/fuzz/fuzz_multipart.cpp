// libFuzzer target for the multipart reader: any body, fed in chunks of
// sizes taken from the input, must end in parts or in an api_error with a
// printable UTF-8 message, never in a crash, a hang, or data that was not
// in the body.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api_error.hpp"
#include "multipart_reader.hpp"
#include "utf8.hpp"

namespace {

using namespace docshift;

class checking_handler : public multipart_handler {
public:
    void on_part_begin(const part_headers& headers) override {
        if (in_part_ || headers.name.empty()) {
            __builtin_trap();
        }
        in_part_ = true;
    }
    void on_part_data(std::string_view bytes) override {
        if (!in_part_) {
            __builtin_trap();
        }
        data_bytes += bytes.size();
    }
    void on_part_end() override {
        if (!in_part_) {
            __builtin_trap();
        }
        in_part_ = false;
    }

    std::size_t data_bytes = 0;

private:
    bool in_part_ = false;
};

void check_message(const api_error& error) {
    const std::string_view message = error.what();
    if (!is_utf8(message)) {
        __builtin_trap();
    }
    for (const char c : message) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
    if (size < 1) {
        return 0;
    }
    // The first byte sets the chunk size, so splits land everywhere.
    const std::size_t chunk = data[0] % 64 + 1;
    const std::string_view body(reinterpret_cast<const char*>(data + 1),
                                size - 1);

    checking_handler handler;
    multipart_reader reader("XyZ", handler, {256, 8});
    try {
        for (std::size_t at = 0; at < body.size(); at += chunk) {
            reader.feed(body.substr(at, chunk));
        }
        reader.finish();
    } catch (const api_error& error) {
        // Refusing a broken body is the expected outcome.
        check_message(error);
    }
    if (handler.data_bytes > body.size()) {
        __builtin_trap();
    }

    // The Content-Type parser sees the same bytes.
    try {
        const auto boundary = multipart_reader::boundary_of(body);
        if (boundary && (boundary->empty() || boundary->size() > 70)) {
            __builtin_trap();
        }
    } catch (const api_error& error) {
        // A boundary RFC 2046 does not allow is refused.
        check_message(error);
    }
    return 0;
}
