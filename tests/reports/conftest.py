"""The Lạng Sơn demo, loaded for the report's tests (the results report and its API)."""

from __future__ import annotations

import pytest

from antq.directives.models import Document


@pytest.fixture
def demo(db):
    from antq.demo.directives import directives_load
    from antq.demo.grassroots import grassroots_load
    from antq.demo.indicators import indicators_load
    from antq.demo.seed import demo_load
    from antq.grassroots.services import registries_install
    from antq.indicators.services import catalogue_install, data_sets_install

    catalogue_install()
    data_sets_install()
    registries_install()
    demo_load()
    directives_load()
    grassroots_load()
    indicators_load()
    return Document.objects.get(symbol="44-KL/TW")
