"""Reading /metrics in tests: the families by name, and the sum of the samples matching
some labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def scrape(client, **extra) -> dict[str, list]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {f.name: f.samples for f in text_string_to_metric_families(response.content.decode())}


def value(samples, name: str, **labels) -> float:
    return sum(
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


def by_label(samples, label: str) -> dict[str, float]:
    return {s.labels[label]: s.value for s in samples}
