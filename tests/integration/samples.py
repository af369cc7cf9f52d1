"""Inputs the conversion tests make themselves: small PDFs with known words
and colours, PNG headers that claim huge sizes, and helpers that read the
results back (page images, zip members, pixels, the fonts of glyphs)."""

import html
import io
import re
import struct
import subprocess
import zlib

from PIL import Image


def _pdf_string(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages, size=(612, 792), padding=0):
    """A PDF with one page per entry of `pages`. An entry is the text to
    write (str), or a dict with optional 'text', 'lines' (list of
    (x, y, text)) and 'fill' (r, g, b in 0..1) to paint the whole page.
    `padding` bytes go into a stream no page uses, to make the file as
    large as a test needs while it stays valid."""
    width, height = size
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_id = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if padding:
        add(b"<< /Length %d >>\nstream\n" % padding + b"\0" * padding
            + b"\nendstream")
    kids = []
    for page in pages:
        if isinstance(page, str):
            page = {"text": page}
        ops = []
        if "fill" in page:
            r, g, b = page["fill"]
            ops.append(f"{r} {g} {b} rg 0 0 {width} {height} re f")
        lines = list(page.get("lines", []))
        if "text" in page:
            lines.append((72, height - 100, page["text"]))
        for x, y, text in lines:
            ops.append(f"0 0 0 rg BT /F1 18 Tf {x} {y} Td "
                       f"({_pdf_string(text)}) Tj ET")
        content = "\n".join(ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content
                     + b"\nendstream")
        kids.append(add(
            f"<< /Type /Page /Parent {pages_id} 0 R "
            f"/MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> "
            f"/Contents {stream} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
        f"/Count {len(kids)} >>".encode())

    return pdf_file(objects, catalog)


def pdf_file(objects, root):
    """A PDF file of `objects` (their bodies, numbered from 1 in order) with
    a cross-reference table and object `root` as its catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, root, xref))
    return bytes(out)


def encrypt_pdf(data, tmp_path, user, owner):
    """The PDF encrypted with AES-256 by qpdf; an empty user password makes
    a file anyone can open but whose owner restricts it."""
    plain = tmp_path / "plain.pdf"
    locked = tmp_path / "locked.pdf"
    plain.write_bytes(data)
    subprocess.run(["qpdf", "--encrypt", user, owner, "256", "--",
                    str(plain), str(locked)], check=True)
    return locked.read_bytes()


def png_claiming(width, height):
    """A tiny PNG whose header claims width x height pixels: decoding it
    would need gigabytes, reading its header does not."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def image_bytes(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def open_image(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def render_pages(pdf, tmp_path, dpi=20):
    """Each page of `pdf` as a PIL image, rendered by pdftoppm (which
    applies page rotation)."""
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), str(path), str(prefix)],
                   check=True)
    files = sorted(tmp_path.glob("page-*.ppm"))
    images = [Image.open(f).convert("RGB") for f in files]
    for f in files:
        f.unlink()
    return images


def centre(image):
    return image.getpixel((image.width // 2, image.height // 2))


def is_close(colour, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


_NO_STREAM = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE


def _installed_coverage():
    """The characters each installed font has a glyph for, by PostScript
    name, as fontconfig reports them: {name: [(first, last), ...]}."""
    listing = subprocess.run(
        ["fc-list", "--format", "%{postscriptname}\t%{charset}\n"],
        check=True, capture_output=True, text=True).stdout
    coverage = {}
    for line in listing.splitlines():
        name, _, charset = line.partition("\t")
        for span in charset.split():
            first, _, last = span.partition("-")
            coverage.setdefault(name, []).append(
                (int(first, 16), int(last or first, 16)))
    return coverage


def glyphs_without_font(pdf, tmp_path):
    """The characters of a PDF drawn in a font that has no glyph for them,
    as (font, character) pairs: the boxes a reader would see. pdftotext
    cannot tell, since a box still carries its character."""
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(pdf)
    trace = subprocess.run(["mutool", "trace", str(path)], check=True,
                           capture_output=True, text=True).stdout
    coverage = _installed_coverage()
    missing = set()
    font = None
    for line in trace.splitlines():
        # Embedded subsets are named PREFIX+Name; mutool cuts long names.
        span = re.search(r'<span font="(?:[A-Z]{6}\+)?([^"]+)"', line)
        if span:
            font = span.group(1)
            continue
        glyph = re.search(r'<g unicode="([^"]*)"', line)
        if not glyph:
            continue
        ranges = [r for name, spans in coverage.items()
                  if name.startswith(font) or font.startswith(name)
                  for r in spans]
        for char in html.unescape(glyph.group(1)):
            if not char.isspace() and not any(
                    first <= ord(char) <= last for first, last in ranges):
                missing.add((font, char))
    return missing


def _cfb_entry(name, kind, right, child):
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NO_STREAM, right, child) + b"\0" * 36
            + struct.pack("<IQ", _END_OF_CHAIN, 0))


def ole2_with_streams(names):
    """An OLE2 compound file holding empty streams with these names, as a
    password-protected OOXML file ('EncryptionInfo', 'EncryptedPackage')
    or a legacy Word file ('WordDocument') holds them."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 10
              + struct.pack("<IIIIIIII", 1, 1, 0, 0x1000, _END_OF_CHAIN, 0,
                            _END_OF_CHAIN, 0)
              + struct.pack("<I", 0))
    header = header.ljust(512, b"\xff")
    fat = struct.pack("<II", 0xFFFFFFFD, _END_OF_CHAIN).ljust(512, b"\xff")
    directory = _cfb_entry("Root Entry", 5, _NO_STREAM, 1)
    for i, name in enumerate(names):
        last = i + 1 == len(names)
        directory += _cfb_entry(name, 2, _NO_STREAM if last else i + 2,
                                _NO_STREAM)
    return header + fat + directory.ljust(512, b"\0")
