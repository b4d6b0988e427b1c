"""Real image files made in the test, for the photo tests: a phone-style JPEG lying on its
side with an EXIF orientation tag, a PNG with transparency, a text file named `.jpg`, a
truncated JPEG, and a decompression bomb (a small PNG of many megapixels)."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

RED = (220, 20, 20)
BLUE = (20, 20, 220)
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg_on_its_side(name: str = "phone.jpg") -> SimpleUploadedFile:
    """A 200×100 JPEG, left half red and right half blue, tagged orientation 6 (the camera
    was turned: shown upright it is 100×200, red on top), with the camera's make in EXIF."""
    image = Image.new("RGB", (200, 100), BLUE)
    image.paste(RED, (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "FurimaPhone"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "screenshot.png", size=(64, 48), transparent: bool = True):
    image = Image.new("RGBA", size, (0, 128, 0, 0 if transparent else 255))
    image.paste((0, 128, 0, 255), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def noisy_jpeg(name: str = "noise.jpg", size=(400, 400)) -> SimpleUploadedFile:
    """A JPEG that does not compress well: a few hundred kB of real picture."""
    image = Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=100)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text_named_jpg(name: str = "item.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, "これは写真ではありません\n".encode(), content_type="image/jpeg"
    )


def truncated_jpeg(name: str = "broken.jpg") -> SimpleUploadedFile:
    data = noisy_jpeg().read()
    return SimpleUploadedFile(name, data[: len(data) // 2], content_type="image/jpeg")


def decompression_bomb(name: str = "bomb.png") -> SimpleUploadedFile:
    """A PNG of 8,000×8,000 one-bit pixels, all white: 64 megapixels (192 MB once decoded to
    RGB) in a file of a few kB."""
    image = Image.new("1", (8000, 8000), 1)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def png_header_claiming(width: int, height: int, name: str = "huge.png"):
    """A PNG whose header claims `width`×`height` pixels, with one tiny compressed row: what
    a bomb looks like to a reader that trusts the header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))
    return SimpleUploadedFile(name, data + chunk(b"IEND", b""), content_type="image/png")
