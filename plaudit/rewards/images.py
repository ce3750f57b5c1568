"""Reward image validation: a real image of an allowed format, within the size limit."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from plaudit.core.wording import number

from .errors import FileTooLarge, InvalidImage

# Each accepted format and the file extension it is stored under.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit


def validate_reward_image(upload: UploadedFile) -> str:
    """Trust the bytes, not the file name or the client's content type.

    Returns the extension the image must be stored under: a PNG named ``page.html``
    would otherwise be served back as HTML.
    """
    limit = int(settings.PLAUDIT["REWARD_IMAGE_MAX_BYTES"])
    if upload.size is not None and upload.size > limit:
        raise FileTooLarge(
            f"The image is {number(upload.size)} bytes; the limit is {number(limit)}."
        )
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise InvalidImage() from exc
    finally:
        upload.seek(0)
    extension = ALLOWED_FORMATS.get(image_format or "")
    if extension is None:
        raise InvalidImage(f"{image_format} images are not accepted; use JPEG, PNG, GIF or WebP.")
    if width * height > MAX_PIXELS:
        raise InvalidImage(f"The image is {width}x{height}; at most {MAX_PIXELS} pixels.")
    return extension
