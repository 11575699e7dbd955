"""The backup archive: one tar file (gzip-compressed when its name ends in .tar.gz or .tgz) holding

    database/coalition.sqlite3  or  database/coalition.pgdump    the database, in its own tool's format
    media/<path>                                                   every file under MEDIA_ROOT
    manifest.json                                                  what the rest must be (the last member)

The manifest records the format version, the platform version, the database vendor, when the
backup was taken, the size and SHA-256 of the dump and of every file, and the fingerprint of every
table (fingerprints.py). An archive is read in one pass, each member hashed as it streams by;
only regular files under those three names are accepted, so nothing in an archive can write
outside the folders it is restored into.
"""

import hashlib
import json
import os
import tarfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

FORMAT = "coalition-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database/coalition.sqlite3", "postgresql": "database/coalition.pgdump"}
MEDIA = "media/"
SUFFIXES = (".tar", ".tar.gz", ".tgz")
_CHUNK = 1 << 20
_READ_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error)


class BackupError(Exception):
    """A backup, check or restore was refused or failed; the message says why and what to do."""


def _compressed(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


class _HashingReader:
    """A file object that hashes and counts what is read from it."""

    def __init__(self, stream):
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def facts(self) -> dict:
        return {"size": self.size, "sha256": self.sha256.hexdigest()}


class ArchiveWriter:
    """Add members one by one; the archive appears at `path` (mode 600: it holds personal data
    and password hashes) only when the block ends without error, and never half-written."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")

    def __enter__(self) -> "ArchiveWriter":
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz" if _compressed(self.path) else "w")
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            self._tar.close()
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
            if exc is None:
                os.replace(self.partial, self.path)
            else:
                self.partial.unlink(missing_ok=True)

    def add_file(self, name: str, source: Path) -> dict:
        """Add the file at `source` as `name`; its size and SHA-256 as read into the archive."""
        with open(source, "rb") as stream:
            status = os.fstat(stream.fileno())
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
            reader = _HashingReader(stream)
            self._tar.addfile(info, reader)
        return reader.facts()

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self._tar.addfile(info, _BytesReader(data))


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset:end], min(end, len(self.data))
        return chunk


def manifest_read(archive: Path) -> dict:
    """The archive's manifest, checked for shape; BackupError if it is missing or unreadable."""
    if not archive.is_file():
        raise BackupError(_("There is no archive at %(path)s.") % {"path": archive})
    try:
        with tarfile.open(archive, "r:*") as tar:
            stream = tar.extractfile(tar.getmember(MANIFEST))
            data = stream.read() if stream else b""
    except KeyError:
        raise BackupError(_("%(path)s is not a Coalition backup: it has no %(manifest)s.")
                          % {"path": archive, "manifest": MANIFEST}) from None
    except _READ_ERRORS as error:
        raise BackupError(_("%(path)s cannot be read as a backup archive (%(error)s); it may be truncated.")
                          % {"path": archive, "error": error}) from None
    try:
        manifest = json.loads(data)
    except ValueError:
        manifest = None
    problems = manifest_problems(manifest)
    if problems:
        raise BackupError(_("The manifest of %(path)s is not valid: %(problems)s.")
                          % {"path": archive, "problems": "; ".join(problems)})
    return manifest


def manifest_problems(manifest) -> list[str]:
    """What is wrong with the shape of a parsed manifest (empty when it can be used)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [_("it is not a Coalition backup manifest")]
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        return [_("format_version must be a whole number")]
    if version > FORMAT_VERSION:
        return [_("it was written by a newer version of Coalition (archive format %(found)s; this version reads "
                  "format %(supported)s)") % {"found": version, "supported": FORMAT_VERSION}]
    problems = []
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("vendor") not in DUMPS:
        problems.append(_("database.vendor must be one of %(vendors)s") % {"vendors": ", ".join(DUMPS)})
    elif database.get("file") != DUMPS[database["vendor"]] or not _facts_valid(database):
        problems.append(_("database must name its file %(file)s with its size and sha256")
                        % {"file": DUMPS[database["vendor"]]})
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("rows"), int) and isinstance(entry.get("content_hash"), str)
        for entry in tables.values()
    ):
        problems.append(_("tables must give each table's rows and content_hash"))
    media = manifest.get("media")
    if not isinstance(media, dict) or not all(isinstance(entry, dict) and _facts_valid(entry) for entry in media.values()):
        problems.append(_("media must give each file's size and sha256"))
    else:
        problems += [_("media path %(path)s is not a plain relative path") % {"path": path}
                     for path in media if not _relative_path_safe(path)]
    return problems


def _facts_valid(entry: dict) -> bool:
    return isinstance(entry.get("size"), int) and isinstance(entry.get("sha256"), str)


def _relative_path_safe(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and "\\" not in path and not {"..", "."} & set(parts)


@dataclass
class ArchiveContents:
    """What one pass over an archive found: each member's size and SHA-256, and what is wrong."""

    members: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def archive_read(archive: Path, *, manifest: dict, dump_to: Path | None = None,
                 media_to: Path | None = None) -> ArchiveContents:
    """Read every member of `archive`, checking it against `manifest`; write the database dump
    to `dump_to` and the media files under `media_to` when they are given."""
    contents = ArchiveContents()
    dump_name = manifest["database"]["file"]
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                problem = _member_problem(member, dump_name)
                if problem:
                    contents.problems.append(problem)
                    continue
                if member.name in contents.members:
                    contents.problems.append(_("%(member)s appears twice") % {"member": member.name})
                    continue
                destination = None
                if member.name == dump_name:
                    destination = dump_to
                elif member.name.startswith(MEDIA) and media_to is not None:
                    destination = media_to / member.name.removeprefix(MEDIA)
                contents.members[member.name] = _consume(tar.extractfile(member), destination)
    except _READ_ERRORS as error:
        contents.problems.append(_("the archive cannot be read to the end (%(error)s); it may be truncated")
                                 % {"error": error})
    contents.problems += _members_compare(manifest, contents.members)
    return contents


def _member_problem(member: tarfile.TarInfo, dump_name: str) -> str | None:
    name = member.name
    if not member.isreg():
        return _("%(member)s is not a regular file") % {"member": name}
    if name not in {MANIFEST, dump_name} and not (
        name.startswith(MEDIA) and _relative_path_safe(name.removeprefix(MEDIA))
    ):
        return _("%(member)s has no place in a backup") % {"member": name}
    return None


def _consume(stream, destination: Path | None) -> dict:
    reader = _HashingReader(stream)
    if destination is None:
        while reader.read(_CHUNK):
            pass
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with open(destination, "wb") as output:
            while chunk := reader.read(_CHUNK):
                output.write(chunk)
    return reader.facts()


def _members_compare(manifest: dict, members: dict[str, dict]) -> list[str]:
    expected = {manifest["database"]["file"]: manifest["database"]}
    expected |= {MEDIA + path: facts for path, facts in manifest["media"].items()}
    problems = []
    for name, facts in expected.items():
        found = members.get(name)
        if found is None:
            problems.append(_("%(member)s is missing") % {"member": name})
        elif found["size"] != facts["size"]:
            problems.append(_("%(member)s is %(found)s bytes, the manifest says %(expected)s")
                            % {"member": name, "found": found["size"], "expected": facts["size"]})
        elif found["sha256"] != facts["sha256"]:
            problems.append(_("%(member)s does not match its SHA-256 in the manifest") % {"member": name})
    problems += [_("%(member)s is not listed in the manifest") % {"member": name}
                 for name in members if name not in expected and name != MANIFEST]
    return problems


def file_facts(path: Path) -> dict:
    """The size and SHA-256 of the file at `path`."""
    with open(path, "rb") as stream:
        reader = _HashingReader(stream)
        while reader.read(_CHUNK):
            pass
    return reader.facts()
