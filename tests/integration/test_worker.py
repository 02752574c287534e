"""R-CA-2 with the real parts: a Celery worker and beat on the local Redis against PostgreSQL.

Overdue minutes produce exactly one escalation per person; running the sweep again, or twice at
once, still gives one; a worker killed in the middle of a sweep and started again ends with every
due alert sent exactly once. A dead broker does not stop the pages, and what could not be queued
is delivered once the broker is back. Skipped (with the reason) without PostgreSQL and Redis.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from governance.models import Alert, Meeting, MeetingType, Notification
from governance.services import agenda, scheduling
from governance.services.scheduling import schedule_meeting

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
REDIS_TEST_DB = "redis://127.0.0.1:6379/14"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _need_services():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (the worker must share the test database)")
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_DB, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"needs Redis on 127.0.0.1:6379 ({error})")


def _env(**extra) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_TEST_DB, "PYTHONUNBUFFERED": "1",
           "DJANGO_SETTINGS_MODULE": "meetings_site.settings"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Proc:
    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.log = log_dir / f"{name}.log"
        self.handle = self.log.open("w")
        self.p = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
                                  start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return
            if self.p.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{self.log.name}: no {needle!r} in time:\n{self.text()[-3000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.p.poll() is None:
            os.killpg(self.p.pid, sig)
            self.p.wait(timeout=30)
        self.handle.close()


@pytest.fixture
def redis_queue():
    _need_services()
    import redis

    client = redis.Redis.from_url(REDIS_TEST_DB)
    client.flushdb()
    yield client
    client.flushdb()


def _worker(tmp_path, name="worker", **extra) -> Proc:
    w = Proc(name, [CELERY, "-A", "meetings_site", "worker", "-l", "info", "--concurrency", "2", "-n", f"{name}@%h",
                    "--without-gossip", "--without-mingle"], _env(VAR_DIR=tmp_path, **extra), tmp_path)
    w.wait_for("ready")
    return w


def _call(task: str) -> None:
    subprocess.run([CELERY, "-A", "meetings_site", "call", task], cwd=ROOT, env=_env(), check=True,
                   capture_output=True, timeout=60)


def _overdue_minutes(presets, count: int = 1) -> list[Meeting]:
    """Closed division meetings whose minutes were due weeks ago (moved into the past as setup)."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    meetings = []
    for i in range(count):
        m = schedule_meeting(
            actor=presets.head, meeting_type=da, unit=presets.trade,
            starts_at=timezone.localtime() + datetime.timedelta(days=1 + i), place="会议室")
        when = timezone.now() - datetime.timedelta(days=21 + i)
        Meeting.objects.filter(pk=m.pk).update(status="closed", starts_at=when, held_at=when)
        meetings.append(m)
    return meetings


def _wait_until(predicate, timeout: float = 60, what: str = "condition") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _escalations() -> list[tuple[str, str]]:
    return sorted(Alert.objects.filter(kind="escalation").values_list("subject", "recipient__username"))


def test_r_ca_2_overdue_minutes_escalate_exactly_once_through_a_real_worker(presets, redis_queue, tmp_path):
    """R-CA-2."""
    meeting, = _overdue_minutes(presets)
    worker = _worker(tmp_path)
    try:
        _call("governance.tasks.run_sweep")
        _wait_until(lambda: Alert.objects.filter(sent_at__isnull=False).count() >= 2, what="escalations sent")
        expected = [(f"minutes:{meeting.pk}", "head"), (f"minutes:{meeting.pk}", "supervisor")]
        assert _escalations() == expected
        # Again, and twice at once: still one each.
        _call("governance.tasks.run_sweep")
        _call("governance.tasks.run_sweep")
        _call("governance.tasks.run_sweep")
        worker.wait_for("succeeded", timeout=30)
        time.sleep(3)
        assert _escalations() == expected
        assert Notification.objects.filter(kind="alert_escalation").count() == 2
    finally:
        worker.kill(signal.SIGTERM)


def test_r_ca_2_worker_killed_mid_sweep_then_restarted_sends_each_alert_once(presets, redis_queue, tmp_path):
    """R-CA-2."""
    _overdue_minutes(presets, count=3)  # 3 meetings x (recorder + supervisor) = 6 alerts
    slow = _worker(tmp_path, name="slow", SWEEP_DISPATCH_PAUSE=1.5)
    try:
        _call("governance.tasks.run_sweep")
        _wait_until(lambda: Alert.objects.count() == 6, what="alerts recorded")
        time.sleep(1.0)  # inside the first dispatch transaction
    finally:
        slow.kill(signal.SIGKILL)
    assert Alert.objects.count() == 6
    sent_before = Alert.objects.filter(sent_at__isnull=False).count()
    assert sent_before < 6, "the worker was killed too late to prove anything"
    worker = _worker(tmp_path, name="restarted")
    try:
        _call("governance.tasks.run_sweep")
        _wait_until(lambda: not Alert.objects.filter(sent_at__isnull=True).exists(), what="every alert sent")
        time.sleep(2)
        assert Alert.objects.count() == 6
        assert Notification.objects.filter(kind="alert_escalation").count() == 6
    finally:
        worker.kill(signal.SIGTERM)


def test_r_ca_1_beat_schedules_the_sweep_and_the_worker_runs_it(presets, redis_queue, tmp_path):
    """R-CA-1."""
    meeting, = _overdue_minutes(presets)
    from governance.tasks import ensure_periodic_tasks

    os.environ["SWEEP_INTERVAL_SECONDS"] = "2"
    try:
        from django.test import override_settings

        with override_settings(SWEEP_INTERVAL_SECONDS=2):
            ensure_periodic_tasks()
    finally:
        os.environ.pop("SWEEP_INTERVAL_SECONDS", None)
    worker = _worker(tmp_path)
    beat = Proc("beat", [CELERY, "-A", "meetings_site", "beat", "-l", "info", "--pidfile", str(tmp_path / "beat.pid")],
                _env(VAR_DIR=tmp_path), tmp_path)
    try:
        _wait_until(lambda: Alert.objects.filter(subject=f"minutes:{meeting.pk}", sent_at__isnull=False).count() == 2,
                    timeout=90, what="beat-driven escalations")
        beat.wait_for("Sending due task", timeout=10)
    finally:
        beat.kill(signal.SIGTERM)
        worker.kill(signal.SIGTERM)
    assert _escalations() == [(f"minutes:{meeting.pk}", "head"), (f"minutes:{meeting.pk}", "supervisor")]


def test_pages_answer_with_the_broker_down_and_mail_goes_once_it_is_back(presets, client, settings, tmp_path):
    """The app points at a dead port: the page that notifies still answers quickly; the e-mail is
    delivered by the next sweep once the broker is back."""
    _need_services()
    from django.core import mail

    from meetings_site.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    presets.secretary.email = "shuji@example.com"
    presets.secretary.save()
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")

    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, place="会议室",
                                   starts_at=timezone.localtime() + datetime.timedelta(days=5))
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.first(), title="议题")
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.pool.force_close_all()
    try:
        client.force_login(presets.clerk)
        started = time.monotonic()
        response = client.post(f"/meetings/{meeting.pk}/do/submit/")
        elapsed = time.monotonic() - started
        assert response.status_code == 302 and elapsed < 15, elapsed
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
        assert Notification.objects.filter(recipient=presets.secretary, kind="agenda_submitted").exists()
        assert not [m for m in mail.outbox if m.to == ["shuji@example.com"]]
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, broker
        app.pool.force_close_all()
    # The broker is back: the next sweep hands what never went out to the channels, once.
    from governance.services.common import redeliver_pending

    redeliver_pending(older_than=datetime.timedelta(0))
    redeliver_pending(older_than=datetime.timedelta(0))
    assert len([m for m in mail.outbox if m.to == ["shuji@example.com"]]) == 1
