"""The secret behind the keyed hash of ID numbers.

Kept outside the repository and the warehouse — by default in
~/.config/jszg-dashboard/id-hash.key, or where JSZG_SECRET_FILE points — and
created (random, readable by its owner only) on first use. Without it a hash
cannot be turned back into an ID number, nor matched against a guessed one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import cache
from pathlib import Path

import pyarrow as pa

KEY_BYTES = 32
BLOCK = 64  # SHA-256 block size, for HMAC's inner and outer pads


def secret_path() -> Path:
    configured = os.environ.get("JSZG_SECRET_FILE")
    return Path(configured) if configured else Path.home() / ".config" / "jszg-dashboard" / "id-hash.key"


@cache
def load_secret(path: Path | None = None) -> bytes:
    path = path or secret_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(KEY_BYTES))
    key = path.read_bytes()
    if len(key) < 16:
        raise RuntimeError(f"身份证号加密密钥文件 {path} 内容过短，请检查（至少 16 字节）")
    return key


def hmac_pads(key: bytes | None = None) -> tuple[bytes, bytes]:
    """(inner, outer) pads of HMAC-SHA256, so the hash can be computed inside DuckDB:
    sha256(outer || sha256(inner || message)) — the same value as hmac.new(key, message, sha256)."""
    key = key if key is not None else load_secret()
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def keyed_hashes(ids: pa.Array, key: bytes | None = None) -> pa.Array:
    """HMAC-SHA256 (hex) of every ID number in the column, blank stays blank. Computed by an
    in-memory DuckDB of its own, which releases the GIL: the loader runs it in a second thread
    while it goes on checking the other columns. It may use every core: the checks take less time
    than the hashes, and once they are done the hashes are all that is left to wait for."""
    import duckdb  # here: the loader has it imported anyway; keeps this module light for the dashboard

    inner, outer = hmac_pads(key)
    con = duckdb.connect()
    try:
        con.register("ids", pa.table({"id": ids}))
        return con.sql("select sha256($2 || unhex(sha256($1 || encode(id)))) as h from ids",
                       params=[inner, outer]).to_arrow_table().column("h").combine_chunks()
    finally:
        con.close()
