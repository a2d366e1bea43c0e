"""Checking uploads: images and evidence documents by content, size, and a safe stored name."""

import io
import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
IMAGE_TOO_LARGE = f"图片尺寸过大（最多 {MAX_PIXELS // 10_000} 万像素），请缩小后再上传。"


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
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own guard, from ~90 Mpx
        raise ValidationError(IMAGE_TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("无法识别的图片文件，请上传 JPG、PNG 或 WebP 格式的图片。") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError("只接受 JPG、PNG 或 WebP 格式的图片。")
    if width * height > MAX_PIXELS:
        raise ValidationError(IMAGE_TOO_LARGE)
    try:
        return _reencoded(upload, image_format)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):  # e.g. a photo cut off mid-upload
        raise ValidationError("图片文件不完整或已损坏，请重新上传。") from None


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


# Evidence (ledger entries, task evidence): photos, PDF and Office files. extension → (first bytes, the folder an
# Office Open XML package must hold).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 (and WPS) compound files
EVIDENCE_DOCUMENTS = {
    ".pdf": (b"%PDF-", None),
    ".docx": (b"PK\x03\x04", "word/"),
    ".xlsx": (b"PK\x03\x04", "xl/"),
    ".pptx": (b"PK\x03\x04", "ppt/"),
    ".doc": (OLE_MAGIC, None),
    ".xls": (OLE_MAGIC, None),
    ".ppt": (OLE_MAGIC, None),
}
EVIDENCE_IMAGES = {".jpg", ".jpeg", ".png", ".webp"}
EVIDENCE_ACCEPTED = "照片（JPG、PNG、WebP）、PDF 或 Office 文档（Word、Excel、PowerPoint）"
EVIDENCE_ACCEPT_ATTR = ",".join(sorted(EVIDENCE_IMAGES | set(EVIDENCE_DOCUMENTS)))


ORIGINAL_NAME_MAX = 120  # Attachment.original_name's length


def original_name(upload) -> str:
    """The name the user's file had, without any folder part (some browsers send full Windows paths), shortened
    to ORIGINAL_NAME_MAX characters in its stem so that the extension (which decides how the file is checked and
    served) is kept: long names are common in files saved from WeChat or exported by Windows programs."""
    name = PurePosixPath((upload.name or "").replace("\\", "/")).name
    if len(name) <= ORIGINAL_NAME_MAX:
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix) > 10:  # not an extension anyone uses: cut the whole name
        return name[:ORIGINAL_NAME_MAX]
    return name[:ORIGINAL_NAME_MAX - len(suffix)] + suffix


def _is_office_package(upload, folder: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def checked_evidence(upload):
    """An evidence file under a random name with its real extension (photos re-encoded like `checked_image`),
    or a ValidationError in Chinese. Evidence is private: it is served only by views that check access. A file
    this function returned is returned as it is (a form checks it, then the service again: one re-encoding); it
    keeps the name the user's file had as `original_name`."""
    if getattr(upload, "checked_as_evidence", False):
        return upload
    name = original_name(upload)
    checked = _checked_evidence(upload)
    checked.checked_as_evidence = True
    checked.original_name = name
    return checked


def _checked_evidence(upload):
    extension = PurePosixPath(original_name(upload).lower()).suffix
    if extension in EVIDENCE_IMAGES:
        return checked_image(upload)
    kind = EVIDENCE_DOCUMENTS.get(extension)
    if kind is None:
        raise ValidationError(f"只接受{EVIDENCE_ACCEPTED}。")
    limit = settings.UPLOAD_MAX_EVIDENCE_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(f"文件不能超过 {limit} MB（当前 {upload.size / 1024 / 1024:.1f} MB）。")
    magic, folder = kind
    upload.seek(0)
    if upload.read(len(magic)) != magic or (folder and not _is_office_package(upload, folder)):
        raise ValidationError(f"文件内容与扩展名 {extension} 不符，请上传原始文件。")
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}{extension}"
    return upload


def save_with_file(instance, field: str) -> None:
    """Save a row that carries a new upload in `field`. Django writes the file just before the row; if the row
    cannot be written, the file is deleted again (a rollback removes rows, never files). Services call this only
    after every check has passed, so that a refused operation leaves nothing on disk."""
    try:
        instance.save()
    except BaseException:
        stored = getattr(instance, field)
        if stored and stored._committed:
            stored.storage.delete(stored.name)
        raise


# Course videos (courses): MP4 (an ISO base media file: a box of type "ftyp" first) and WebM (an EBML document whose
# DocType is "webm"), checked by content; a file named .mp4 that is HTML or anything else is refused.
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
VIDEO_ACCEPTED = "MP4 或 WebM 视频"
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def _is_video(head: bytes, extension: str) -> bool:
    if extension == ".mp4":
        return len(head) >= 12 and head[4:8] == b"ftyp" and int.from_bytes(head[:4], "big") >= 8
    return head.startswith(EBML_MAGIC) and b"webm" in head[:64]


def checked_video(upload):
    """A video upload under a random name with its real extension, or a ValidationError in Chinese: MP4 or WebM by
    content (not by name or by what the browser said), at most UPLOAD_MAX_VIDEO_MB. Served only by views that check
    access, through `core.views.private_file_response`, as video/mp4 or video/webm and never sniffed."""
    name = original_name(upload)
    extension = PurePosixPath(name.lower()).suffix
    if extension not in VIDEO_TYPES:
        raise ValidationError(f"只接受{VIDEO_ACCEPTED}。")
    limit = settings.UPLOAD_MAX_VIDEO_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(f"视频不能超过 {limit} MB（当前 {upload.size / 1024 / 1024:.1f} MB）。")
    upload.seek(0)
    head = upload.read(64)
    if not _is_video(head, extension):
        raise ValidationError(f"文件内容不是 {extension[1:].upper()} 视频，请上传原始视频文件。")
    upload.seek(0)
    upload.original_name = name
    upload.name = f"{uuid.uuid4().hex}{extension}"
    return upload
