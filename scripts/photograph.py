#!/usr/bin/env python3
"""Makes photographed-looking copies of page images (made with Pillow, not with nianbao):
light falling off across the page, the page seen at an angle (perspective), a little blur
and JPEG compression.

usage: photograph.py [--light F] [--tilt F] [--turn F] OUT PAGE...
  --light F   paper brightness falls to (1 - F) of full at the far corner (default 0.45)
  --tilt F    top edge narrower by F of the width on each side (camera tilted; default 0)
  --turn F    left edge shorter by F of the height at top and bottom (camera turned; default 0)
OUT ending in .tif/.tiff gets every page (JPEG-compressed TIFF); otherwise the first page.
Needs Pillow (pip install pillow)."""
import argparse
from PIL import Image, ImageChops, ImageFilter


def perspective(im, tilt, turn):
    w, h = im.size
    dx, dy = tilt * w, turn * h
    # Where the page's corners land (top-left, top-right, bottom-right, bottom-left).
    dst = [(dx, dy), (w - dx, 0), (w, h), (0, h - dy)]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    rows, rhs = [], []
    for (x, y), (X, Y) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -X * x, -X * y]); rhs.append(X)
        rows.append([0, 0, 0, x, y, 1, -Y * x, -Y * y]); rhs.append(Y)
    m = [r + [b] for r, b in zip(rows, rhs)]
    for c in range(8):
        p = max(range(c, 8), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(8):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    coeffs = [m[i][8] / m[i][i] for i in range(8)]
    return im.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR, fillcolor=255)


def light(im, fall):
    w, h = im.size
    down = Image.linear_gradient("L").resize((w, h))
    across = Image.linear_gradient("L").rotate(90).transpose(Image.FLIP_LEFT_RIGHT).resize((w, h))
    mix = Image.blend(down, across, 0.7)
    shade = mix.point(lambda v: int(255 * (1 - fall * v / 255)))
    return ImageChops.multiply(im, shade)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--light", type=float, default=0.45)
    ap.add_argument("--tilt", type=float, default=0.0)
    ap.add_argument("--turn", type=float, default=0.0)
    ap.add_argument("out")
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    out = []
    for p in a.pages:
        im = Image.open(p).convert("L")
        if a.tilt or a.turn:
            im = perspective(im, a.tilt, a.turn)
        if a.light:
            im = light(im, a.light)
        out.append(im.filter(ImageFilter.GaussianBlur(0.8)))
    if a.out.lower().endswith((".tif", ".tiff")):
        out[0].save(a.out, save_all=True, append_images=out[1:], compression="jpeg", quality=85)
    else:
        out[0].save(a.out, quality=85)


if __name__ == "__main__":
    main()
