"""A deadline week in Lạng Sơn, for locust: officials enter, submit and approve the monthly
report of their commune, read the dashboards, and citizens send tips.

Run by benchmarks/load/run.py (see benchmarks/load/README.md), which prepares the database
and the people, starts `antq serve` and passes, in the environment:

- LOAD_PEOPLE: the JSON written by people.py (password, period, typed cells, the people);
- LOAD_ACKS: the file where every acknowledged write is appended, one JSON object a line,
  for verify.py to look for in the database afterwards;
- LOAD_MIX: how many users of each class, as JSON ({"WebEntry": 43, ...}).

Every request goes through the same URL and form fields as the browser (or the partner
application, for the API). Think times are a person's: seconds between actions.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from gevent import subprocess as gsubprocess
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PEOPLE = json.loads(Path(os.environ["LOAD_PEOPLE"]).read_text(encoding="utf-8"))
MIX: dict[str, int] = json.loads(os.environ.get("LOAD_MIX", "{}"))
ACKS = Path(os.environ["LOAD_ACKS"]).open("a", encoding="utf-8", buffering=1)
THINK = float(os.environ.get("LOAD_THINK", "1"))  # scale of think times (1 = a person's)
PERIOD = PEOPLE["period"]
DATA_SET = PEOPLE["data_set"]
TYPED = PEOPLE["typed"]
COMMUNES = PEOPLE["communes"]
# The communes whose report is entered in this run (all 65 for 200 officials; fewer in a
# smaller run, so that each has its entry official and its approver).
ACTIVE = set(COMMUNES[: int(os.environ.get("LOAD_COMMUNES", len(COMMUNES)))])
# Cross-indicator rules of the standard form: a later code may not exceed an earlier one.
RULE_CHAIN = ["TIPS_RECEIVED", "TIPS_VALUABLE", "CASES_CLEARED_BY_TIPS"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CELL = re.compile(r'name="v-([A-Z0-9_]+)"[^>]*value="([^"]*)"')
STATUS = re.compile(r"status-badge-([a-z]+)")
DECIDE = re.compile(r'action="(/data/approvals/(\d+)/)"')
ENTRY_LINK = re.compile(r'href="(/data/entry/[^"]+/)"')


ATTEMPTS = itertools.count(1)


def attempt(kind: str, **fields) -> int:
    """A write about to be sent; returns its number for ack(). Logged before sending, so that
    a write the server applied but the client never saw answered (the run ended while it was
    in flight) is known to verify.py. gevent runs one greenlet at a time: lines never
    interleave."""
    n = next(ATTEMPTS)
    _log({"kind": kind, "try": n, "at": time.time(), **fields})
    return n


def ack(n: int) -> None:
    """The server acknowledged write number n."""
    _log({"kind": "ack", "try": n, "at": time.time()})


def _log(record: dict) -> None:
    ACKS.write(json.dumps(record, ensure_ascii=False) + "\n")


# Every request's time, for run.py's own percentiles over the whole run and over the steady
# state after the last user has logged in (locust's CSV has the whole run only).
TIMES = Path(os.environ["LOAD_TIMES"]).open("a", encoding="utf-8", buffering=1)


@events.request.add_listener
def _timed(request_type, name, response_time, exception, **_kwargs) -> None:
    TIMES.write(
        f"{time.time():.3f}\t{request_type} {name}\t{response_time:.1f}\t{int(exception is not None)}\n"
    )


@events.spawning_complete.add_listener
def _spawned(user_count, **_kwargs) -> None:
    TIMES.write(f"{time.time():.3f}\tSPAWNED\t0\t0\n")


def think(low: float, high: float) -> float:
    return random.uniform(low, high) * THINK


def people_of(job: str) -> list[dict]:
    return [p for p in PEOPLE["people"] if p["job"] == job]


def entry_people() -> list[dict]:
    """The entry officials of the active communes; every third commune sends by the API."""
    return [p for p in people_of("nhap") if p["commune"] in ACTIVE]


class Roster:
    """Hands each new user of a class the next identity of its list (never the same twice
    while the run lasts: one writer per commune keeps every acknowledged value checkable)."""

    def __init__(self, people: list[dict]):
        self.people = people
        self.next = itertools.count()

    def take(self) -> dict:
        n = next(self.next)
        if n >= len(self.people):
            raise StopUser()
        return self.people[n]


def new_values(codes: list[str]) -> dict[str, str]:
    values = {code: random.randint(0, 40) for code in codes}
    chained = [c for c in RULE_CHAIN if c in values]
    for higher, lower in itertools.pairwise(chained):
        values[lower] = min(values[lower], values[higher])
    return {code: str(v) for code, v in values.items()}


class Official(HttpUser):
    """An official with a browser session: logs in once, then works."""

    abstract = True
    wait_time = between(0, 0)  # each task sleeps its own think time
    roster: Roster

    def on_start(self) -> None:
        self.person = self.roster.take()
        self.name = self.person["username"]
        page = self.client.get("/accounts/login/", name="GET /accounts/login/")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": csrf_of(page.text),
                "username": self.name,
                "password": PEOPLE["password"],
            },
            allow_redirects=False,
            name="POST /accounts/login/",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")
        self.get("/", "GET / (home)")

    def get(self, url: str, name: str):
        return self.client.get(url, name=name)

    def post_form(self, url: str, data: dict, name: str, **headers):
        with self.client.post(
            url, data=data, headers=headers, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code}")
            return response


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class EntryBase(Official):
    """The commune's data-entry official: enters the month's report, submits it, waits for
    the approver, corrects and resubmits it when it is returned, then reads results."""

    abstract = True

    def on_start(self) -> None:
        super().on_start()
        self.commune = self.person["commune"]
        self.entry_url = f"/data/entry/{DATA_SET}/{self.commune}/{PERIOD}/"
        self.values: dict[str, str] = {}
        self.state = "entering"
        self.get(f"/data/?ds={DATA_SET}&period={PERIOD}", "GET /data/ (entry index)")

    def open_form(self):
        return self.get(self.entry_url, "GET /data/entry/… (form)")

    def submit(self, page) -> None:
        time.sleep(think(3, 8))
        n = attempt("submit", user=self.name, area=self.commune, period=PERIOD)
        self.post_form(
            self.entry_url + "submit/",
            {"csrfmiddlewaretoken": csrf_of(page.text)},
            "POST /data/entry/…/submit/",
        )
        page = self.open_form()
        if status_of(page.text) == "submitted":
            ack(n)
            self.state = "waiting"

    @task
    def work(self) -> None:
        if self.state == "entering":
            self.enter()
        elif self.state == "waiting":
            time.sleep(think(15, 30))
            page = self.open_form()
            status = status_of(page.text)
            if status == "returned":
                self.state = "entering"
            elif status == "approved":
                self.state = "done"
        else:
            time.sleep(think(20, 40))
            self.get(
                f"/data/results/?indicator={random.choice(TYPED)}&area={self.commune}"
                "&start=2026&end=2026&time=month",
                "GET /data/results/ (commune)",
            )


def status_of(html: str) -> str:
    found = STATUS.search(html)
    return found.group(1) if found else ""


class WebEntry(EntryBase):
    """Through the entry page: every change of a cell is saved at once (htmx posts the whole
    form, as the page does), then Save, then Submit."""

    roster = Roster([p for p in entry_people() if COMMUNES.index(p["commune"]) % 3 != 2])

    def enter(self) -> None:
        page = self.open_form()
        if status_of(page.text) in ("submitted", "approved"):
            self.state = "waiting"
            return
        shown = dict(CELL.findall(page.text))
        codes = [c for c in TYPED if c in shown]
        # A first entry fills every cell; a returned report gets one or two corrected.
        wanted = new_values(codes)
        changing = codes if not self.values else random.sample(codes, min(2, len(codes)))
        form = {c: shown[c] for c in codes}
        for code in changing:
            time.sleep(think(3, 8))  # typing a figure
            form[code] = wanted[code]
            form = enforce_chain(form)
            self.save(page, form, htmx=True)
        time.sleep(think(2, 5))
        self.save(page, form, htmx=False)
        page = self.open_form()
        self.submit(page)

    def save(self, page, form: dict[str, str], *, htmx: bool) -> None:
        data = {"csrfmiddlewaretoken": csrf_of(page.text)}
        for code, value in form.items():
            data[f"v-{code}"] = value
            data[f"c-{code}"] = ""
        n = attempt("value", user=self.name, area=self.commune, period=PERIOD,
                    values={c: v for c, v in form.items() if v.strip()})  # fmt: skip
        if htmx:
            response = self.post_form(
                self.entry_url,
                data,
                "POST /data/entry/… (autosave, htmx)",
                **{"HX-Request": "true", "HX-Target": "entry-status"},
            )
            saved = response.status_code == 200 and 'data-testid="entry-saved"' in response.text
        else:
            response = self.post_form(self.entry_url, data, "POST /data/entry/… (Save)")
            saved = response.status_code == 302
        if not saved:
            return
        ack(n)
        self.values.update({c: v for c, v in form.items() if v.strip()})


def enforce_chain(form: dict[str, str]) -> dict[str, str]:
    chained = [c for c in RULE_CHAIN if c in form and form[c].strip()]
    out = dict(form)
    for higher, lower in itertools.pairwise(chained):
        out[lower] = str(min(int(out[lower]), int(out[higher])))
    return out


class ApiEntry(EntryBase):
    """Through the API: the commune's figures sent by POST /api/v1/datavalues/bulk with the
    official's token (all or nothing), then submitted from the entry page."""

    roster = Roster([p for p in entry_people() if COMMUNES.index(p["commune"]) % 3 == 2])

    def on_start(self) -> None:
        super().on_start()
        self.auth = {"Authorization": f"Bearer {self.person['token']}"}
        self.client.get("/api/v1/indicators/", headers=self.auth, name="GET /api/v1/indicators/")

    def enter(self) -> None:
        time.sleep(think(5, 15))  # the figures are gathered in the commune's own tool
        values = new_values(TYPED)
        if self.values:  # a returned report: one or two figures corrected
            keep = random.sample(TYPED, max(0, len(TYPED) - 2))
            values.update({c: self.values[c] for c in keep if c in self.values})
        body = {
            "values": [
                {"indicator": c, "area": self.commune, "period": PERIOD, "value": v}
                for c, v in values.items()
            ],
            "reason": "Số liệu tháng",
        }
        n = attempt("value", user=self.name, area=self.commune, period=PERIOD, values=values)
        with self.client.post(
            "/api/v1/datavalues/bulk",
            json=body,
            headers=self.auth,
            name="POST /api/v1/datavalues/bulk",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
        ack(n)
        self.values.update(values)
        page = self.open_form()
        self.submit(page)


class Approver(Official):
    """An approver of the provincial police (PV05), the level above the communes, following
    one commune: looks at the province's inbox (every commune's submitted reports), reads
    the report of the commune it follows and approves it, or returns it with a reason (about
    one in four); now and then it decides a colleague's commune instead (racing them)."""

    roster = Roster([p for p in people_of("duyet") if p["commune"] in ACTIVE])
    return_share = 0.25
    help_share = 0.1  # a report of another commune, when its own has none waiting

    @task
    def work(self) -> None:
        time.sleep(think(10, 25))
        self.review()

    def review(self) -> None:
        inbox = self.get("/data/approvals/", self.inbox_name)
        items = list(zip(DECIDE.findall(inbox.text), ENTRY_LINK.findall(inbox.text), strict=False))
        if not items:
            return
        own = [item for item in items if f"/{self.person['commune']}/" in item[1]]
        if own:
            items = own
        elif random.random() > self.help_share:
            return
        (action, pk), link = random.choice(items)
        self.get(link, "GET /data/entry/… (form)")
        time.sleep(think(5, 12))
        decision = "return" if random.random() < self.return_share else "approve"
        n = attempt("decide", user=self.name, submission=int(pk), decision=decision)
        self.post_form(
            action,
            {
                "csrfmiddlewaretoken": csrf_of(inbox.text),
                "decision": decision,
                "reason": "Đề nghị kiểm tra lại số liệu hòa giải." if decision == "return" else "",
            },
            "POST /data/approvals/[id]/",
        )
        after = self.get("/data/approvals/", self.inbox_name)
        if "alert-success" in after.text:
            ack(n)

    inbox_name = "GET /data/approvals/"


class Reader(Official):
    """A commune's colleague: the commune's results by month, the form's list, the
    analytics API for the commune."""

    roster = Roster(people_of("xem"))

    @task
    def read(self) -> None:
        time.sleep(think(10, 30))
        commune = self.person["commune"]
        indicator = random.choice([*TYPED, "MEDIA_ITEMS", "SM_MODELS_ACTIVE"])
        choice = random.random()
        if choice < 0.4:
            self.get(
                f"/data/results/?indicator={indicator}&area={commune}&start=2025&end=2026"
                "&time=month",
                "GET /data/results/ (commune)",
            )
        elif choice < 0.7:
            self.get(
                f"/api/v1/analytics/?indicator={indicator}&area={commune}&start=202601"
                f"&end={PERIOD}&by=month",
                "GET /api/v1/analytics/ (commune)",
            )
        else:
            self.get(f"/data/?ds={DATA_SET}&period={PERIOD}", "GET /data/ (entry index)")


class Manager(Approver):
    """A manager of the provincial police (PV05): the province's dashboards, completeness
    and analytics, and the approvals inbox of the whole province (racing the communes'
    approvers for the same reports now and then)."""

    roster = Roster(people_of("tinh"))
    return_share = 0.1
    help_share = 1.0  # any commune's report

    @task
    def work(self) -> None:
        time.sleep(think(5, 15))
        choice = random.random()
        indicator = random.choice(["MEDIA_ITEMS", "SM_MODELS_ACTIVE", "TIPS_RECEIVED", *TYPED])
        if choice < 0.3:
            by = random.choice(["year", "quarter"])
            self.get(
                f"/data/results/?indicator={indicator}&area=20&start=2019&end=2022&time={by}",
                "GET /data/results/ (province)",
            )
        elif choice < 0.5:
            self.get(
                f"/data/completeness/?ds={DATA_SET}&area=20&period={PERIOD}",
                "GET /data/completeness/ (province)",
            )
        elif choice < 0.8:
            self.get(
                f"/api/v1/analytics/?indicator={indicator}&area=20&start=2019&end=2026"
                "&by=area,year",
                "GET /api/v1/analytics/ (province)",
            )
        else:
            self.review()

    inbox_name = "GET /data/approvals/ (province)"


def solve(challenge: str, bits: int) -> str:
    """The page's proof-of-work (antq/tips/static/tips/tips.js): the first n such that
    SHA-256 of "challenge:n" starts with `bits` zero bits. Done in a child process, as the
    citizen's phone would do it on its own processor, so the hashing does not stall the
    other simulated users in this one."""
    done = gsubprocess.run(
        [sys.executable, "-c", SOLVER, challenge, str(bits)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


SOLVER = """
import hashlib, sys
challenge, bits = sys.argv[1], int(sys.argv[2])
def zero_bits(d):
    n = 0
    for b in d:
        if b == 0:
            n += 8
            continue
        return n + 8 - b.bit_length()
    return n
n = 0
while zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < bits:
    n += 1
print(n)
"""


def proof_holds(challenge: str, nonce: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    value = int.from_bytes(digest, "big")
    return value >> (256 - bits) == 0 if bits else True


class Citizen(HttpUser):
    """A citizen with the tip line's API (what the page's script does): a challenge, the
    proof-of-work, the tip; later the receipt is used to follow it."""

    wait_time = between(0, 0)

    def on_start(self) -> None:
        self.receipts: list[str] = []

    @task
    def send(self) -> None:
        time.sleep(think(20, 50))  # writing a tip takes a while
        if self.receipts and random.random() < 0.4:
            self.follow()
            return
        challenge = self.client.get(
            "/api/v1/tips/challenge", name="GET /api/v1/tips/challenge"
        ).json()
        nonce = solve(challenge["challenge"], challenge["bits"])
        if not proof_holds(challenge["challenge"], nonce, challenge["bits"]):
            raise RuntimeError("the proof-of-work solver is wrong")
        area = random.choice(COMMUNES)
        with self.client.post(
            "/api/v1/tips/",
            json={
                "area": area,
                "content": "Nội dung thử tải (hư cấu): có người lạ hỏi mua tài khoản ngân hàng.",
                "topic": "other",
                "pow": {"challenge": challenge["challenge"], "nonce": nonce},
            },
            name="POST /api/v1/tips/",
            catch_response=True,
        ) as response:
            if response.status_code == 429:
                # The designed answer to a flood, not an error: counted apart by run.py.
                response.success()
                _log({"kind": "tip_throttled"})
                return
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            receipt = response.json()["receipt"]
        _log({"kind": "tip", "receipt": receipt, "area": area})
        self.receipts.append(receipt)

    def follow(self) -> None:
        receipt = random.choice(self.receipts)
        with self.client.post(
            "/api/v1/tips/lookup",
            json={"receipt": receipt},
            name="POST /api/v1/tips/lookup",
            catch_response=True,
        ) as response:
            if response.status_code == 429:
                response.success()
                _log({"kind": "tip_throttled"})
            elif response.status_code != 200:
                response.failure(f"{response.status_code}")


for _cls in (WebEntry, ApiEntry, Approver, Reader, Manager, Citizen):
    if _cls.__name__ in MIX:
        _cls.fixed_count = MIX[_cls.__name__]
del _cls  # locust would take the loop's variable for one more user class
