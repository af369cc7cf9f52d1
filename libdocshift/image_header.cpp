// Header readers for the image formats docshift takes. Each reads only the
// few bytes that state an image's size, and for GIF and TIFF walks the frame
// list by skipping over the compressed data.
#include "image_header.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <string>
#include <system_error>

namespace docshift {

namespace {

// Frames beyond this are not counted further; the catalog's limits are far
// lower, and a cycle in a TIFF's directory chain ends here too.
constexpr int max_counted_frames = 100'000;

class byte_reader {
public:
    explicit byte_reader(const std::filesystem::path& path)
        : in_(path, std::ios::binary) {
        if (!in_) {
            throw std::system_error(errno, std::generic_category(),
                                    "cannot open '" + path.string() + "'");
        }
    }

    // Reads `count` bytes at `offset`; empty when the file is shorter.
    std::string at(std::int64_t offset, std::size_t count) {
        in_.clear();
        in_.seekg(offset);
        std::string bytes(count, '\0');
        in_.read(bytes.data(), static_cast<std::streamsize>(count));
        if (static_cast<std::size_t>(in_.gcount()) != count) {
            return {};
        }
        return bytes;
    }

private:
    std::ifstream in_;
};

std::uint32_t byte(const std::string& bytes, std::size_t i) {
    return static_cast<unsigned char>(bytes[i]);
}

std::uint32_t big16(const std::string& b, std::size_t i) {
    return byte(b, i) << 8 | byte(b, i + 1);
}

std::uint32_t big32(const std::string& b, std::size_t i) {
    return big16(b, i) << 16 | big16(b, i + 2);
}

std::uint32_t little16(const std::string& b, std::size_t i) {
    return byte(b, i) | byte(b, i + 1) << 8;
}

std::uint32_t little24(const std::string& b, std::size_t i) {
    return little16(b, i) | byte(b, i + 2) << 16;
}

std::uint32_t little32(const std::string& b, std::size_t i) {
    return little16(b, i) | little16(b, i + 2) << 16;
}

// The IHDR chunk comes first: signature (8), length (4), "IHDR" (4).
std::optional<image_header> read_png(byte_reader& in) {
    const auto ihdr = in.at(12, 12);
    if (ihdr.empty() || ihdr.compare(0, 4, "IHDR") != 0) {
        return std::nullopt;
    }
    return image_header{big32(ihdr, 4), big32(ihdr, 8), 1};
}

// Walks the marker segments up to the first start-of-frame.
std::optional<image_header> read_jpeg(byte_reader& in) {
    std::int64_t offset = 2;
    while (true) {
        const auto marker = in.at(offset, 4);
        if (marker.empty() || byte(marker, 0) != 0xFF) {
            return std::nullopt;
        }
        const auto type = byte(marker, 1);
        if (type == 0xFF) {  // fill byte
            ++offset;
            continue;
        }

        // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (type >= 0xC0 && type <= 0xCF && type != 0xC4 && type != 0xC8 &&
            type != 0xCC) {
            const auto frame = in.at(offset + 4, 5);
            if (frame.empty()) {
                return std::nullopt;
            }
            return image_header{big16(frame, 3), big16(frame, 1), 1};
        }
        offset += 2 + big16(marker, 2);
    }
}

// Skips a chain of GIF data sub-blocks; returns the offset after it.
std::optional<std::int64_t> skip_sub_blocks(byte_reader& in,
                                            std::int64_t offset) {
    while (true) {
        const auto size = in.at(offset, 1);
        if (size.empty()) {
            return std::nullopt;
        }
        offset += 1 + byte(size, 0);
        if (byte(size, 0) == 0) {
            return offset;
        }
    }
}

std::int64_t colour_table_bytes(std::uint32_t flags) {
    return (flags & 0x80) != 0 ? 3 * (2 << (flags & 0x07)) : 0;
}

// The logical screen holds every frame; frames are counted by walking the
// blocks up to the trailer.
std::optional<image_header> read_gif(byte_reader& in) {
    const auto screen = in.at(6, 7);
    if (screen.empty()) {
        return std::nullopt;
    }
    image_header header{little16(screen, 0), little16(screen, 2), 0};
    std::int64_t offset = 13 + colour_table_bytes(byte(screen, 4));

    while (header.frames < max_counted_frames) {
        const auto introducer = in.at(offset, 1);
        if (introducer.empty() || byte(introducer, 0) == 0x3B) {
            break;  // the trailer, or a truncated file that ends here
        }
        std::optional<std::int64_t> next;
        if (byte(introducer, 0) == 0x21) {  // extension: label, sub-blocks
            next = skip_sub_blocks(in, offset + 2);
        } else if (byte(introducer, 0) == 0x2C) {  // image descriptor
            const auto image = in.at(offset + 1, 9);
            if (image.empty()) {
                break;
            }
            ++header.frames;
            next = skip_sub_blocks(
                in, offset + 10 + colour_table_bytes(byte(image, 8)) + 1);
        }
        if (!next) {
            break;
        }
        offset = *next;
    }
    if (header.frames == 0) {
        return std::nullopt;
    }
    return header;
}

// Each image file directory lists tags; 256 and 257 are width and height,
// as a SHORT (type 3) or LONG (type 4).
std::optional<image_header> read_tiff(byte_reader& in) {
    const auto head = in.at(0, 8);
    const bool little = head.compare(0, 2, "II") == 0;
    const auto u16 = [little](const std::string& b, std::size_t i) {
        return little ? little16(b, i) : big16(b, i);
    };
    const auto u32 = [little](const std::string& b, std::size_t i) {
        return little ? little32(b, i) : big32(b, i);
    };

    image_header header{0, 0, 0};
    std::set<std::uint32_t> seen;
    std::uint32_t directory = u32(head, 4);
    while (directory != 0 && header.frames < max_counted_frames &&
           seen.insert(directory).second) {
        const auto count_bytes = in.at(directory, 2);
        if (count_bytes.empty()) {
            break;
        }
        const auto count = u16(count_bytes, 0);
        const auto entries = in.at(directory + 2, count * 12 + 4);
        if (entries.empty()) {
            break;
        }
        for (std::uint32_t i = 0; i < count; ++i) {
            const auto tag = u16(entries, i * 12);
            const auto type = u16(entries, i * 12 + 2);
            const auto value =
                type == 3 ? u16(entries, i * 12 + 8) : u32(entries, i * 12 + 8);
            if (tag == 256) {
                header.width = std::max<std::int64_t>(header.width, value);
            } else if (tag == 257) {
                header.height = std::max<std::int64_t>(header.height, value);
            }
        }
        ++header.frames;
        directory = u32(entries, count * 12);
    }
    if (header.frames == 0) {
        return std::nullopt;
    }
    return header;
}

// Counts the ANMF chunks of an animated WebP: one per frame. Chunks are
// a fourcc, a little-endian size and a payload padded to an even length.
int webp_frames(byte_reader& in) {
    int frames = 0;
    std::int64_t offset = 12;
    while (frames < max_counted_frames) {
        const auto chunk = in.at(offset, 8);
        if (chunk.empty()) {
            break;
        }
        if (chunk.compare(0, 4, "ANMF") == 0) {
            ++frames;
        }
        const std::int64_t size = little32(chunk, 4);
        offset += 8 + size + (size & 1);
    }
    return std::max(frames, 1);
}

// RIFF container: "RIFF" size "WEBP", then a VP8, VP8L or VP8X chunk.
std::optional<image_header> read_webp(byte_reader& in) {
    const auto head = in.at(0, 30);
    if (head.empty()) {
        return std::nullopt;
    }
    const auto chunk = head.substr(12, 4);
    if (chunk == "VP8 ") {
        return image_header{little16(head, 26) & 0x3FFF,
                            little16(head, 28) & 0x3FFF, 1};
    }
    if (chunk == "VP8L") {
        const auto bits = little32(head, 21);
        return image_header{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1,
                            1};
    }
    if (chunk == "VP8X") {
        return image_header{little24(head, 24) + 1, little24(head, 27) + 1,
                            webp_frames(in)};
    }
    return std::nullopt;
}

}  // namespace

std::optional<image_header> read_image_header(const std::filesystem::path& path,
                                              file_format format) {
    byte_reader in(path);
    switch (format) {
        case file_format::png:
            return read_png(in);
        case file_format::jpeg:
            return read_jpeg(in);
        case file_format::gif:
            return read_gif(in);
        case file_format::tiff:
            return read_tiff(in);
        case file_format::webp:
            return read_webp(in);
        default:
            return std::nullopt;
    }
}

}  // namespace docshift
