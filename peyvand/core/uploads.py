"""Upload checks shared by every form with a file: size limit and type by extension *and* content."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# extension -> acceptable leading bytes (None: plain text formats checked for NUL bytes)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".dwg": (b"AC1",),
    ".dxf": None,
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".csv": None,
    ".txt": None,
}
DOCUMENTS = (".pdf", ".png", ".jpg", ".jpeg")
DRAWINGS = (".pdf", ".png", ".jpg", ".jpeg", ".dwg", ".dxf", ".zip")


def validate_upload(
    upload: UploadedFile | None, allowed: tuple[str, ...] = DOCUMENTS, max_mb: int | None = None
) -> None:
    """Refuse files that are too large, of a type not allowed, or whose content does not match the type."""
    if upload is None:
        return
    limit = (max_mb or settings.PEYVAND_UPLOAD_MAX_MB) * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; the largest allowed is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    extension = Path(upload.name or "").suffix.lower()
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(type)s” are not accepted here. Allowed: %(allowed)s.")
            % {"type": extension or "?", "allowed": ", ".join(allowed)},
            code="type",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(_("The file's content does not match its type."), code="content")
    elif not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(_("The file's content does not match its type."), code="content")
