"""Image conversions through the real stack: images to PDF pages (frames,
orientation, CMYK, transparency) and between image formats, and the images
refused by their headers before any job exists."""

from PIL import Image

from conftest import CORPUS_DIR, pdf_pages
from samples import (centre, image_bytes, is_close, open_image, png_claiming,
                     render_pages)

RED = (255, 0, 0)
GREEN = (0, 128, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)


def corpus_file(name):
    return (CORPUS_DIR / name).read_bytes()


def cmyk_red_jpeg():
    return image_bytes(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG",
                       quality=95)


def test_images_to_pdf_makes_a_page_per_tiff_page(client, tmp_path):
    _, result = client.convert(
        "images_to_pdf", [("fax.tif", corpus_file("tiff-multipage-fax-g3.tif"))])
    assert pdf_pages(result.body, tmp_path) == 3


def test_images_to_pdf_makes_a_page_per_gif_frame(client, tmp_path):
    _, result = client.convert(
        "images_to_pdf", [("anim.gif", corpus_file("gif-animated.gif"))])
    assert pdf_pages(result.body, tmp_path) == 42


def test_images_to_pdf_makes_a_page_per_webp_frame(client, tmp_path):
    frames = [Image.new("RGB", (30, 20), c) for c in (RED, GREEN, BLUE)]
    data = image_bytes(frames[0], "WEBP", save_all=True,
                       append_images=frames[1:], duration=100, lossless=True)
    _, result = client.convert("images_to_pdf", [("anim.webp", data)])
    pages = render_pages(result.body, tmp_path, dpi=72)
    assert [is_close(centre(p), c) for p, c in zip(pages, (RED, GREEN, BLUE))
            ] == [True, True, True]
    assert len(pages) == 3


def test_images_to_pdf_keeps_upload_order_and_colours(client, tmp_path):
    files = [
        ("z-red.png", image_bytes(Image.new("RGB", (40, 30), RED), "PNG")),
        ("a-green.jpg",
         image_bytes(Image.new("RGB", (40, 30), GREEN), "JPEG", quality=95)),
        ("m-blue.webp",
         image_bytes(Image.new("RGB", (40, 30), BLUE), "WEBP", lossless=True)),
    ]
    job, result = client.convert("images_to_pdf", files)
    assert job["output"]["name"] == "z-red.pdf"
    pages = render_pages(result.body, tmp_path, dpi=72)
    assert len(pages) == 3
    for page, colour in zip(pages, (RED, GREEN, BLUE)):
        assert is_close(centre(page), colour)


def test_images_to_pdf_keeps_cmyk_red_red(client, tmp_path):
    _, result = client.convert("images_to_pdf",
                               [("cmyk.jpg", cmyk_red_jpeg())])
    [page] = render_pages(result.body, tmp_path, dpi=72)
    assert is_close(centre(page), RED, tolerance=60)


def test_images_to_pdf_turns_exif_rotated_photo_upright(client, tmp_path):
    # Stored 1800 x 1200 with EXIF orientation 6: shown as a portrait.
    _, result = client.convert(
        "images_to_pdf",
        [("portrait.jpg", corpus_file("jpeg-exif-orientation-6.jpg"))])
    [page] = render_pages(result.body, tmp_path, dpi=10)
    assert page.height > page.width


def test_images_to_pdf_shows_transparency_as_white(client, tmp_path):
    image = Image.new("RGBA", (60, 40), (255, 0, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 30, 40))  # left half fully transparent
    _, result = client.convert("images_to_pdf",
                               [("alpha.png", image_bytes(image, "PNG"))])
    [page] = render_pages(result.body, tmp_path, dpi=72)
    assert is_close(page.getpixel((page.width // 4, page.height // 2)), WHITE)
    assert is_close(page.getpixel((3 * page.width // 4, page.height // 2)),
                    RED)


def test_images_to_pdf_takes_real_png_webp_and_progressive_jpeg(client,
                                                                tmp_path):
    files = [("palette.png", corpus_file("png-palette-trns.png")),
             ("deep.png", corpus_file("png-16bit-rgb.png")),
             ("flower.webp", corpus_file("webp-lossy-exif.webp")),
             ("progressive.jpg", corpus_file("jpeg-progressive.jpg"))]
    _, result = client.convert("images_to_pdf", files)
    assert pdf_pages(result.body, tmp_path) == 4


def test_refuses_pixel_bomb_from_its_header(client):
    response = client.upload("images_to_pdf",
                             [("bomb.png", png_claiming(60000, 60000))])
    assert response.status == 413
    assert response.error_code == "image_too_large"
    assert "60000 x 60000" in response.json()["error"]["message"]


def test_refuses_image_of_no_pixels_as_damaged(client):
    response = client.upload("image_convert",
                             [("blank.png", png_claiming(0, 0))])
    assert response.status == 415
    assert response.error_code == "damaged_file"


def test_refuses_text_named_as_image(client):
    response = client.upload("image_convert",
                             [("photo.png", b"just some words\n")])
    assert response.status == 415
    assert response.error_code == "type_mismatch"


def test_refuses_truncated_image_header(client):
    response = client.upload("images_to_pdf",
                             [("cut.png", png_claiming(10, 10)[:20])])
    assert response.status == 415
    assert response.error_code in ("damaged_file", "type_mismatch")


def test_refuses_empty_image(client):
    response = client.upload("images_to_pdf", [("empty.jpg", b"")])
    assert response.status == 400
    assert response.error_code == "empty_file"


def test_image_convert_png_to_jpeg(client):
    job, result = client.convert(
        "image_convert",
        [("red.png", image_bytes(Image.new("RGB", (70, 50), RED), "PNG"))],
        {"format": "jpeg"})
    assert job["output"]["name"] == "red.jpg"
    assert result.headers["Content-Type"] == "image/jpeg"
    image = open_image(result.body)
    assert image.format == "JPEG"
    assert image.size == (70, 50)
    assert is_close(centre(image.convert("RGB")), RED)


def test_image_convert_defaults_to_png_and_keeps_cmyk_red(client):
    job, result = client.convert("image_convert",
                                 [("cmyk.jpg", cmyk_red_jpeg())])
    assert job["output"]["name"] == "cmyk.png"
    image = open_image(result.body)
    assert image.format == "PNG"
    assert image.size == (64, 48)
    assert is_close(centre(image.convert("RGB")), RED, tolerance=60)


def test_image_convert_turns_exif_rotated_photo_upright(client):
    _, result = client.convert(
        "image_convert",
        [("portrait.jpg", corpus_file("jpeg-exif-orientation-6.jpg"))],
        {"format": "webp"})
    image = open_image(result.body)
    assert image.format == "WEBP"
    assert image.size == (1200, 1800)


def test_image_convert_flattens_transparency_onto_white_for_jpeg(client):
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    _, result = client.convert("image_convert",
                               [("clear.png", image_bytes(image, "PNG"))],
                               {"format": "jpeg"})
    assert is_close(centre(open_image(result.body).convert("RGB")), WHITE)


def test_image_convert_refuses_unknown_format(client):
    response = client.upload(
        "image_convert",
        [("a.png", image_bytes(Image.new("RGB", (4, 4)), "PNG"))],
        {"format": "bmp"})
    assert response.status == 422
    assert response.error_code == "bad_option"
    assert "'format'" in response.json()["error"]["message"]


def test_images_to_pdf_refuses_more_frames_than_pages_it_makes(client):
    frames = [Image.new("P", (2, 2), i % 256) for i in range(501)]
    data = image_bytes(frames[0], "GIF", save_all=True,
                       append_images=frames[1:])
    response = client.upload("images_to_pdf", [("long.gif", data)])
    assert response.status == 413
    assert response.error_code == "too_many_frames"
