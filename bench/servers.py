"""Starting and stopping what the benchmark measures: gunicorn (the app or the static ceiling)
and nginx (the static ceiling or the documented front), each in a process group of its own."""

import http.client
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("bench.servers")

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name, default=None):
        return next((v for k, v in self.headers if k.lower() == name.lower()), default)

    def cookies(self) -> dict[str, str]:
        """Set-Cookie values by name (the value only: attributes are not needed here)."""
        found = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                found[name.strip()] = rest.split(";", 1)[0]
        return found

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(port: int, path: str, *, method="GET", headers=None, body=None, timeout=30) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


class Server:
    """A server process; `with Server(...) as server:` starts it and waits until it answers."""

    def __init__(self, name, argv, *, port, env=None, log_dir: Path, ready_path="/"):
        self.name, self.argv, self.port, self.ready_path = name, argv, port, ready_path
        self.env = env or dict(os.environ)
        self.log_path = log_dir / f"{name}.log"
        self.process = None

    def __enter__(self):
        self.log_file = self.log_path.open("ab")
        log.info("starting %s on port %d", self.name, self.port)
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_ready()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}:\n{self.log_tail()}")
            try:
                if fetch(self.port, self.ready_path, timeout=5).status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # The group this process leads: gunicorn's or nginx's workers go with their master.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log_file.close()

    def worker_pids(self) -> list[int]:
        """The master's children (gunicorn or nginx workers)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found


def memory_of(pid: int) -> dict[str, float]:
    """RSS and PSS in MB. PSS splits the pages workers share with the preloaded master."""
    values = {}
    for path, names in ((f"/proc/{pid}/status", ("VmRSS",)), (f"/proc/{pid}/smaps_rollup", ("Pss",))):
        try:
            for line in Path(path).read_text().splitlines():
                key = line.split(":", 1)[0]
                if key in names:
                    values[key] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return {"rss": values.get("VmRSS", 0.0), "pss": values.get("Pss", 0.0)}


def gunicorn(name, *, port, env, log_dir, app=None, ready_path="/healthz") -> Server:
    """The site's production server configuration (archive_site/gunicorn.conf.py)."""
    argv = [str(Path(sys.executable).parent / "gunicorn"), "-c", "archive_site/gunicorn.conf.py"]
    if app:
        argv.append(app)
    return Server(name, argv, port=port, env={**env, "BIND": f"127.0.0.1:{port}"},
                  log_dir=log_dir, ready_path=ready_path)


def nginx(name, *, port, config_text, work: Path, ready_path="/") -> Server:
    (work / "nginx-tmp").mkdir(parents=True, exist_ok=True)
    config = work / f"{name}.conf"
    config.write_text(config_text)
    argv = [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(config), "-p", str(work)]
    return Server(name, argv, port=port, log_dir=work, ready_path=ready_path)
