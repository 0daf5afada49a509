"""Bytes of a user's CSV in, text and physical line numbers out, or a problem naming the line.

Shared by the knowledge-base reader (UTF-8 only) and the overlay reader (UTF-8, GB18030,
UTF-16 with BOM, or an encoding the user names).
"""

from __future__ import annotations

import codecs
import csv
import io

import numpy as np

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class TextProblem(ValueError):
    """Text that cannot be read: the physical line (1-based, 0 for the whole file), what and the fix."""

    def __init__(self, line: int, message: str, fix: str):
        super().__init__(f"line {line}: {message}; fix: {fix}" if line else f"{message}; fix: {fix}")
        self.line = line
        self.message = message
        self.fix = fix


#: Characters a terminal acts on (C0 and C1 controls but line feed and tab, DEL, bidirectional overrides).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))}
_CONTROLS.update({c: f"\\u{c:04x}" for c in (0x200e, 0x200f, *range(0x202a, 0x202f), *range(0x2066, 0x206a))})


def escape_controls(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as ``\\x1b``, ``\\x07`` ..."""
    return text.translate(_CONTROLS)


def line_of(raw: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return raw.count(b"\n", 0, offset) + 1


def describe_bytes(raw: bytes) -> str:
    """A guess at what a file that is not UTF-8 is, for messages."""
    if raw.startswith(UTF32_BOMS):
        return "UTF-32 text"
    if raw.startswith(UTF16_BOMS):
        return "UTF-16 text"
    sample = raw[:65536]
    if sample.count(b"\x00") > len(sample) // 8:
        return "UTF-16 text without a byte-order mark, or a binary file"
    if b"\x00" in sample:
        return "a binary file (it contains NUL bytes)"
    try:
        raw.decode("gb18030")
        return "GBK/GB18030 text (as Excel saves it on Chinese Windows)"
    except UnicodeDecodeError:
        return "neither UTF-8 nor GBK text"


def decode_utf8(raw: bytes, *, fix: str) -> str:
    """Decode UTF-8 (with or without BOM) or raise :class:`TextProblem` naming the first bad line."""
    if raw.startswith(UTF16_BOMS) or raw.startswith(UTF32_BOMS):
        raise TextProblem(1, f"the file is {describe_bytes(raw)}, not UTF-8", fix)
    if b"\x00" in raw:
        raise TextProblem(line_of(raw, raw.index(b"\x00")), f"the file contains NUL bytes: it is "
                          f"{describe_bytes(raw)}, not UTF-8", fix)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextProblem(line_of(raw, exc.start), f"byte 0x{raw[exc.start]:02x} is not UTF-8: the file looks like "
                          f"{describe_bytes(raw)}", fix) from None


def record_lines(text: str, n_rows: int) -> np.ndarray:
    """Physical line numbers of the data records of a CSV (header excluded, blank lines skipped).

    Fast path: every non-blank line after the header is one record. When the counts disagree
    (cells with line breaks inside quotes), the csv module walks the text to find each
    record's first line.
    """
    body = text[:-1] if text.endswith("\n") else text
    blank = body.startswith(("\n", "\r\n")) or "\n\n" in body or "\n\r\n" in body or body.endswith("\n")
    if not blank and body.count("\n") == n_rows:  # one line per record: the common case, in C
        return np.arange(2, n_rows + 2)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nonblank = [i + 1 for i, line in enumerate(lines) if line.strip("\r")]
    numbers = nonblank[1:]
    if len(numbers) == n_rows:
        return np.asarray(numbers, dtype=int)
    starts = []
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    first = True
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if not row or not any(cell.strip() for cell in row) and len(row) <= 1:
            continue
        if first:
            first = False
            continue
        starts.append(start)
    if len(starts) == n_rows:
        return np.asarray(starts, dtype=int)
    return np.arange(2, n_rows + 2)


def decode_table(raw: bytes, label: str, encoding: str | None, *, error: type[Exception] = ValueError) -> str:
    """Text of a user's CSV: the named encoding, else UTF-8 (BOM or not), UTF-16/32 with a BOM, GB18030;
    ``error`` (one line naming ``label``, the line and the fix) when none reads."""
    if encoding:
        try:
            return raw.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise error(f"{label}: line {line_of(raw, exc.start)}: byte 0x{raw[exc.start]:02x} is not "
                               f"{encoding} (the file looks like {describe_bytes(raw)}); give the right "
                               "--encoding or save the file as UTF-8") from None
    if raw.startswith(UTF32_BOMS):  # first: the UTF-32-LE BOM (FF FE 00 00) starts like UTF-16-LE's
        candidates = ["utf-32"]
    elif raw.startswith(UTF16_BOMS):
        candidates = ["utf-16"]
    elif b"\x00" in raw[:65536]:
        raise error(f"{label}: the file contains NUL bytes: it is {describe_bytes(raw)}; save it as "
                           "UTF-8 CSV, or name its encoding with --encoding (e.g. --encoding utf-16-le)")
    else:
        candidates = ["utf-8-sig", "gb18030"]
    first_error = None
    for enc in candidates:
        try:
            return raw.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    pos = first_error.start if first_error else 0
    tried = ", ".join({"utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16", "utf-32": "UTF-32"}[c]
                      for c in candidates)
    raise error(f"{label}: line {line_of(raw, pos)}: cannot read the text as {tried} (byte "
                       f"0x{raw[pos]:02x}); name the file's encoding with --encoding (e.g. --encoding big5 "
                       "or --encoding latin-1) or save it as UTF-8")
