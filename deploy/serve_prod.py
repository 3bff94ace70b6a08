"""`make serve-prod`: several dashboard processes behind nginx, one command, nothing left behind.

Starts PROCS `streamlit run dashboard.py` processes on 127.0.0.1 (ports from --first-port up), all
reading the same published warehouse (JSZG_WAREHOUSE, or data/warehouse.duckdb), writes nginx's
configuration from deploy/nginx/*.conf.in into the run directory, runs nginx there as the current
user, waits until every process answers /_stcore/health directly and through nginx, and prints
the address. Ctrl-C or SIGTERM stops nginx, then every process; a process that dies is started
again (a few times), and nothing outlives this one, even when it is killed (PR_SET_PDEATHSIG).

`--print-site` prints the nginx site for a server's own nginx (/etc/nginx/conf.d/) instead: with
deploy/systemd/ the processes are systemd's. See docs/SCALING.md.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "nginx"
DEBIAN_NGINX = "/usr/sbin/nginx"  # not on a normal user's PATH
START_SECONDS = 180  # a process imports plotly, duckdb and pandas; several at once on two cores
STOP_SECONDS = 15
RESTARTS, RESTART_WINDOW = 3, 300  # a process may die this often within this many seconds


class StartFailed(RuntimeError):
    """Something did not come up; the message says what and where its log is."""


class Stopping(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived."""


def find_nginx() -> str:
    found = shutil.which("nginx") or (DEBIAN_NGINX if os.access(DEBIAN_NGINX, os.X_OK) else None)
    if found is None:
        raise StartFailed("nginx is not installed: sudo apt-get install nginx (see README)")
    return found


def render(template: str, **values: str) -> str:
    """The template with each {{name}} replaced (a name without a value is an error)."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def max_upload_mb() -> int:
    """Streamlit's server.maxUploadSize as the processes will see it (.streamlit/config.toml, env)."""
    from streamlit import config

    return int(config.get_option("server.maxUploadSize"))


def site_conf(ports: list[int], listen: str, access_log: str) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in ports)
    return render((TEMPLATES / "site.conf.in").read_text(encoding="utf-8"), servers=servers, listen=listen,
                  access_log=access_log, max_body=f"{max_upload_mb() + 1}m")


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: get SIGTERM when the supervisor goes, however it goes."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it went before the line above
        os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    log: Path
    url: str | None = None  # where /_stcore/health answers
    proc: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        parent = os.getpid()
        with open(self.log, "ab") as log:
            log.write(f"--- {time.strftime('%F %T')} starting: {' '.join(self.argv)}\n".encode())
            log.flush()
            # A session of its own: Ctrl-C reaches the supervisor only, which stops children in order.
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=lambda: _die_with_parent(parent))

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(f"    {line}" for line in text[-lines:])

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.running():
            self.proc.send_signal(sig)

    def wait(self, deadline: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class Plan:
    procs: int
    port: int
    first_port: int
    listen: str  # nginx's address; "" is every address
    run_dir: Path

    @property
    def ports(self) -> list[int]:
        return [self.first_port + i for i in range(self.procs)]

    @property
    def nginx_listen(self) -> str:
        return f"{self.listen}:{self.port}" if self.listen else str(self.port)

    @property
    def url(self) -> str:
        return f"http://{self.listen or 'localhost'}:{self.port}"


def backend(port: int, logs: Path) -> Child:
    argv = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true",
            # production: code changes take a restart, and no process spends a core watching files
            "--server.fileWatcherType", "none"]
    return Child(f"streamlit :{port}", argv, logs / f"streamlit-{port}.log", f"http://127.0.0.1:{port}")


def prepare(plan: Plan, nginx: str) -> Child:
    """The run directory (ignored by git), nginx's configuration in it, checked by nginx -t."""
    busy = [p for p in plan.ports if not port_is_free("127.0.0.1", p)]
    if not port_is_free(plan.listen or "0.0.0.0", plan.port):
        busy.insert(0, plan.port)
    if busy:
        raise StartFailed(f"port(s) {', '.join(map(str, busy))} already in use: choose others "
                          "(make serve-prod PORT=… FIRST_PORT=…)")
    run, logs = plan.run_dir, plan.run_dir / "logs"
    for folder in (logs, *(run / "tmp" / t for t in ("body", "proxy", "fastcgi", "uwsgi", "scgi"))):
        folder.mkdir(parents=True, exist_ok=True)
    (run / ".gitignore").write_text("*\n")
    (run / "jszg-dashboard.conf").write_text(site_conf(plan.ports, plan.nginx_listen,
                                                       f'"{logs}/nginx-access.log"'), encoding="utf-8")
    conf = run / "nginx.conf"
    conf.write_text(render((TEMPLATES / "run-dir.conf.in").read_text(encoding="utf-8"), run_dir=str(run)),
                    encoding="utf-8")
    argv = [nginx, "-p", str(run), "-c", str(conf), "-e", str(logs / "nginx-error.log")]
    check = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise StartFailed(f"nginx refuses {conf}:\n{check.stderr.strip()}")
    return Child("nginx", [*argv, "-g", "daemon off;"], logs / "nginx-error.log",
                 plan.url.replace("localhost", "127.0.0.1"))


def wait_healthy(children: list[Child]) -> None:
    deadline = time.monotonic() + START_SECONDS
    waiting = list(children)
    while waiting:
        for child in list(waiting):
            if not child.running():
                raise StartFailed(f"{child.name} exited with code {child.proc.returncode} while starting; "
                                  f"the end of {child.log}:\n{child.tail()}")
            if healthy(child.url):
                waiting.remove(child)
        if waiting and time.monotonic() > deadline:
            raise StartFailed(f"{', '.join(c.name for c in waiting)} did not answer within {START_SECONDS} s; "
                              f"see {waiting[0].log}")
        time.sleep(0.3)


def raise_on_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP raise Stopping, once (stop_all ignores them afterwards)."""
    raised = False

    def handler(signum, frame):
        nonlocal raised
        if not raised:
            raised = True
            raise Stopping(signal.Signals(signum).name)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def supervise(backends: list[Child], nginx: Child) -> None:
    """Until a signal: a process that dies is started again (nginx sends its browsers to the
    others meanwhile, and they stay signed in); one dying too often, or nginx dying, ends it all."""
    while True:
        time.sleep(1)
        if not nginx.running():
            raise StartFailed(f"nginx exited with code {nginx.proc.returncode}; "
                              f"the end of {nginx.log}:\n{nginx.tail()}")
        for child in backends:
            if child.running():
                continue
            now = time.monotonic()
            child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW] + [now]
            if len(child.restarts) > RESTARTS:
                raise StartFailed(f"{child.name} died {len(child.restarts)} times within {RESTART_WINDOW} s; "
                                  f"the end of {child.log}:\n{child.tail()}")
            print(f"{child.name} exited with code {child.proc.returncode}; starting it again", flush=True)
            child.start()


def stop_all(nginx: Child | None, backends: list[Child]) -> None:
    """nginx first (no new requests), then every process; SIGKILL after STOP_SECONDS. Another
    Ctrl-C meanwhile changes nothing."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    if nginx is not None:
        nginx.stop()
        nginx.wait(time.monotonic() + STOP_SECONDS)
    for child in backends:
        child.stop()
    deadline = time.monotonic() + STOP_SECONDS
    for child in backends:
        child.wait(deadline)


def serve(plan: Plan) -> int:
    nginx_path = find_nginx()
    backends: list[Child] = []
    nginx: Child | None = None
    raise_on_signals()
    try:
        nginx = prepare(plan, nginx_path)
        backends = [backend(p, plan.run_dir / "logs") for p in plan.ports]
        print(f"Starting {plan.procs} dashboard processes on 127.0.0.1:{plan.ports[0]}-{plan.ports[-1]} "
              f"(warehouse: {os.environ.get('JSZG_WAREHOUSE', 'data/warehouse.duckdb')}) ...", flush=True)
        for child in backends:
            child.start()
        wait_healthy(backends)
        nginx.start()
        wait_healthy([nginx])
        print(f"The dashboard is served at {plan.url} by {plan.procs} processes behind nginx "
              f"(logs in {plan.run_dir / 'logs'}). Ctrl-C stops everything.", flush=True)
        supervise(backends, nginx)
    except Stopping as why:
        print(f"{why}: stopping nginx and {len(backends)} dashboard processes ...", flush=True)
        return 0
    except StartFailed as failure:
        print(f"serve-prod: {failure}", file=sys.stderr, flush=True)
        return 1
    finally:
        stop_all(nginx, backends)
        print("Stopped.", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procs", type=int, default=2,
                        help="dashboard processes (about one per core)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port")
    parser.add_argument("--first-port", type=int, default=8601, help="the first process's port on 127.0.0.1")
    parser.add_argument("--listen", default="", help="nginx's address (default: every address)")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "data" / "prod",
                        help="configuration, logs, pid and temporary files")
    parser.add_argument("--print-site", action="store_true",
                        help="print the nginx site for /etc/nginx/conf.d/ and exit (processes run by systemd)")
    args = parser.parse_args(argv)
    if args.procs < 1:
        parser.error("--procs must be at least 1")
    plan = Plan(args.procs, args.port, args.first_port, args.listen, args.run_dir.resolve())
    os.chdir(ROOT)  # Streamlit's configuration is .streamlit/config.toml of the working directory
    if args.print_site:
        print(site_conf(plan.ports, plan.nginx_listen, "/var/log/nginx/jszg-dashboard.access.log"), end="")
        return 0
    return serve(plan)


if __name__ == "__main__":
    sys.exit(main())
