"""Checking uploaded images: type by content, size, and a safe stored name."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

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
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}"
    return upload
