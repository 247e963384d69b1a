"""Addresses in templates are built once per endpoint, values, district and mount point
(``app.templating.template_url_for``): each is still the one ``url_for`` builds."""

from __future__ import annotations

from flask import g, url_for

from app.templating import ADDRESSES_KEPT, template_url_for
from tests.factories import TenantFactory


def test_an_address_kept_is_the_one_url_for_builds_for_each_district_value_and_type(app, db):
    first, second = TenantFactory(), TenantFactory()
    cases = [("tenancy.home", {}), ("marketplace.search", {"q": "助老", "page": 2}),
             ("marketplace.search", {"page": True}), ("marketplace.search", {"page": 1}),
             ("auth.login", {"next": "/t/x/projects?q=1"}), ("rules.public", {})]
    for root in ("", "/gongzhi"):
        for tenant in (first, second, first):
            with app.test_request_context("/", base_url=f"http://localhost{root}/"):
                g.tenant, g.tenant_id = tenant, tenant.id
                for endpoint, values in cases * 2:  # the second time from what was kept
                    assert template_url_for(endpoint, **values) == url_for(endpoint, **values)
                assert template_url_for("tenancy.home").startswith(f"{root}/t/{tenant.slug}")
                assert "page=True" in template_url_for("marketplace.search", page=True)
                assert "page=1" in template_url_for("marketplace.search", page=1)


def test_unkeyable_values_external_addresses_and_a_full_store_still_build(app, db):
    tenant = TenantFactory()
    with app.test_request_context("/"):
        g.tenant, g.tenant_id = tenant, tenant.id
        assert template_url_for("marketplace.search", group=["独居老人", "残疾人"]) == url_for(
            "marketplace.search", group=["独居老人", "残疾人"])
        assert template_url_for("tenancy.home", _external=True).startswith("http://")
        kept = app.extensions["gz_addresses"]
        for n in range(ADDRESSES_KEPT + 5):
            assert template_url_for("auth.login", next=f"/p{n}") == url_for("auth.login", next=f"/p{n}")
        assert len(kept) <= ADDRESSES_KEPT
