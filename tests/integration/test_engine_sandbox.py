"""Engines see only their own folder. A Word file can link a picture by a
file:// path, and LibreOffice embeds whatever that path holds; docshift's
engines run in a sandbox where another client's upload does not exist."""

import io
import subprocess
import zipfile

from PIL import Image

from conftest import RUN_DIR, pdf_text
from samples import image_bytes, render_pages

SECRET_COLOUR = (220, 20, 20)

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels"
 ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""

_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdLinked" TargetMode="External" Target="{target}"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>
</Relationships>"""

# A whole-page picture that is linked, not embedded: r:link, no r:embed.
_DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document
 xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<w:body>
<w:p><w:r><w:t>Quarterly figures follow.</w:t></w:r></w:p>
<w:p><w:r><w:drawing>
<wp:inline><wp:extent cx="5000000" cy="5000000"/><wp:docPr id="1" name="Figures"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic>
<pic:nvPicPr><pic:cNvPr id="1" name="figures.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:link="rIdLinked"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5000000" cy="5000000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
</pic:pic>
</a:graphicData></a:graphic>
</wp:inline>
</w:drawing></w:r></w:p>
</w:body>
</w:document>"""


def docx_linking(target):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", _CONTENT_TYPES)
        docx.writestr("_rels/.rels", _PACKAGE_RELS)
        docx.writestr("word/_rels/document.xml.rels",
                      _DOCUMENT_RELS.format(target=target))
        docx.writestr("word/document.xml", _DOCUMENT)
    return out.getvalue()


def secret_pixels(pdf, tmp_path):
    """How many pixels of the rendered pages have the secret colour."""
    count = 0
    for page in render_pages(pdf, tmp_path, dpi=30):
        for r, g, b in page.getdata():
            if r > 180 and g < 80 and b < 80:
                count += 1
    return count


def convert_unconfined(docx, tmp_path):
    """What LibreOffice makes of the document with nothing in its way."""
    source = tmp_path / "linked.docx"
    source.write_bytes(docx)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=120)
    return (tmp_path / "linked.pdf").read_bytes()


def test_linked_picture_of_another_client_stays_out(
        client, other_client, tmp_path):
    # The other client's upload, where the storage folder keeps it.
    secret = image_bytes(Image.new("RGB", (64, 64), SECRET_COLOUR), "PNG")
    job, _ = other_client.convert("images_to_pdf", [("secret.png", secret)])
    stored = RUN_DIR / "storage" / other_client.client_id / job["id"]
    stored_input = next(stored.glob("input-1.*"))
    docx = docx_linking(stored_input.as_uri())

    # Without a sandbox the document really does pull the file in...
    assert secret_pixels(convert_unconfined(docx, tmp_path), tmp_path) > 100

    # ...and through docshift it does not, while the text comes through.
    _, result = client.convert("document_to_pdf", [("figures.docx", docx)])
    assert "Quarterly figures follow." in pdf_text(result.body, tmp_path)
    assert secret_pixels(result.body, tmp_path) == 0

