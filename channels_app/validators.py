"""Checks on uploaded files: archive images (the real type as Pillow reads it, and size limits)
and the public page's documents."""

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG"}
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MIN_SIDE = 320
IMAGE_MAX_SIDE = 8000


def archive_image_validate(value: FieldFile) -> None:
    """Refuse a file that is not really a JPEG or PNG, is too large, or is too small or too big
    to post. A file already stored was checked when it was uploaded."""
    if getattr(value, "_committed", False):
        return
    if value.size is not None and value.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image may be at most %(mb)s MB.") % {"mb": IMAGE_MAX_BYTES // (1024 * 1024)}
        )
    try:
        value.seek(0)
        with Image.open(value) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a readable JPEG or PNG image.")) from exc
    finally:
        value.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(_("The image must be a JPEG or PNG file."))
    if min(width, height) < IMAGE_MIN_SIDE or max(width, height) > IMAGE_MAX_SIDE:
        raise ValidationError(
            _("The image must be between %(min)s and %(max)s pixels on each side.")
            % {"min": IMAGE_MIN_SIDE, "max": IMAGE_MAX_SIDE}
        )


DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def pdf_validate(value: FieldFile) -> None:
    """Refuse a document that is not really a PDF or is too large to offer for download."""
    if getattr(value, "_committed", False):
        return
    if value.size is not None and value.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document may be at most %(mb)s MB.")
            % {"mb": DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    value.seek(0)
    head = value.read(5)
    value.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF document."))
