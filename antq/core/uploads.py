"""Uploaded photos and documents judged by their content, and photos stripped of metadata.

Shared by the registries (antq.grassroots) and the tip line (antq.tips): a photo is decoded
and re-encoded from its pixels only, so EXIF (GPS position, camera, time), XMP and comments
never reach the disk.
"""

from __future__ import annotations

import io

# The first bytes of each accepted kind of file: (kind, extension).
FILE_TYPES = {
    b"\xff\xd8\xff": ("photo", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("photo", ".png"),
    b"%PDF-": ("document", ".pdf"),
}


class UnreadableImage(ValueError):
    """The bytes claim to be a photo but do not decode as one."""


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, extension) of a file from its first bytes; None if it is not accepted."""
    for magic, found in FILE_TYPES.items():
        if head.startswith(magic):
            return found
    return None


def image_without_metadata(data, ext: str) -> bytes:
    """The photo's pixels re-encoded (EXIF, GPS, XMP and comments dropped), keeping its
    orientation; UnreadableImage if it does not decode (or is a decompression bomb)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(data) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the tag
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise UnreadableImage from None
    out = io.BytesIO()
    if ext == ".jpg":
        clean.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
