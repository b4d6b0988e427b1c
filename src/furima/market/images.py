"""What an uploaded photo becomes before anything is stored: checked to be a real image of a
sane size, turned upright, stripped of its metadata, and resized once into the two sizes the
pages show (the item page's photo and the cards' square thumbnail).

Pillow does the work. A file is refused (`PhotoRejected`, with the contract's code) when it
is bigger than `FURIMA_PHOTO_MAX_BYTES`, when it is not a JPEG, PNG or WebP that decodes to
the end (`verify()` and then a full `load()`: a text file named `.jpg`, or a truncated
image, fails here), or when its header claims more than `FURIMA_PHOTO_MAX_PIXELS` pixels —
checked before any pixel is decoded, so a few-kilobyte "decompression bomb" never becomes
gigabytes of memory.

The stored images are new JPEG files encoded from the pixels alone: EXIF (camera, time,
GPS position of the seller's home) is not copied, and the orientation tag is applied to the
pixels first (`ImageOps.exif_transpose`), so a phone photo taken sideways shows upright
everywhere, tag or no tag. No Django here beyond reading the settings: the module is easy to
test on bytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from furima.errors import FurimaError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
FULL_SIZE = 1280
"""The long side of the stored photo, in pixels: sharp on a phone, a few hundred kB."""
THUMBNAIL_SIZE = 300
"""The cards' square thumbnail (the grid shows it at 150–300 CSS pixels)."""
JPEG_QUALITY = 85


class PhotoRejected(FurimaError):
    """A photo that cannot be stored; `code` says why (`invalid_image`, `image_too_large`)."""

    code = "invalid_image"


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes of the photo and of its thumbnail."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _max_bytes() -> int:
    return settings.FURIMA_PHOTO_MAX_BYTES


def _max_pixels() -> int:
    return settings.FURIMA_PHOTO_MAX_PIXELS


class PhotoSource(Protocol):
    """What a photo is read from: an upload (Django's UploadedFile), an open file, BytesIO.
    (Read by size; rewound first when it can seek.)"""

    def read(self, size: int, /) -> bytes: ...


def _read_limited(source: PhotoSource, name: str) -> bytes:
    limit = _max_bytes()
    data = source.read(limit + 1)
    if len(data) > limit:
        raise PhotoRejected(
            f"{name} is larger than {limit // (1024 * 1024)} MB", code="image_too_large"
        )
    return data


def _open(data: bytes, name: str) -> Image.Image:
    """The image, opened (header only) and checked for its format and its pixel count."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise PhotoRejected(f"{name} has too many pixels", code="image_too_large") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise PhotoRejected(f"{name} is not a JPEG, PNG or WebP image") from None
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(f"{name} is a {image.format} file; send a JPEG, PNG or WebP image")
    width, height = image.size
    if width * height > _max_pixels():
        raise PhotoRejected(
            f"{name} is {width}×{height} pixels; at most {_max_pixels():,} pixels are accepted",
            code="image_too_large",
        )
    return image


def _decoded(data: bytes, name: str) -> Image.Image:
    """The image with every pixel decoded; `PhotoRejected` if the file is damaged."""
    image = _open(data, name)
    try:
        image.verify()  # the file's structure and checksums; the object is spent after it
        image = _open(data, name)
        if image.format == "JPEG":
            # Decode at a reduced scale when the photo is far larger than we keep: the whole
            # stream is still read (damage is still found), in a fraction of the memory.
            image.draft("RGB", (FULL_SIZE * 2, FULL_SIZE * 2))
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoRejected(f"{name} is damaged or not a complete image") from None
    return image


def _rgb(image: Image.Image) -> Image.Image:
    """JPEG holds no transparency: a transparent PNG goes on white, as the pages show it."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif=: none is kept
    return out.getvalue()


def photo_process(source: PhotoSource, *, name: str = "the photo") -> ProcessedPhoto:
    """Check one uploaded file and make its stored photo and thumbnail (see the module's
    docstring). Raises `PhotoRejected`; `name` (the file's name) goes into its detail."""
    if hasattr(source, "seek"):
        source.seek(0)
    data = _read_limited(source, name)
    with warnings.catch_warnings():
        # Pillow's own bomb guard only warns below twice its limit; ours refused already.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _rgb(ImageOps.exif_transpose(_decoded(data, name)))
        except PhotoRejected:
            raise
        except Image.DecompressionBombWarning:
            raise PhotoRejected(f"{name} has too many pixels", code="image_too_large") from None
        except Exception:
            # Whatever Pillow trips on in a stranger's file (a malformed EXIF block, a mode
            # that does not convert) is a bad image, not a 500.
            raise PhotoRejected(f"{name} could not be read as an image") from None
    full = image.copy()
    full.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(image, (THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_jpeg(full), thumbnail=_jpeg(thumbnail), width=full.width, height=full.height
    )
