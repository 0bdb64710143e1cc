"""Load for one endpoint of one project, driven by bench/run.py through locust.

Every setting comes from the environment (BENCH_*). Each of the users sends
requests back to back. Only the requests that finish inside the measured window
(after the warm-up) are recorded, with locust's own timing, and written as JSON
to BENCH_OUTPUT when locust quits, with the count of all successful requests.
"""

import json
import os
import time
import uuid
from http.cookiejar import DefaultCookiePolicy

from locust import FastHttpUser, constant, events, task

PREFIX = "/api/v1/accounts/"
SCENARIO = os.environ["BENCH_SCENARIO"]
FLAVOUR = os.environ["BENCH_FLAVOUR"]
LOGIN = os.environ["BENCH_LOGIN"]
PASSWORD = os.environ["BENCH_PASSWORD"]
TOKEN = os.environ.get("BENCH_TOKEN", "")
OUTPUT = os.environ["BENCH_OUTPUT"]
WARMUP = float(os.environ["BENCH_WARMUP"])
SECONDS = float(os.environ["BENCH_SECONDS"])

window = [float("inf"), float("-inf")]
samples = []
total = [0]
failures = {}


@events.test_start.add_listener
def start_window(**_kwargs):
    now = time.monotonic()
    window[:] = [now + WARMUP, now + WARMUP + SECONDS]


@events.request.add_listener
def record(response_time, exception, response=None, **_kwargs):
    if exception is None:
        total[0] += 1
    if not window[0] <= time.monotonic() < window[1]:
        return
    if exception is None:
        samples.append(response_time)
    else:
        status = getattr(response, "status_code", None)
        key = f"{status} {str(exception)[:80]}"
        failures[key] = failures.get(key, 0) + 1


@events.quitting.add_listener
def write_samples(**_kwargs):
    with open(OUTPUT, "w") as out:
        json.dump(
            {
                "seconds": SECONDS,
                "samples": samples,
                "total": total[0],
                "failures": failures,
            },
            out,
        )


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        # Every request stands alone: no session cookie carried between them.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    @task
    def request(self):
        if SCENARIO == "profile":
            self.client.get(
                PREFIX + "profile/", headers={"Authorization": f"Token {TOKEN}"}
            )
        elif SCENARIO == "login":
            self.client.post(
                PREFIX + "login/", json={"login": LOGIN, "password": PASSWORD}
            )
        elif SCENARIO == "register":
            unique = uuid.uuid4().hex
            body = {
                "email": f"new-{unique}@example.com",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            }
            if FLAVOUR == "baseline":
                body["username"] = f"new-{unique}"
            self.client.post(PREFIX + "register/", json=body)
        elif SCENARIO == "reset":
            self.client.post(
                PREFIX + "send-reset-password-link/", json={"login": LOGIN}
            )
        else:
            raise ValueError(f"unknown scenario {SCENARIO!r}")
