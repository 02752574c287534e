"""The load run (docs/scale-out.md, scripts/loadrun.sh): several personas sign in through the real
login form and read the dashboard, the meeting list (its pages) and the meetings they may see.

    .venv-load/bin/locust -f deploy/load/locustfile.py --host http://127.0.0.1:8000 --headless -u 20 -r 5 -t 60s

Each simulated person comes from an address of its own (X-Forwarded-For, as nginx would add it; the
site runs with AUDIT_TRUSTED_PROXY_COUNT=1), so the per-address login limit and the lockout count
each person, not the load generator. Any answer other than the expected one is an error: a redirect
to the login or password page, a 403 or 404, a 5xx.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task

PERSONAS = os.environ.get("LOAD_PERSONAS", "zhouwei,wangjianguo,heyong,xuwen,fengxue,zhaomin,linfang,chenlixin").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-pass-2026")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEETING_LINK = re.compile(r'href="/meetings/(\d+)/"')
PAGE_LINK = re.compile(r'href="\?(?:[^"]*&amp;)?page=(\d+)')
_numbers = itertools.count(1)


class Person(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        n = next(_numbers)
        self.username = PERSONAS[(n - 1) % len(PERSONAS)]
        self.client.headers["X-Forwarded-For"] = f"127.0.{n // 250}.{n % 250 + 1}"
        self.client.headers["Accept-Language"] = "zh-CN"
        self.meetings: list[str] = []
        self.pages = 1
        self.log_in()

    def log_in(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="login",
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token, "next": "/"},
                              headers={"Referer": f"{self.host}/accounts/login/"},
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302 or answer.headers.get("Location") != "/":
                answer.failure(f"{self.username}: login answered {answer.status_code} {answer.headers.get('Location')}")
        self.list_meetings()

    def _page(self, path: str, name: str):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{self.username}: {path} answered {answer.status_code} {answer.headers.get('Location', '')}")
            return answer

    @task(3)
    def dashboard(self):
        self._page("/", "dashboard /")

    @task(3)
    def list_meetings(self):
        page = random.randint(1, self.pages)
        answer = self._page("/meetings/" if page == 1 else f"/meetings/?page={page}", "meeting list /meetings/")
        if answer.status_code == 200:
            self.pages = max([self.pages, *map(int, PAGE_LINK.findall(answer.text))])
            found = MEETING_LINK.findall(answer.text)
            self.meetings = sorted(set(self.meetings) | set(found))[-200:]

    @task(4)
    def meeting_detail(self):
        if self.meetings:
            self._page(f"/meetings/{random.choice(self.meetings)}/", "meeting detail /meetings/<id>/")


@events.test_stop.add_listener
def _summary(environment, **_kwargs):
    total = environment.stats.total
    print(f"LOAD SUMMARY requests={total.num_requests} failures={total.num_failures} "
          f"rps={total.total_rps:.1f} p50={total.get_response_time_percentile(0.5):.0f}ms "
          f"p95={total.get_response_time_percentile(0.95):.0f}ms p99={total.get_response_time_percentile(0.99):.0f}ms")
