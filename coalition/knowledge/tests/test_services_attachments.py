import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.knowledge import services
from coalition.knowledge.models import Attachment

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"})


def _file(name: str, content: bytes):
    return SimpleUploadedFile(name, content)


def _stored(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("report.pdf", PDF, "application/pdf"),
    ("map.png", PNG, "image/png"),
    ("photo.JPG", JPEG, "image/jpeg"),
    ("toolkit.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("costs.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("note.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("sites.csv", "village,centres\nBanepa,2\nDhulikhel,1\n".encode(), "text/csv; charset=utf-8"),
    ("readme.txt", "Télécentres au Népal".encode(), "text/plain; charset=utf-8"),
])
def test_files_of_each_accepted_kind_are_attached(draft, pledger_a, name, content, content_type):
    [row] = services.attachment_add(actor=pledger_a, practice=draft, files=[{"title": "", "file": _file(name, content)}])
    assert (row.content_type, row.size, row.added_by) == (content_type, len(content), pledger_a)
    assert row.title == name.rsplit(".", 1)[0]
    with row.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("name", "content", "says"), [
    ("report.pdf", b"MZ\x90\x00 a Windows program", "does not look like a PDF"),
    ("photo.png", JPEG, "does not look like a PNG"),
    ("toolkit.docx", _zip({"payload.exe": b"MZ"}), "does not look like a DOCX"),
    ("costs.xlsx", DOCX, "does not look like a XLSX"),
    ("note.odt", _zip({"mimetype": b"application/x-evil", "content.xml": b"<x/>"}), "does not look like a ODT"),
    ("toolkit.docx", b"PK\x03\x04 but not really a zip", "does not look like a DOCX"),
    ("sites.csv", "village;centres\nBanépa;2\n".encode("latin-1"), "not UTF-8"),
    ("program.exe", b"MZ\x90\x00", "not an accepted type"),
    ("image.svg", b"<svg onload='alert(1)'/>", "not an accepted type"),
    ("empty.pdf", b"", "is empty"),
])
def test_a_file_is_refused_by_its_sniffed_content_naming_the_field(draft, pledger_a, settings, name, content, says):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=pledger_a, practice=draft, files=[{"title": "A", "file": _file(name, content)}])
    assert list(error.value.message_dict) == ["files[0].file"]
    assert says in error.value.message_dict["files[0].file"][0]
    assert name in error.value.message_dict["files[0].file"][0]
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_a_file_over_the_size_limit_is_refused_saying_the_limit(draft, pledger_a, settings):
    settings.COALITION_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=pledger_a, practice=draft, files=[{"file": _file("big.pdf", PDF + b"0" * 2000)}])
    assert "at most 1.0\xa0KB" in error.value.message_dict["files[0].file"][0]
    assert not Attachment.objects.exists()


def test_one_bad_file_among_several_attaches_none(draft, pledger_a, settings):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=pledger_a, practice=draft, files=[
            {"title": "Report", "file": _file("report.pdf", PDF)},
            {"title": "Fake", "file": _file("fake.pdf", b"GIF89a")},
        ])
    assert list(error.value.message_dict) == ["files[1].file"]
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_someone_who_may_not_edit_the_practice_attaches_nothing(draft, pledger_b, country_focal):
    for person in (pledger_b, country_focal):
        with pytest.raises(PermissionDenied):
            services.attachment_add(actor=person, practice=draft, files=[{"file": _file("report.pdf", PDF)}])
    assert not Attachment.objects.exists()


def test_a_published_practice_s_attachments_do_not_change(published_practice, pledger_a):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=pledger_a, practice=published_practice,
                                files=[{"file": _file("report.pdf", PDF)}])
    assert list(error.value.message_dict) == ["status"]


def test_removing_an_attachment_deletes_its_file_once_committed(draft, pledger_a, pledger_b, settings,
                                                               django_capture_on_commit_callbacks):
    [row] = services.attachment_add(actor=pledger_a, practice=draft, files=[{"file": _file("report.pdf", PDF)}])
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=pledger_b, attachment=row)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=pledger_a, attachment=row)
    assert not Attachment.objects.exists()
    assert _stored(settings) == []
