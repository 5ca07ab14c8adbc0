"""`make run`'s supervisor (config/run.py): SIGTERM or Ctrl-C stops every process it started
and everything they started, within ten seconds; links follow the address it serves on."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from config import run

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent's wait is missing.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(")")[-1].split()[0] != "Z"


def _supervisor(tmp_path: Path, grace: float = 2.0) -> tuple[subprocess.Popen[bytes], Path]:
    """The supervisor over three stand-ins: a plain sleeper, one that starts a grandchild (as
    runserver's reloader and the worker's pool do) and one that ignores SIGTERM (a hung beat).
    Each writes its pids to a file."""
    pids = tmp_path / "pids"
    pids.mkdir()
    child = textwrap.dedent(
        """
        import os, signal, subprocess, sys, time
        name = sys.argv[1]
        if name == "stubborn":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if name == "parent":
            grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            open(os.path.join(sys.argv[2], "grandchild"), "w").write(str(grandchild.pid))
        open(os.path.join(sys.argv[2], name), "w").write(str(os.getpid()))
        time.sleep(60)
        """
    )
    script = tmp_path / "child.py"
    script.write_text(child)
    driver = textwrap.dedent(
        f"""
        import sys
        from config import run
        names = ["plain", "parent", "stubborn"]
        argv = [[sys.executable, {str(script)!r}, name, {str(pids)!r}] for name in names]
        sys.exit(run.supervise(argv, grace={grace}))
        """
    )
    process = subprocess.Popen([sys.executable, "-c", driver], cwd=ROOT)
    deadline = time.monotonic() + 30
    while len(list(pids.iterdir())) < 4:
        assert time.monotonic() < deadline, "the stand-ins did not start"
        time.sleep(0.05)
    return process, pids


def _pids(folder: Path) -> list[int]:
    return [int(path.read_text()) for path in folder.iterdir()]


def test_sigterm_stops_every_process_and_what_they_started_within_ten_seconds(tmp_path):
    supervisor, folder = _supervisor(tmp_path)
    started = time.monotonic()
    supervisor.send_signal(signal.SIGTERM)
    supervisor.wait(timeout=10)
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    assert [pid for pid in _pids(folder) if _alive(pid)] == []


def test_ctrl_c_stops_them_too(tmp_path):
    supervisor, folder = _supervisor(tmp_path)
    supervisor.send_signal(signal.SIGINT)
    supervisor.wait(timeout=10)
    time.sleep(0.2)
    assert [pid for pid in _pids(folder) if _alive(pid)] == []


def test_when_one_process_ends_the_others_are_stopped_and_the_status_says_so(tmp_path):
    supervisor, folder = _supervisor(tmp_path)
    os.kill(int((folder / "plain").read_text()), signal.SIGKILL)
    assert supervisor.wait(timeout=10) != 0
    time.sleep(0.2)
    assert [pid for pid in _pids(folder) if _alive(pid)] == []


def test_links_follow_the_address_it_serves_on():
    env = run.environment(host="127.0.0.1", port=8201, base={"PATH": "/usr/bin"})
    assert env["SITE_URL"] == "http://127.0.0.1:8201"
    proxied = run.environment(
        host="127.0.0.1", port=8201, base={"SITE_URL": "https://sociala-medier.orebro.se"}
    )
    assert proxied["SITE_URL"] == "https://sociala-medier.orebro.se"


def test_the_commands_are_web_worker_and_beat_on_the_given_address():
    web, worker, beat = run.commands(host="127.0.0.1", port=8201)
    assert web[-2:] == ["runserver", "127.0.0.1:8201"]
    assert worker[1:4] == ["-A", "config", "worker"]
    assert beat[1:4] == ["-A", "config", "beat"]
    assert Path(worker[0]).exists()


def test_the_embedded_broker_connects_without_a_warning_and_prints_are_information(caplog):
    import logging

    from django.conf import settings

    from config.celery_app import app

    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("CI names Redis; the embedded default is what `make run` uses")
    caplog.set_level(logging.WARNING, logger="kombu")
    with app.connection_for_write() as connection:
        connection.info()
    assert "No hostname was supplied" not in caplog.text
    # The console e-mail backend prints in the worker: that is information, not a warning.
    assert app.conf.worker_redirect_stdouts_level == "INFO"
