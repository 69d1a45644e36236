"""Schemathesis against antq's own OpenAPI schema, loaded from the app itself (in-process,
through WSGI): every operation, once with the token of an official holding every role at the
national level and once without credentials. No answer is a server error; every answer is one
the schema documents (status code, content type, body); without credentials every operation
that is not public is refused.

Deterministic (Hypothesis derandomized, no example database) and bounded (MAX_EXAMPLES cases
per operation and run), so that `./dev test` runs it on SQLite and on PostgreSQL in a couple of
minutes. The cases are Schemathesis's fuzzing phase, valid and invalid ones, drawn through its
public `as_strategy` and parametrized here by operation: its own pytest items
(`schema.parametrize`) share one node id per test function under pytest 9.2, which makes
pytest-xdist run two of them instead of every operation.

Not checked: `negative_data_rejection`, since DRF coerces on purpose (a number sent for a text
field is its text, an empty date filter is no filter); `positive_data_acceptance`, since a
valid request may name a record that does not exist."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from antq.accounts.models import BodyKind, Role
from antq.accounts.services import body_save, membership_grant, token_create, user_create
from antq.core import crypto
from antq.core.api import api_not_found, error_body
from antq.core.parsers import nul_message
from antq.grassroots import services as grassroots
from antq.grassroots.models import MemberRole, ModelType
from antq.indicators.services import catalogue_install
from antq.inspections import services as inspections
from antq.inspections.models import Level
from antq.urls import api_v1
from tests.conftest import PASSWORD, area
from tests.directives.conftest import Chain, chain  # noqa: F401 (a fixture)

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
D = dt.date

# The defaults, whatever a schemathesis.toml nearby says: strings may hold NUL characters.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=SchemathesisConfig()
)
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}

# Ids of records that exist, by kind: filled by the `records` fixture of the running test,
# read when Hypothesis draws a case.
SEEDED: dict[str, list[int]] = {}
# The first segment after /api/v1/ of a path with {id}, and the kind of record it names.
ID_KINDS = {
    "documents": "document",
    "plans": "plan",
    "assignments": "assignment",
    "inspections": "inspection",
    "grassroots/models": "model",
    "grassroots/teams": "team",
    "grassroots/media": "media",
}
AREA_CODES = ["VN", "20", "178", "06124"]


def _id_kind(path: str) -> str:
    rest = path.removeprefix("/api/v1/")
    return next(kind for prefix, kind in ID_KINDS.items() if rest.startswith(prefix + "/"))


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Half of the generated paths name a record that exists, so that the views behind the
    404 are fuzzed too."""
    path = context.operation.path
    if "{id}" in path:
        kind = _id_kind(path)
        known = st.integers(0, 7).map(lambda n: {"id": SEEDED[kind][n % len(SEEDED[kind])]})
        return st.one_of(strategy, known)
    if "{code}" in path:
        return st.one_of(strategy, st.sampled_from(AREA_CODES).map(lambda code: {"code": code}))
    return strategy


@pytest.fixture(autouse=True)
def _requests_keep_the_transaction():
    # The test's transaction must survive each request, as Django's test client keeps it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _master_key(monkeypatch):
    # As on a server set up with `antq keys init`: the tip line needs its key.
    key = base64.urlsafe_b64encode(crypto.new_master_key()).decode().rstrip("=")
    monkeypatch.setenv("ANTQ_MASTER_KEY", key)


@pytest.fixture
def records(chain: Chain) -> dict[str, list[int]]:  # noqa: F811
    """The directives chain, and one record of each registry and an inspection."""
    catalogue_install()
    grassroots.registries_install()
    na_sam = area("06124")
    model = grassroots.model_save(
        actor=None,
        data={
            "name": "Tổ an ninh tự quản thôn Nà Slác",
            "type": ModelType.objects.get(code="to-an-ninh-tu-quan"),
            "area": na_sam,
            "place": "Thôn Nà Slác",
            "host_body": None,
            "founded_on": D(2025, 9, 1),
            "members": 12,
            "replicated_from": None,
            "description": "",
        },
    )
    team_data = {
        "name": "Tổ bảo vệ ANTT thôn Nà Slác",
        "area": na_sam,
        "place": "Thôn Nà Slác",
        "decision_number": "12/QĐ-UBND",
        "decision_date": D(2025, 7, 20),
        "established_on": D(2025, 8, 1),
        "dissolved_on": None,
    }
    team = grassroots.team_save(actor=None, data=team_data)
    grassroots.member_save(
        actor=None,
        team=team,
        data={
            "full_name": "Hoàng Văn Tổ",
            "role": MemberRole.LEADER,
            "birth_date": D(1980, 3, 1),
            "joined_on": D(2025, 8, 1),
            "left_on": None,
        },
    )
    media = grassroots.media_save(
        actor=None,
        data={
            "title": "Na Sầm ra mắt mô hình camera an ninh",
            "kind": "tin",
            "outlet": "Báo Lạng Sơn",
            "outlet_level": "local",
            "published_on": D(2025, 10, 5),
            "area": na_sam,
            "link": "",
        },
    )
    inspection = inspections.inspection_create(
        actor=None,
        title="Kiểm tra thực hiện Kết luận 44-KL/TW",
        inspecting_body=chain.tinh_uy,
        level=Level.PROVINCIAL,
        area=area("20"),
        period_start=D(2019, 1, 1),
        period_end=D(2022, 12, 31),
        starts_on=D(2025, 10, 1),
        subjects=[chain.conclusion],
        inspected_bodies=[chain.van_lang],
    )
    assignments = [
        a.pk for task in (chain.task_plan, chain.task_yearly) for a in task.assignments.all()
    ]
    SEEDED.clear()
    SEEDED.update(
        {
            "document": [chain.plan.pk, chain.conclusion.pk],
            "plan": [chain.plan.pk],
            "assignment": assignments,
            "inspection": [inspection.pk],
            "model": [model.pk],
            "team": [team.pk],
            "media": [media.pk],
        }
    )
    return SEEDED


@pytest.fixture
def national_token(records, chain: Chain) -> str:  # noqa: F811
    """A token of an official of the Ministry holding every role but tip handler, who also
    enters data for a district committee the plan was sent to (to report progress)."""
    ministry = body_save(code="t-bca", name="Bộ Công an", kind=BodyKind.POLICE, area=area("VN"))
    user = user_create(username="trunguong", password=PASSWORD, full_name="Cán bộ Trung ương")
    for role in (Role.VIEWER, Role.DATA_ENTRY, Role.APPROVER, Role.MANAGER, Role.ADMINISTRATOR):
        membership_grant(user=user, body=ministry, role=role, valid_from=D(2019, 1, 1))
    membership_grant(user=user, body=chain.van_lang, role=Role.DATA_ENTRY, valid_from=D(2019, 1, 1))
    return token_create(user=user).key


def is_public(operation) -> bool:
    """Whether the schema lets the operation be called without credentials."""
    return {} in operation.definition.raw.get("security", [])


def refused(response) -> bool:
    """Whether the answer refuses a caller without credentials: a 401 (or 403) — or, for a
    request that never reached a view, the 400 answered to a NUL character
    (antq.core.middleware) or the JSON 404 of a path no URL matches. A 400 or 404 of the
    view itself would mean it looked at the input before asking who sends it."""
    if response.status_code in (401, 403):
        return True
    (language,) = response.headers["content-language"]  # lower-case names, lists of values
    with translation.override(language):
        before_any_view = {
            400: error_body("bad_request", nul_message()),
            404: json.loads(api_not_found(None).content),
        }
    return response.json() == before_any_view.get(response.status_code)


def fuzz(operation, check: Callable[[Case], None]) -> None:
    """Run `check` on MAX_EXAMPLES cases of the operation, valid and invalid ones, as
    Schemathesis's fuzzing phase draws them."""
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=cases)
    def run(case: Case) -> None:
        check(case)

    run()


def test_every_api_url_is_an_operation_fuzzed_here():
    routes = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(url.pattern)).replace("{pk}", "{id}")
        for url in api_v1
    }
    assert routes == {operation.path for operation in OPERATIONS.values()}


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation_answers_as_documented_with_a_token(label, national_token):
    headers = {"Authorization": f"Token {national_token}"}
    fuzz(OPERATIONS[label], lambda case: case.call_and_validate(headers=headers, checks=CHECKS))


@pytest.mark.parametrize("label", OPERATIONS)
def test_without_credentials_only_public_operations_answer(label, records):
    operation = OPERATIONS[label]

    def check(case: Case) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        if not is_public(operation):
            assert refused(response), f"{response.status_code} {response.text}"

    fuzz(operation, check)
