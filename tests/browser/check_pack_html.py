#!/usr/bin/env python3
"""The pack's index.html in a real browser (issue #19): headless Chromium opens it from the
unzipped pack over file://, every link of the rendered page resolves to a file of the unzipped
folder (and every file of the pack is linked), and a screenshot is not blank.

    python3 tests/browser/check_pack_html.py out/kota-ambon-2023-bukti-dukung.zip

Python's standard library only (the PNG is decoded with zlib). Exits 1 with the reason when a
check fails, 2 when Chromium is not installed (Debian: apt-get install chromium).
"""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile
import zlib

TIMEOUT = 60  # seconds per Chromium run: a page that takes longer is itself a failure


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    print("check_pack_html: no chromium on PATH (Debian: apt-get install chromium)", file=sys.stderr)
    sys.exit(2)


def run_chromium(binary, profile, *args):
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    done = subprocess.run(command, capture_output=True, timeout=TIMEOUT)
    if done.returncode != 0:
        fail(f"chromium exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout.decode("utf-8", errors="replace")


def fail(message):
    print(f"check_pack_html: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.links.extend(v for k, v in attrs if k == "href" and v is not None)


def png_pixels(path):
    """(width, height, rows of bytes per pixel) of an 8-bit RGB/RGBA/grey PNG, unfiltered."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        fail(f"unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = chromium()
    work = tempfile.mkdtemp(prefix="pack-html-")
    try:
        with zipfile.ZipFile(sys.argv[1]) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            z.extractall(work)
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1:
            fail(f"the pack should hold one folder, not {sorted(tops)}")
        top = os.path.join(work, tops.pop())
        index = os.path.join(top, "index.html")
        url = "file://" + urllib.parse.quote(os.path.abspath(index))

        dom = run_chromium(binary, os.path.join(work, "profile-dom"), "--dump-dom", url)
        parser = Links()
        parser.feed(dom)
        if parser.scripts:
            fail(f"the page has {parser.scripts} script element(s)")
        local = [l for l in parser.links if not l.startswith(("http://", "https://"))]
        broken = [l for l in local if not os.path.isfile(os.path.join(top, urllib.parse.unquote(l)))]
        if broken:
            fail(f"links that do not resolve to a file of the unzipped pack: {broken}")
        linked = {os.path.normpath(urllib.parse.unquote(l)) for l in local}
        files = {os.path.normpath(n.split("/", 1)[1]) for n in names} - {"index.html"}
        unlinked = sorted(files - linked)
        if unlinked:
            fail(f"files of the pack the page does not link: {unlinked}")
        print(f"check_pack_html: {len(local)} local links resolve, every file of the pack linked "
              f"({len(parser.links) - len(local)} web links)")

        shot = os.path.join(work, "shot.png")
        run_chromium(binary, os.path.join(work, "profile-shot"), "--hide-scrollbars",
                     "--window-size=1000,800", f"--screenshot={shot}", url)
        width, height, channels, rows = png_pixels(shot)
        colours, background = {}, rows[0][:channels]
        for row in rows[::2]:
            for x in range(0, len(row), channels * 2):
                pixel = row[x:x + channels]
                colours[pixel] = colours.get(pixel, 0) + 1
        inked = sum(n for c, n in colours.items() if c != background) / sum(colours.values())
        if len(colours) < 2 or inked < 0.005:
            fail(f"the screenshot is blank: {len(colours)} colour(s), {inked:.2%} not background")
        print(f"check_pack_html: screenshot {width}x{height}, {len(colours)} colours, "
              f"{inked:.1%} of it not background")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
