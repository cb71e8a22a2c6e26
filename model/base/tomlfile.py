"""Reading a TOML file a user gives (a scenario, a sweep spec): safely, or one clear error.

A user's file may be anything: a folder, a named pipe that never ends, a
link to ``/dev/zero``, a binary file, a file of megabytes, or TOML nested so
deep that the parser overflows Python's stack. :func:`read_toml` reads only a
regular file of bounded size and turns every such case into one
``ParameterError`` that names the file and what is allowed, before anything
is run or written.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from model.base.errors import ParameterError

MAX_BYTES = 1_000_000  # a scenario or sweep spec is a few kilobytes


def read_toml(path: str | Path, what: str, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """The TOML table of a regular UTF-8 text file of at most ``max_bytes`` bytes.

    Args:
        path: The file.
        what: What the file is, for the message ("scenario file", "sweep spec").
        max_bytes: The largest file accepted.

    Raises:
        ParameterError: The file is missing, not a regular file, too large,
            unreadable, not UTF-8 text, or not valid TOML.
    """
    where = str(path)
    allowed = f"allowed: a regular UTF-8 text file in TOML of at most {max_bytes:,} bytes"
    text = _read_text(Path(path), what, where, allowed, max_bytes)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"{what} '{where}': not valid TOML ({err})") from None
    except RecursionError:
        raise ParameterError(
            f"{what} '{where}': nested too deeply to read; {allowed}, nested a few levels"
        ) from None


def _read_text(path: Path, what: str, where: str, allowed: str, max_bytes: int) -> str:
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ParameterError(f"{what} '{where}' does not exist") from None
    except IsADirectoryError:
        raise ParameterError(f"{what} '{where}' is a folder; {allowed}") from None
    except PermissionError:
        raise ParameterError(f"{what} '{where}' cannot be read (permission); {allowed}") from None
    except OSError as err:
        raise ParameterError(
            f"{what} '{where}' cannot be read ({err.strerror}); {allowed}"
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ParameterError(f"{what} '{where}' is a folder; {allowed}")
        if not stat.S_ISREG(info.st_mode):
            raise ParameterError(f"{what} '{where}' is not a regular file; {allowed}")
        raise ParameterError(f"{what} '{where}' has {info.st_size:,} bytes; {allowed}")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(max_bytes + 1)
        except OSError as err:
            raise ParameterError(
                f"{what} '{where}' cannot be read ({err.strerror}); {allowed}"
            ) from None
    if len(data) > max_bytes:
        raise ParameterError(f"{what} '{where}' has more than {max_bytes:,} bytes; {allowed}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError(f"{what} '{where}' is not UTF-8 text; {allowed}") from None
    if "\x00" in text:
        raise ParameterError(f"{what} '{where}' is binary, not text; {allowed}")
    return text
