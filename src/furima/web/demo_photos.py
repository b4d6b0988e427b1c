"""Pictures for the demo's items, drawn with Pillow (the demo ships no image files): a soft
two-colour background and a few shapes, different for each item, so the cards and item
pages show what a listing with photos looks like. They go through the same photo service
as an upload (checked, resized, thumbnails made)."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SIZE = 800
PALETTES = (
    ((250, 228, 214), (214, 88, 62)),
    ((222, 236, 246), (52, 110, 170)),
    ((232, 244, 226), (70, 140, 80)),
    ((248, 240, 214), (196, 150, 40)),
    ((238, 228, 246), (120, 84, 170)),
    ((240, 240, 240), (80, 80, 80)),
)


def demo_photo(number: int) -> SimpleUploadedFile:
    """The demo's picture number `number` (the same picture for the same number)."""
    rng = random.Random(number)
    light, dark = PALETTES[number % len(PALETTES)]
    image = Image.new("RGB", (SIZE, SIZE), light)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE // 2, SIZE):  # a floor: the lower half a shade darker
        shade = (y - SIZE // 2) / SIZE
        draw.line([(0, y), (SIZE, y)], fill=tuple(int(c * (1 - 0.25 * shade)) for c in light))
    for _ in range(3):
        x, y = rng.randrange(150, 550), rng.randrange(200, 500)
        w, h = rng.randrange(120, 260), rng.randrange(120, 260)
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + w, y + h], fill=dark, outline=(255, 255, 255), width=6)
        else:
            draw.rounded_rectangle([x, y, x + w, y + h], radius=24, fill=dark)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{number}.jpg", out.getvalue(), content_type="image/jpeg")
