"""Checking uploaded images: type by content, size, and a safe stored name."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def checked_image(upload):
    """Return the upload renamed to a random name with the extension of its real format, or refuse it."""
    limit = settings.UPLOAD_MAX_IMAGE_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(f"图片不能超过 {limit} MB（当前 {upload.size / 1024 / 1024:.1f} MB）。")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("无法识别的图片文件，请上传 JPG、PNG 或 WebP 格式的图片。") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError("只接受 JPG、PNG 或 WebP 格式的图片。")
    if width * height > MAX_PIXELS:
        raise ValidationError("图片尺寸过大，请缩小后再上传。")
    return _reencoded(upload, image_format)


def _reencoded(upload, image_format: str):
    """The image drawn again into a new file: no EXIF (GPS of storerooms), no bytes appended after the image."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 88, "optimize": True} if image_format in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, image_format, **options)
    name = f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}"
    size = buffer.tell()
    buffer.seek(0)
    return InMemoryUploadedFile(buffer, "image", name, Image.MIME[image_format], size, None)
