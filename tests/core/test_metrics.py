"""/metrics: Prometheus text with the requests by route, their latency, the databases, the
disk and the apps' gauges; readable from the loopback, the allowed networks or with the
token, and by no one else; the tip line neither counted nor timed."""

from __future__ import annotations

import pytest

from antq.core import metrics
from tests.scrape import scrape, value

pytestmark = pytest.mark.django_db
OUTSIDE = "198.51.100.7"
TOKEN = "t" * 20 + "0123456789abcdef"


def requests_counted(client, **labels) -> float:
    return value(scrape(client)["antq_http_requests"], "antq_http_requests_total", **labels)


def test_requests_are_counted_by_method_route_and_status(client):
    before = requests_counted(client, route="areas:browser", status="200", method="GET")
    client.get("/areas/")
    client.get("/areas/?on=01/01/2022")
    client.get("/areas/?on=31/02/2022")  # a bad date: 400
    after = scrape(client)
    requests = after["antq_http_requests"]
    # By method too: other tests of this process may have POSTed to the page (the RBAC matrix).
    assert value(
        requests, "antq_http_requests_total", route="areas:browser", status="200", method="GET"
    ) == (before + 2)
    assert value(requests, "antq_http_requests_total", route="areas:browser", status="400") >= 1
    latency = after["antq_http_request_duration_seconds"]
    buckets = {s.labels["le"] for s in latency if s.name.endswith("_bucket")}
    assert "0.3" in buckets and "+Inf" in buckets
    assert value(latency, "antq_http_request_duration_seconds_count", route="areas:browser") >= 3


def test_unknown_paths_share_one_label_so_the_series_stay_bounded(client):
    for n in range(3):
        client.get(f"/no-such-page-{n}/")
    requests = scrape(client)["antq_http_requests"]
    routes = {s.labels["route"] for s in requests}
    assert "unmatched" in routes
    assert not any("no-such-page" in route for route in routes)


def test_the_tip_line_is_neither_counted_nor_timed(client):
    def everything_but_scrapes():
        requests = scrape(client)["antq_http_requests"]
        return sum(s.value for s in requests if s.labels["route"] != "metrics")

    before = everything_but_scrapes()
    client.get("/tips/send/")
    client.get("/tips/lookup/")
    client.post("/api/v1/tips/", {}, content_type="application/json")
    client.get("/api/v1/tips/challenge")
    assert everything_but_scrapes() == before
    text = client.get("/metrics").content.decode()
    # Officials' admin pages for tips (retention rules…) may be counted, as other admin
    # pages are (and are, when other tests of this process opened them): not the tip line.
    citizens = [line for line in text.splitlines() if 'route="admin:tips_' not in line]
    assert "tip" not in "\n".join(citizens).replace("antq_tips_awaiting_assessment", "")
    client.get("/areas/")  # and the counting itself still works
    assert everything_but_scrapes() == before + 1


def test_databases_disk_and_version_are_reported(client):
    families = scrape(client)
    assert value(families["antq_database_up"], "antq_database_up", alias="default") == 1.0
    assert value(families["antq_data_dir_free_bytes"], "antq_data_dir_free_bytes") > 0
    assert families["antq_build_info"][0].labels["version"]


def test_a_database_that_does_not_answer_is_reported_down(client, broken_replica):
    up = scrape(client)["antq_database_up"]
    assert value(up, "antq_database_up", alias="replica") == 0.0
    assert value(up, "antq_database_up", alias="default") == 1.0


def test_outside_addresses_are_refused(client):
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 403
    assert b"antq_" not in response.content
    assert client.post("/metrics").status_code == 405


def test_behind_the_proxy_the_forwarded_client_must_be_allowed_too(client, settings):
    settings.ANTQ_TRUSTED_PROXIES = 1
    # nginx on the same machine forwards an outside client: refused
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    # an outside client cannot pose as the loopback by sending its own header
    spoof = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert spoof.status_code == 403
    # Prometheus on the loopback, no proxy in between
    assert client.get("/metrics").status_code == 200


def test_allowed_networks_may_scrape(client, settings):
    settings.ANTQ_METRICS_ALLOWED = ["10.20.0.0/16", "2001:db8::/32"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.0.1").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 403


def test_the_token_opens_it_from_anywhere(client, settings):
    settings.ANTQ_METRICS_TOKEN = TOKEN
    ok = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert ok.status_code == 200 and b"antq_database_up" in ok.content
    for header in (f"Bearer {TOKEN}x", f"Token {TOKEN}", "Bearer ", TOKEN):
        denied = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=header)
        assert denied.status_code == 403, header


def test_without_a_token_configured_no_bearer_is_accepted(client, settings):
    settings.ANTQ_METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


def test_a_gauge_that_fails_leaves_the_rest_of_the_scrape(client, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(
        metrics._gauges, "antq_broken", metrics.Gauge("antq_broken", "x", (), broken)
    )
    families = scrape(client)
    assert "antq_broken" not in families
    assert "antq_database_up" in families


def test_gauge_names_are_checked():
    with pytest.raises(ValueError):
        metrics.register_gauge("http_requests", "no prefix", lambda: [])


@pytest.mark.parametrize(
    ("name", "value"),
    [("ANTQ_METRICS_ALLOWED", "10.0.0.0/8,intranet"), ("ANTQ_METRICS_TOKEN", "too-short")],
)
def test_a_bad_metrics_setting_stops_the_program(tmp_path, name, value):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "antq", "check"],
        env={"ANTQ_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", name: value},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert name in done.stderr
