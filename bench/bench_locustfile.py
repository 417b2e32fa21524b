"""Locust users for make bench: logged-in viewers of different roles opening pages.

Runs inside Locust's own virtualenv (`make locust`), so it imports nothing of the project: the
bench writes a plan (JSON, path in $BENCH_PLAN) with the demo accounts, each role's callback
requests (a page render as the Dash pages router sends it) and the floor callback. Each
simulated user logs in as the next account (so the roles take turns), then opens a random
page of its role (three times in four) or calls the floor, with a pause like a reader's. The
run stops at Locust's --run-time or after the plan's max_requests, whichever comes first.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
ACCOUNTS = itertools.cycle(PLAN["accounts"])
SENT = itertools.count(1)


@events.request.add_listener
def _bounded(**_kwargs):
    if next(SENT) >= PLAN["max_requests"]:
        runner = _bounded.environment.runner
        if runner is not None:
            runner.quit()


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    _bounded.environment = environment


class Viewer(HttpUser):
    wait_time = between(*PLAN["wait_s"])

    def on_start(self):
        account = next(ACCOUNTS)
        form = self.client.get("/inloggen", name="inlogpagina").text  # its CSRF token
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = self.client.post("/inloggen", name="inloggen", allow_redirects=False,
                                    data={"gebruiker": account["gebruiker"],
                                          "wachtwoord": account["wachtwoord"],
                                          "csrf_token": token})
        if response.status_code != 302:
            raise RuntimeError(f"inloggen {account['gebruiker']}: {response.status_code}")
        self.client.headers["X-CSRFToken"] = self.client.cookies["_csrf_token"]
        self.pages = PLAN["requests"][account["rol"]]

    def _post(self, request):
        with self.client.post("/_dash-update-component", json=request["body"],
                              name=request["naam"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(3)
    def page(self):
        self._post(random.choice(self.pages))

    @task(1)
    def floor(self):
        self._post(PLAN["floor"])
