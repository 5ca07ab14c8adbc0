"""`make run`: the web server, a Celery worker and beat as one foreground process. Ctrl-C or
SIGTERM stops all three and whatever they started (the reloader's child, the worker's pool);
when one of them ends on its own, the others are stopped too."""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

# Seconds the processes have to stop after SIGTERM before they are killed: inside the ten
# seconds a person waits for Ctrl-C to return (a Celery worker on the filesystem broker takes
# three to six of them to shut down warm).
GRACE_SECONDS = 7.0
POLL_SECONDS = 0.2


def commands(*, host: str, port: int) -> list[list[str]]:
    """Web, worker and beat, with the Python and Celery of the environment this runs in."""
    python = sys.executable
    celery = str(Path(python).with_name("celery"))
    return [
        [python, "manage.py", "runserver", f"{host}:{port}"],
        [celery, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"],
        [celery, "-A", "config", "beat", "--loglevel=INFO"],
    ]


def _name(process: subprocess.Popen[bytes]) -> str:
    args = process.args
    return " ".join(map(str, args)) if isinstance(args, list) else str(args)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process and everything it started (each runs in its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop(processes: Sequence[subprocess.Popen[bytes]], *, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to each process (it stops what it started: the worker its pool, runserver its
    reloaded child), then SIGKILL to whatever is left of its group when the grace has passed."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{_name(process)} did not stop within {grace:.0f} s; killing it.")
    # A group can outlive its leader (a pool child, the reloader's server): end those too.
    for process in processes:
        _signal_group(process, signal.SIGKILL)
        process.wait()


def supervise(
    argv_list: Sequence[Sequence[str]],
    *,
    env: dict[str, str] | None = None,
    grace: float = GRACE_SECONDS,
) -> int:
    """Run the commands until a signal or until one ends; return the exit status."""
    stopping: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    processes = [
        # The commands are this module's own (or a test's), never outside input.
        subprocess.Popen(list(argv), env=env, start_new_session=True)  # noqa: S603
        for argv in argv_list
    ]
    status = 0
    try:
        while not stopping:
            ended = [process for process in processes if process.poll() is not None]
            if ended:
                status = ended[0].returncode or 1
                print(f"{_name(ended[0])} ended ({ended[0].returncode}); stopping the rest.")
                break
            time.sleep(POLL_SECONDS)
    finally:
        stop(processes, grace=grace)
    return status


def environment(*, host: str, port: int, base: dict[str, str]) -> dict[str, str]:
    """The processes' environment: links in e-mails, feeds and enclosures name the address
    this serves on, unless SITE_URL names another (a proxy in front)."""
    env = dict(base)
    if not env.get("SITE_URL"):
        env["SITE_URL"] = f"http://{host}:{port}"
    return env


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    env = environment(host=args.host, port=args.port, base=dict(os.environ))
    return supervise(commands(host=args.host, port=args.port), env=env)


if __name__ == "__main__":
    sys.exit(main())
