"""What the dashboard benchmarks share: the machine they ran on, a demo warehouse per scale (made
once into bench/out/, git-ignored), an account store with a signed-in leader, and a real
`streamlit run` of the dashboard or of the floor app on a free port."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LEADER, PASSWORD = "bench-lead", "bench-password-1234"
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)


def machine() -> dict:
    """Cores, CPU, memory, versions and load: printed beside every figure."""
    import duckdb
    import plotly
    import streamlit

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "streamlit": streamlit.__version__, "duckdb": duckdb.__version__,
            "plotly": plotly.__version__, "chromium": chromium_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def chromium_version() -> str:
    if not CHROMIUM:
        return "none"
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def machine_line(m: dict) -> str:
    return (f"{m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM; Python {m['python']}, "
            f"streamlit {m['streamlit']}, duckdb {m['duckdb']}, plotly {m['plotly']}, {m['chromium']}; "
            f"load average {m['load_average']}")


def demo_warehouse(scale: float = 1.0) -> Path:
    """The demo campaign at `scale`, written and loaded (as `make run` loads it) once into bench/out/."""
    folder = OUT / f"demo-s{scale:g}"
    db = folder / "warehouse.duckdb"
    if (folder / "loaded").exists():
        return db
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    py = sys.executable
    subprocess.run([py, "-m", "etl", "demo", "--out", str(folder / "files"), "--scale", f"{scale:g}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run([py, "-m", "etl", "load", str(folder / "files"), "--db", str(db), "--quiet",
                           "--received-at-mtime"], cwd=ROOT, stdout=subprocess.DEVNULL, check=False,
                          env=env_for(folder))
    if done.returncode not in (0, 1):  # 1: the demo plants rows to refuse
        raise SystemExit(f"loading the demo at scale {scale} failed ({done.returncode})")
    (folder / "loaded").touch()
    return db


def env_for(folder: Path, db: Path | None = None) -> dict:
    """The environment a server or loader of this benchmark runs in: its own secret and accounts."""
    env = os.environ | {"JSZG_SECRET_FILE": str(folder / "secret.key"),
                        "JSZG_ACCOUNTS_DB": str(folder / "accounts.sqlite")}
    if db is not None:
        env["JSZG_WAREHOUSE"] = str(db)
    return env


def leader_tokens(folder: Path, n: int = 1) -> list[str]:
    """`n` fresh session tokens (one per tab, as n people signing in would have) for the benchmark's
    provincial leader, in the account store in `folder` (the account is made once)."""
    from access.identity import add_user, login
    from access.store import Store

    store = Store(folder / "accounts.sqlite")
    if store.user(LEADER) is None:
        add_user(store, LEADER, "leader", None, PASSWORD)
    tokens = [login(store, LEADER, PASSWORD, "127.0.0.1").token for _ in range(n)]
    if not all(tokens):
        raise SystemExit("the benchmark's leader could not sign in")
    return tokens


def leader_token(folder: Path) -> str:
    return leader_tokens(folder)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: str, env: dict, log: Path, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, int]]:
    """`streamlit run script` on a free port (headless, the project's .streamlit config, then `extra`
    options): (url, pid) until the block ends."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true", *extra],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if time.time() > deadline or proc.poll() is not None:
                        raise SystemExit(f"{script} did not start; see {log}") from None
                    time.sleep(0.3)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def server(script: str, env: dict, log: Path) -> Iterator[str]:
    """serve(), when only the address is wanted."""
    with serve(script, env, log) as (url, _):
        yield url


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


def table_lines(header: list[str], rows: list[list]) -> list[str]:
    """A plain text table (and the same rows are Markdown in RESULTS.md)."""
    cells = [[str(c) for c in header], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = [" | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells[1:]]
    return out


def report(result: dict, lines, json_path) -> None:
    """A benchmark's ending: the machine, its table, and its figures as JSON if asked."""
    import json

    print(machine_line(result["machine"]))
    print("\n".join(lines(result)))
    if json_path:
        Path(json_path).write_text(json.dumps(result, ensure_ascii=False, indent=1))
