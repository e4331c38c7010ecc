"""Driving wrk and reading its answer: requests per second, latency percentiles, failures."""

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("bench.load")

WRK_DIR = Path(__file__).resolve().parent / "wrk"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Measure:
    """One wrk run. Latencies in milliseconds."""

    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50: float | None = None
    p99: float | None = None
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    command: str = ""

    @property
    def failures(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> Measure:
    measure = Measure()
    if match := re.search(r"(\d+) requests in ([\d.]+)(\w+),", output):
        measure.requests = int(match[1])
        measure.seconds = _milliseconds(match[2] + match[3]) / 1000
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        measure.rps = float(match[1])
    for percent, attribute in (("50", "p50"), ("99", "p99")):
        if match := re.search(rf"^\s+{percent}%\s+([\d.]+\w+)", output, re.MULTILINE):
            setattr(measure, attribute, _milliseconds(match[1]))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        measure.non_2xx_3xx = int(match[1])
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        measure.socket_errors = sum(int(n) for n in match.groups())
    if match := re.search(r"^STATUSES (.*)$", output, re.MULTILINE):
        measure.statuses = {code: int(n) for code, n in
                            (part.split("=") for part in match[1].split(",") if part)}
    return measure


def wrk(url: str, *, seconds: float, connections: int = 8, threads: int = 2,
        script: str | None = None, args=(), headers=()) -> Measure:
    """Run wrk against `url`; `script` names a file in bench/wrk/, `args` go to it."""
    command = [shutil.which("wrk") or "wrk", f"-t{min(threads, connections)}", f"-c{connections}",
               f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(WRK_DIR / script)]
    command.append(url)
    if args:
        command += ["--", *args]
    log.debug("%s", " ".join(command))
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    measure = parse(result.stdout)
    measure.command = " ".join(command[:-len(args) - 1] if args else command).replace(
        str(WRK_DIR.parent.parent) + "/", "")
    return measure
