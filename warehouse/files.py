"""The warehouse file before DuckDB opens it: a usable path, a whole DuckDB file.

``check_warehouse_path`` requires a regular file, or a missing file in a directory that
exists (or can be created) and is writable, so a device, a FIFO or a path under a file is a
one-line WarehouseError and nothing is created beside it. ``check_warehouse_file`` reads the
header of an existing file (magic bytes; the block count of its newest database header
against the file's size and free list), so a truncated or foreign file is WarehouseCorrupt
before a read-write open could modify it.
"""
from __future__ import annotations

import errno
import fcntl
import os
import stat
import struct
from pathlib import Path
from typing import BinaryIO

from warehouse.errors import WarehouseCorrupt, WarehouseError

MEMORY = ":memory:"

# The DuckDB file layout read by check_warehouse_file: a main header block (checksum, then the
# magic bytes at MAGIC_OFFSET), two database headers (the one with the higher iteration is
# current), then `block_count` blocks of `block_alloc_size` bytes each.
HEADER_BLOCK = 4096
HEADER_BYTES = 3 * HEADER_BLOCK
MAGIC, MAGIC_OFFSET = b"DUCK", 8
DEFAULT_BLOCK_ALLOC = 262_144
_DB_HEADER = struct.Struct("<QQQQQQ")  # checksum, iteration, meta block, free list, block count, block alloc size
INVALID_POINTER = (1 << 64) - 1
BLOCK_CHECKSUM_BYTES = 8       # every storage block starts with its checksum
METADATA_SUB_BLOCKS = 64       # a metadata block is split into this many sub-blocks


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_warehouse_path(path: str | Path, *, read_only: bool = False) -> None:
    """Check `path` before anything opens or creates a file for it; raise a one-line WarehouseError.

    An existing path must be a regular file (a symlink to one is fine); a device, FIFO, socket or
    directory is refused. A missing file is refused for `read_only`; otherwise its nearest existing
    ancestor must be a writable directory, and missing directories up to it are created here.
    """
    if str(path) == MEMORY:
        return
    file = Path(path)
    try:
        mode = os.stat(file).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError as e:
        raise WarehouseError(f"warehouse {file} is under {_file_in_the_way(file)}, which is not a "
                             "directory") from e
    except OSError as e:
        raise WarehouseError(f"cannot use warehouse {file}: {e.strerror or e}") from e
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise WarehouseError(f"warehouse {file} is a directory, expected a DuckDB file")
        if not stat.S_ISREG(mode):
            raise WarehouseError(f"warehouse {file} is {_kind(mode)}, expected a DuckDB file (a regular file)")
        return
    if read_only:
        raise WarehouseError(f"warehouse {file} does not exist (opened read-only; run a load first)")
    _check_new_file(file)


def _file_in_the_way(file: Path) -> Path:
    """The nearest ancestor of `file` that exists and is not a directory (or the parent when none is found)."""
    for parent in file.absolute().parents:
        try:
            if not stat.S_ISDIR(os.stat(parent).st_mode):
                return parent
        except OSError:
            continue
    return file.parent


def _check_new_file(file: Path) -> None:
    """A missing warehouse file: its nearest existing ancestor is a writable directory; create the rest."""
    if file.is_symlink():
        raise WarehouseError(f"warehouse {file} is a dangling symbolic link, expected a DuckDB file")
    directory = file.absolute().parent
    ancestor = directory
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    try:
        mode = os.stat(ancestor).st_mode
    except OSError as e:
        raise WarehouseError(f"warehouse {file} cannot be created: {ancestor}: {e.strerror or e}") from e
    if not stat.S_ISDIR(mode):
        raise WarehouseError(f"warehouse {file} cannot be created: {ancestor} is not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise WarehouseError(f"warehouse {file} cannot be created: directory {ancestor} is not writable")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WarehouseError(f"cannot create the directory {directory} of warehouse {file}: "
                             f"{e.strerror or e}") from e


def check_warehouse_file(path: str | Path) -> None:
    """Raise WarehouseCorrupt unless the existing regular file at `path` looks like a whole DuckDB file.

    Reads only the header and the free list: the magic bytes, and the block count and block size
    of the current (higher iteration) database header, which say how long the file must be. DuckDB
    itself shortens the file by the free blocks at its end after a checkpoint, without lowering the
    count; so a file may lack blocks only when the header's free list holds every one of them. A
    truncated file is refused here, before DuckDB could open it read-write and write to it. Skipped
    while another process writes the file (`connect` then reports it locked) and when this process
    has the file open already (see `_open_in_this_process`).
    """
    file = Path(path)
    if _open_in_this_process(file):
        return
    try:
        problem = _inspect(file)
    except OSError as e:
        raise WarehouseError(f"cannot read warehouse {file}: {e.strerror or e}") from e
    if problem:
        raise WarehouseCorrupt(f"warehouse {file} is not a readable DuckDB database: {problem}; it was left as "
                               "it is (restore it from a backup, or move it away to start a new one)")


def _inspect(file: Path) -> str | None:
    """What is wrong with the DuckDB file's header or length, read under a shared lock; None when nothing is.

    DuckDB keeps an exclusive lock on the file from a read-write open to its close, and a
    checkpoint may shrink the file just before it writes the header that says so: only under
    a shared lock (no writer) do the header and the size belong together. While a writer holds
    its lock nothing is checked (`connect` reports WarehouseLocked).
    """
    with open(file, "rb") as f:  # closing the file drops the lock
        try:
            fcntl.lockf(f.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EAGAIN):
                return None
            raise
        head, size = f.read(HEADER_BYTES), os.fstat(f.fileno()).st_size
        if size == 0:
            return "the file is empty"
        if head[MAGIC_OFFSET:MAGIC_OFFSET + len(MAGIC)] != MAGIC:
            return f"no DuckDB magic bytes {MAGIC.decode()!r} at offset {MAGIC_OFFSET}"
        if size < HEADER_BYTES:
            return f"truncated: {size} bytes, shorter than the {HEADER_BYTES}-byte header"
        headers = [_DB_HEADER.unpack_from(head, offset) for offset in (HEADER_BLOCK, 2 * HEADER_BLOCK)]
        _, _, _, free_list, blocks, alloc = max(headers, key=lambda h: h[1])
        alloc = alloc or DEFAULT_BLOCK_ALLOC  # files of DuckDB < 1.2 do not record it
        if alloc & (alloc - 1) or not 4096 <= alloc <= 1 << 30:
            return None  # a layout this check does not know: DuckDB's own checksums judge the file
        # a block cut short is missing too; bytes past the counted blocks (a write the disk refused) are free
        missing = set(range((size - HEADER_BYTES) // alloc, blocks))
        if missing:
            free = _free_blocks(f, free_list, alloc=alloc, size=size)
            lost = sorted(missing - (free or set()))
            if lost:
                return (f"truncated: {size} bytes, but its header counts {blocks} blocks of {alloc} bytes and "
                        f"{len(lost)} of the missing ones ({lost[0]}{'…' if len(lost) > 1 else ''}) hold data")
        return None


def _free_blocks(f: BinaryIO, free_list: int, *, alloc: int, size: int) -> set[int] | None:
    """The block ids of the free list whose metadata chain starts at `free_list`; None when unreadable.

    DuckDB's metadata layout: a pointer holds the block id (low 56 bits) and the sub-block (high
    8 bits); a metadata block holds METADATA_SUB_BLOCKS sub-blocks after its checksum, each
    starting with the pointer to the next one. The free list is a count, then that many ids.
    """
    if free_list == INVALID_POINTER:
        return set()
    sub = (alloc - BLOCK_CHECKSUM_BYTES) // METADATA_SUB_BLOCKS // 8 * 8
    data, pointer, wanted, hops = bytearray(), free_list, 8, 0
    while len(data) < wanted:
        block, index = pointer & ((1 << 56) - 1), pointer >> 56
        offset = HEADER_BYTES + block * alloc + BLOCK_CHECKSUM_BYTES + index * sub
        if pointer == INVALID_POINTER or index >= METADATA_SUB_BLOCKS or offset + sub > size or hops > 100_000:
            return None
        f.seek(offset)
        chunk = f.read(sub)
        pointer, hops = int.from_bytes(chunk[:8], "little"), hops + 1
        data += chunk[8:]
        wanted = 8 + 8 * int.from_bytes(data[:8], "little")
        if wanted > size:  # more ids than the file has blocks: not a free list
            return None
    count = int.from_bytes(data[:8], "little")
    return {int.from_bytes(data[8 + 8 * i:16 + 8 * i], "little") for i in range(count)}


def _open_in_this_process(file: Path) -> bool:
    """True when this process has `file` open already (or when /proc cannot tell).

    DuckDB locks the file with POSIX record locks, which the kernel drops when the process
    closes ANY descriptor of the file: opening the file here to read its header while a
    connection of this process has it open would silently release that connection's lock.
    """
    try:
        target = os.stat(file)
        names = os.listdir("/proc/self/fd")
    except OSError:
        return True
    for name in names:
        try:
            st = os.stat(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False
