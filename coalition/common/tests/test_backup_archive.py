"""What an archive may hold: only the manifest, the dump it names and files under media/, each
a regular file with a plain relative name, so nothing in it can write outside the folders it is
restored into."""

import hashlib
import io
import json
import tarfile

import pytest

from coalition.common.backups import BackupError
from coalition.common.backups.archive import archive_read, manifest_read

DUMP = b"SQLite format 3\x00 (not really)"


def manifest(**changes) -> dict:
    return {
        "format": "coalition-backup", "format_version": 1, "platform_version": "0.1.0",
        "created_at": "2026-01-31T02:15:00Z",
        "database": {"vendor": "sqlite", "file": "database/coalition.sqlite3", "size": len(DUMP),
                     "sha256": hashlib.sha256(DUMP).hexdigest()},
        "tables": {}, "media": {}, **changes,
    }


def archive(path, members, *, described=None):
    """A tar at `path` with `members` ({name: bytes, or a TarInfo for links}) and the manifest."""
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            if isinstance(data, tarfile.TarInfo):
                tar.addfile(data)
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        text = json.dumps(described or manifest()).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    return path


def test_names_that_climb_out_of_the_media_folder_and_links_are_refused_and_never_written(tmp_path):
    link = tarfile.TarInfo("media/evidence/passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    path = archive(tmp_path / "evil.tar", {"database/coalition.sqlite3": DUMP, "media/../../outside.txt": b"x",
                                           "/etc/cron.d/evil": b"x", "notes.txt": b"x", "media/evidence/passwd": link})
    media = tmp_path / "media"

    problems = archive_read(path, manifest=manifest_read(path), media_to=media).problems

    assert problems == [
        "media/../../outside.txt has no place in a backup",
        "/etc/cron.d/evil has no place in a backup",
        "notes.txt has no place in a backup",
        "media/evidence/passwd is not a regular file",
    ]
    assert not media.exists() and not (tmp_path / "outside.txt").exists()


def test_a_member_the_manifest_does_not_list_and_a_listed_member_that_is_missing_are_named(tmp_path):
    described = manifest(media={"evidence/a.pdf": {"size": 1, "sha256": hashlib.sha256(b"a").hexdigest()}})
    path = archive(tmp_path / "b.tar", {"database/coalition.sqlite3": DUMP, "media/evidence/b.pdf": b"b"},
                   described=described)

    assert archive_read(path, manifest=manifest_read(path)).problems == [
        "media/evidence/a.pdf is missing",
        "media/evidence/b.pdf is not listed in the manifest",
    ]


@pytest.mark.parametrize(("described", "message"), [
    ({"format": "something-else"}, "not a Coalition backup manifest"),
    (manifest(format_version=2), "newer version of Coalition"),
    (manifest(database={"vendor": "oracle"}), "database.vendor must be one of sqlite, postgresql"),
    (manifest(media={"../x": {"size": 1, "sha256": "0"}}), "media path ../x is not a plain relative path"),
    (manifest(tables={"t": {"rows": "many"}}), "tables must give each table's rows and content_hash"),
])
def test_a_manifest_that_cannot_be_trusted_is_refused_saying_why(tmp_path, described, message):
    path = archive(tmp_path / "m.tar", {"database/coalition.sqlite3": DUMP}, described=described)
    with pytest.raises(BackupError, match=message):
        manifest_read(path)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "notes.tar"
    path.write_text("not a tar file")
    with pytest.raises(BackupError, match="cannot be read as a backup archive"):
        manifest_read(path)
    with pytest.raises(BackupError, match="There is no archive"):
        manifest_read(tmp_path / "missing.tar")
