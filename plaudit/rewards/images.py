"""Reward image validation: a real image of an allowed format, within the size limit."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
            ngettext(
                "The image is %(count)s byte; the limit is %(limit)s.",
                "The image is %(count)s bytes; the limit is %(limit)s.",
                upload.size,
            )
            % {"count": number(upload.size), "limit": number(limit)}
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
        raise InvalidImage(
            _("%(format)s images are not accepted; use JPEG, PNG, GIF or WebP.")
            % {"format": image_format}
        )
    if width * height > MAX_PIXELS:
        raise InvalidImage(
            # Translators: an image's width and height in pixels, then the most it may have.
            _("The image is %(width)sx%(height)s; at most %(most)s pixels.")
            % {"width": width, "height": height, "most": MAX_PIXELS}
        )
    return extension
