"""scripts/run.sh (what `make run` runs) stops everything it started, whatever way it is stopped.

The real web server, worker and beat are replaced by stub programs in a fake virtualenv that record
their process ids and start a child each (like runserver's reloader and the worker's pool), so these
tests check only the process handling, in a few seconds, without Django or Celery.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "scripts" / "run.sh"

pytestmark = pytest.mark.skipif(shutil.which("setsid") is None, reason="needs setsid (util-linux)")

# Every stub writes "<role> <pid>" for itself and its child, then waits; on SIGTERM it stops its child
# and exits, unless STUB_STUBBORN names its role: then the child ignores SIGTERM.
STUB = textwrap.dedent("""\
    #!/usr/bin/env bash
    role="$1"
    case "$*" in
        *runserver*) role=web ;;
        *" worker "*) role=worker ;;
        *" beat "*) role=beat ;;
        *) echo "stub: $*"; exit 0 ;;
    esac
    if [ "$role" = "$STUB_STUBBORN" ]; then
        (trap '' TERM; exec sleep 300) &
    else
        sleep 300 &
    fi
    child=$!
    echo "$role $$" >> "$STUB_PIDS"
    echo "$role $child" >> "$STUB_PIDS"
    [ "$role" = "$STUB_CRASH" ] && { sleep 0.5; exit 3; }
    trap 'kill -TERM "$child" 2>/dev/null; exit 0' TERM
    wait
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it yet


def _all_gone(roles: dict[str, list[int]], timeout: float = 5) -> bool:
    """Every recorded process has exited. A child signalled just before run.sh returned may take a
    moment to die on a loaded machine (found when the suite ran beside other work), so wait briefly."""
    return _wait_for(lambda: not [pid for pids in roles.values() for pid in pids if _alive(pid)], timeout)


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _as_foreground_job() -> None:
    """In the child, before exec: the stop signals as a terminal's foreground job has them."""
    for sig in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


def _as_background_job_of_a_script() -> None:
    """In the child, before exec: what `make run &` in a script (no job control) gives run.sh."""
    for sig in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_IGN)


@pytest.fixture
def fake_site(tmp_path):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "celery"):
        stub = bin_dir / name
        stub.write_text(STUB)
        stub.chmod(0o755)
    pids = tmp_path / "pids"

    def start(ignore_sigint=False, **env):
        environ = {
            **os.environ, "VENV": str(tmp_path / "venv"), "VAR_DIR": str(tmp_path / "var"),
            "STUB_PIDS": str(pids), "STOP_TIMEOUT": "2", "STUB_STUBBORN": "", "STUB_CRASH": "", **env,
        }
        # A session of its own, as a terminal would give it, and the stop signals a terminal's foreground
        # job has. When pytest itself runs as a background job of a non-interactive shell (`make test &`,
        # nohup, CI), it starts with SIGINT and SIGQUIT ignored, every child inherits that, and bash
        # cannot trap a signal that was ignored at entry ("Signals ignored upon entry to the shell cannot
        # be trapped or reset"): so reset them here, before bash starts, and not in run.sh.
        # (Popen's restore_signals covers only SIGPIPE and SIGXFSZ.)
        proc = subprocess.Popen(
            ["bash", str(RUN)], cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
            preexec_fn=_as_background_job_of_a_script if ignore_sigint else _as_foreground_job,
        )
        assert _wait_for(lambda: pids.exists() and len(pids.read_text().splitlines()) >= 6, 15), "stubs did not start"
        return proc

    def started() -> dict[str, list[int]]:
        roles: dict[str, list[int]] = {}
        for line in pids.read_text().splitlines():
            role, pid = line.split()
            roles.setdefault(role, []).append(int(pid))
        return roles

    yield start, started
    # Never leave a stub behind, whatever the test did.
    if pids.exists():
        for line in pids.read_text().splitlines():
            try:
                os.kill(int(line.split()[1]), signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_stops_web_worker_and_beat_and_their_children(fake_site, sig, status):
    start, started = fake_site
    proc = start()
    roles = started()
    assert set(roles) == {"web", "worker", "beat"}

    proc.send_signal(sig)

    assert proc.wait(timeout=15) == status
    assert _all_gone(roles), [pid for pids in roles.values() for pid in pids if _alive(pid)]
    assert "[run] stopped" in proc.stdout.read()


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(fake_site):
    start, started = fake_site
    proc = start(STUB_STUBBORN="worker")
    roles = started()

    proc.send_signal(signal.SIGTERM)

    assert proc.wait(timeout=15) == 143
    assert _all_gone(roles), [pid for pids in roles.values() for pid in pids if _alive(pid)]
    assert "did not stop in time" in proc.stdout.read()


def test_when_one_process_dies_the_others_are_stopped(fake_site):
    start, started = fake_site
    proc = start(STUB_CRASH="beat")

    assert proc.wait(timeout=15) == 3
    roles = started()
    assert _all_gone(roles), [pid for pids in roles.values() for pid in pids if _alive(pid)]
    assert "a process exited (status 3)" in proc.stdout.read()


def test_the_demo_is_loaded_before_the_servers_start(fake_site):
    start, _ = fake_site
    proc = start()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    output = proc.stdout.read()

    steps = ["stub: manage.py migrate", "stub: manage.py collectstatic", "stub: manage.py loaddemo", "[run] web:"]
    positions = [output.index(step) for step in steps]
    assert positions == sorted(positions)


def test_started_with_sigint_ignored_it_says_so_and_sigterm_still_stops_everything(fake_site):
    """`make run &` from a script: SIGINT is ignored and cannot be trapped, so SIGTERM is the way to stop it."""
    start, started = fake_site
    proc = start(ignore_sigint=True)
    roles = started()

    proc.send_signal(signal.SIGINT)  # ignored, as the shell that started it in the background intended
    time.sleep(0.5)
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)

    assert proc.wait(timeout=15) == 143
    assert _all_gone(roles), [pid for pids in roles.values() for pid in pids if _alive(pid)]
    output = proc.stdout.read()
    assert "SIGINT is ignored" in output
    assert "[run] stopped" in output
