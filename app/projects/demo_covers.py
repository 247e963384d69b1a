"""Cover pictures for the demo projects, painted with Pillow when the demo loads (nothing is
fetched): a home visit, an evening dance class on the square, a repair stall, drawn flat
with soft light and a little grain."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

W, H = 960, 540
S = 2  # painted at twice the size, then scaled down: smooth edges


def _canvas(top: str, bottom: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W * S, H * S), top)
    draw = ImageDraw.Draw(image)
    a, b = Image.new("RGB", (1, 1), top).getpixel((0, 0)), Image.new("RGB", (1, 1), bottom).getpixel((0, 0))
    for y in range(H * S):
        t = y / (H * S)
        draw.line([(0, y), (W * S, y)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    return image, draw


def _box(draw, x, y, w, h, fill, r=0):
    draw.rounded_rectangle([x * S, y * S, (x + w) * S, (y + h) * S], radius=r * S, fill=fill)


def _person(draw, x, y, size, shirt, hair="#2b2118", skin="#e8b48f", arms_up=False, grey=False):
    """A figure standing on (x, y), ``size`` tall."""
    head = size * 0.13
    draw.ellipse([(x - head) * S, (y - size) * S, (x + head) * S, (y - size + 2 * head) * S],
                 fill=skin)
    draw.pieslice([(x - head) * S, (y - size - head * 0.1) * S, (x + head) * S,
                   (y - size + 1.6 * head) * S], 180, 360, fill="#c9c9c9" if grey else hair)
    _box(draw, x - size * 0.17, y - size + 2.2 * head, size * 0.34, size * 0.42, shirt, size * 0.08)
    _box(draw, x - size * 0.14, y - size * 0.32, size * 0.12, size * 0.32, "#30343f", size * 0.03)
    _box(draw, x + size * 0.02, y - size * 0.32, size * 0.12, size * 0.32, "#30343f", size * 0.03)
    if arms_up:
        for side in (-1, 1):
            draw.line([(x + side * size * 0.15) * S, (y - size * 0.68) * S,
                       (x + side * size * 0.34) * S, (y - size * 0.98) * S], fill=shirt,
                      width=round(size * 0.07 * S))


def _finish(image: Image.Image, seed: int) -> bytes:
    image = image.resize((W, H), Image.Resampling.LANCZOS)
    rng = random.Random(seed)
    grain = Image.frombytes("L", (W // 2, H // 2), bytes(rng.randrange(108, 148)
                                                         for _ in range(W * H // 4)))
    grain = grain.resize((W, H)).convert("RGB")
    image = Image.blend(image, grain, 0.06)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


def home_visit() -> bytes:
    """An elderly woman and a volunteer at a tea table by a sunny window."""
    image, draw = _canvas("#f6e7d3", "#e9d2b5")
    _box(draw, 0, 380, W, 160, "#b98a5e")  # wooden floor
    _box(draw, 560, 70, 300, 230, "#fff8e7", 6)  # window and its light
    for i in range(2):
        _box(draw, 575 + i * 145, 85, 130, 200, "#cfe6f2", 4)
    _box(draw, 540, 60, 20, 260, "#c0392b", 4)
    _box(draw, 860, 60, 20, 260, "#c0392b", 4)
    _box(draw, 80, 250, 330, 120, "#7b4b3a", 22)  # sofa
    _box(draw, 60, 300, 370, 90, "#8d5a46", 24)
    _box(draw, 430, 330, 170, 18, "#6d4c35", 6)  # tea table
    _box(draw, 500, 348, 12, 60, "#6d4c35")
    for cx in (470, 540):
        _box(draw, cx, 312, 24, 20, "#f4f1ea", 4)
    _box(draw, 690, 300, 50, 80, "#5b8c51", 10)  # a plant
    _person(draw, 190, 430, 250, "#8e6c8a", grey=True)
    _person(draw, 340, 440, 280, "#d9534f")
    glow = Image.new("RGB", image.size, "#fff3cf")
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).polygon([(560 * S, 70 * S), (860 * S, 70 * S), (700 * S, H * S),
                                  (200 * S, H * S)], fill=70)
    image = Image.composite(glow, image, mask.filter(ImageFilter.GaussianBlur(60)))
    return _finish(image, 1)


def square_dance() -> bytes:
    """Dusk on the community square: dancers under strings of lanterns."""
    image, draw = _canvas("#3b4a7a", "#f0a36b")
    for i, (x, h) in enumerate([(0, 250), (150, 320), (330, 280), (520, 340), (720, 290), (860, 310)]):
        _box(draw, x, 420 - h, 150 + i % 2 * 30, h, "#2e3452")
        for wy in range(440 - h, 400, 34):
            for wx in range(x + 16, x + 140, 32):
                if (wx * 7 + wy * 3 + i) % 5:
                    _box(draw, wx, wy, 14, 16, "#ffd27f")
    _box(draw, 0, 400, W, 140, "#9c8f86")
    for row in range(3):
        draw.line([(0, (120 + row * 50) * S), (W * S, (90 + row * 50) * S)], fill="#2b2b2b", width=S)
        for x in range(40, W, 90):
            y = 120 + row * 50 - x * 30 / W
            draw.ellipse([(x - 9) * S, (y + 2) * S, (x + 9) * S, (y + 24) * S], fill="#e63946")
    colours = ["#e63946", "#f1c40f", "#3498db", "#e67e22", "#9b59b6", "#2ecc71", "#e84393"]
    for i in range(14):
        x, row = 70 + (i % 7) * 135 + (i // 7) * 60, i // 7
        _person(draw, x, 470 + row * 45, 130 + row * 25, colours[i % len(colours)],
                arms_up=bool(i % 2), grey=i % 3 == 0)
    return _finish(image, 2)


def repair_stall() -> bytes:
    """A Saturday repair stall: a table of small appliances, a toolbox, two volunteers."""
    image, draw = _canvas("#cfe3f1", "#eef4f7")
    _box(draw, 0, 60, W, 260, "#d9d2c5")  # the service point's wall
    _box(draw, 60, 90, 300, 60, "#c0392b", 8)  # its red banner (no words)
    _box(draw, 620, 110, 220, 200, "#a7c4d8", 6)  # a window
    _box(draw, 0, 320, W, 220, "#8f8a83")
    _box(draw, 120, 330, 720, 26, "#f5f5f5", 6)  # the table and its cloth
    _box(draw, 140, 356, 680, 80, "#2f6f9f", 4)
    _box(draw, 170, 250, 120, 80, "#222831", 8)  # a television
    _box(draw, 182, 262, 96, 56, "#4f6d7a", 4)
    draw.ellipse([340 * S, 230 * S, 420 * S, 310 * S], fill="#dfe6e9")  # a fan
    _box(draw, 374, 300, 12, 30, "#b2bec3")
    _box(draw, 470, 280, 130, 50, "#e74c3c", 8)  # the toolbox
    _box(draw, 515, 266, 40, 16, "#c0392b", 6)
    _box(draw, 640, 296, 110, 34, "#f1c40f", 6)  # a rice cooker
    _person(draw, 300, 520, 220, "#2980b9")
    _person(draw, 650, 520, 230, "#e67e22", grey=True)
    return _finish(image, 3)


#: Each demo project's picture, by its name.
BY_PROJECT = {"幸福社区独居老人陪伴助老行动": home_visit, "和平社区广场舞公益课堂": square_dance,
              "家电义务维修进社区": repair_stall}
