"""The registry the tenant-isolation attack walks.

Every URL argument naming an object (``project_id``…) needs a maker here that
creates such an object for a given tenant world and organization and returns
its id; the walker refuses routes whose arguments it cannot fill, so a new
route cannot escape the attack. Each domain adds its makers, and its public endpoints, in ``tests/makers/<domain>.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from app.orgs.models import Organization
from tests.factories import TenantWorld

Maker = Callable[[TenantWorld, Organization], int | str]
MAKERS: dict[str, Maker] = {}

#: Readable by anyone for that tenant's own objects (marketplace, disclosures).
PUBLIC_ENDPOINTS: set[str] = {"tenancy.home", "auth.register", "api_tenant.Areas"}
#: Usable by any signed-in person in any tenant (joining a tenant as a volunteer…).
OPEN_ENDPOINTS: set[str] = {"volunteers.register", "volunteers.profile", "volunteers.export",
                            "api_tenant.MyVolunteerProfile"}


def maker(*args: str) -> Callable[[Maker], Maker]:
    def register(fn: Maker) -> Maker:
        for arg in args:
            MAKERS[arg] = fn
        return fn

    return register


def load_makers() -> None:
    """Import every ``tests/makers/<domain>.py`` so its makers and endpoints are registered."""
    import importlib
    import pkgutil

    import tests.makers

    for module in pkgutil.iter_modules(tests.makers.__path__):
        importlib.import_module(f"tests.makers.{module.name}")


def populate(world: SimpleNamespace) -> None:
    """Fill ``extra[arg]`` with an object id per world and organization."""
    load_makers()
    for tenant_world in (world.a, world.b):
        for index, org in enumerate(tenant_world.orgs):
            tenant_world.extra[index] = {arg: make(tenant_world, org) for arg, make in MAKERS.items()}
