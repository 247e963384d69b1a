"""Figures by place and group (按地区、按群体): the district's service, money, needs, complaints
and satisfaction for a period, per node of the area tree (街道 → 社区 → 网格, each node's
figures including the areas under it) and per target group, with what the period left
uncovered (communities with no service, groups with no one served).

Where a figure belongs:

- volunteer hours and volunteers, service slots held, people served (attendance, never
  bookings: ``service_figures``), ratings: the area of the project they belong to;
- money (已拨付 / 已支出, ``app.funding.figures``): a contract's projects' areas; a contract
  whose projects lie in several areas counts at the nearest area holding them all (two
  communities of one street: the street), so no yuan counts twice;
- needs: the need's own area and group; complaints: the complaint's area;
- a person's group (people served, ratings, complaints): their group on the district's roll
  (``ResidentProfile``), else the group they declared when booking; hours, slots and money:
  each group the project names (a project for two groups counts under both).

What has no place (imported records, projects or complaints with no area, contracts of
projects in no area) is the row "全区或未注明地区", so the tree and that row add up to the
district's figures, which count what the dashboard counts (``service_figures.live``), the
same way. Each kind of fact is read in one statement (``place_sql``) whatever the size of the
tree, and rolled up the tree here: sums added, people kept as sets and counted at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.oversight import place_sql
from app.oversight.service_figures import tenth_hours
from app.tenancy.models import Area, Tenant

#: The level whose nodes the coverage list names (needs' wish walls use the same).
COMMUNITY = "社区"


@dataclass
class Figures:
    verified_minutes: int = 0
    volunteers: int = 0
    people_served: int = 0
    slots_held: int = 0
    disbursed: int = 0  # fen
    spent: int = 0  # fen
    needs_posted: int = 0
    needs_met: int = 0
    needs_overdue: int = 0
    complaints: int = 0
    ratings: int = 0
    rating_sum: int = 0

    @property
    def hours(self) -> Decimal:
        return tenth_hours(self.verified_minutes)

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(self.rating_sum) / self.ratings).quantize(Decimal("0.01"))

    @property
    def served(self) -> bool:
        """Any service in the period: hours given, a slot held or a resident served."""
        return bool(self.verified_minutes or self.slots_held or self.people_served)

    def add_money(self, disbursed: int, spent: int) -> None:
        self.disbursed += disbursed
        self.spent += spent


FIELDS = tuple(f.name for f in fields(Figures))


@dataclass
class Node:
    id: int
    name: str
    level: str
    depth: int
    parent_id: int | None
    figures: Figures = field(default_factory=Figures)
    children: list[Node] = field(default_factory=list)
    #: The row "社区本级/未注明网格": what was recorded at the parent itself, not at one of
    #: the areas under it (its ``name`` and ``level`` are the parent's, ``lower`` the level
    #: of the areas under it).
    own: bool = False
    lower: str = ""


@dataclass
class Group:
    name: str
    figures: Figures
    known: bool  # one of the district's target groups (not one of an older list)


@dataclass
class Breakdown:
    start: date | None
    end: date | None
    district: Figures
    roots: list[Node]
    unplaced: Figures
    groups: list[Group]
    ungrouped: Figures
    unserved: list[Node]  # communities with no service in the period
    unreached: list[str]  # the district's target groups with no one served

    def rows(self, max_depth: int | None = None) -> list[Node]:
        """The tree in reading order (each node before the areas under it)."""
        out: list[Node] = []

        def walk(node: Node) -> None:
            if max_depth is not None and node.depth > max_depth:
                return
            out.append(node)
            for child in node.children:
                walk(child)

        for root in self.roots:
            walk(root)
        return out


def _tree(tenant_id: int) -> tuple[list[Node], dict[int, Node], dict[int, list[int]]]:
    """Every area as a node (children by name), and each area's chain of ancestors."""
    areas = db.session.execute(select(Area.id, Area.name, Area.level, Area.path, Area.parent_id)
                               .where(Area.tenant_id == tenant_id)
                               .order_by(Area.name, Area.id)).all()
    nodes = {a.id: Node(a.id, a.name, a.level, max(a.path.count("/") - 2, 0), a.parent_id)
             for a in areas}
    chains = {a.id: [int(x) for x in a.path.strip("/").split("/") if x.isdigit()] for a in areas}
    roots = []
    for a in areas:
        parent = nodes.get(a.parent_id) if a.parent_id else None
        (parent.children if parent else roots).append(nodes[a.id])
    return roots, nodes, chains


def _figures(tally: place_sql.Tally) -> Figures:
    out = Figures(**{name: int(value) for name, value in tally.sums.items()})
    for name, who in tally.people.items():
        setattr(out, name, len(who))
    return out


def _lowest_common(chains: list[list[int]]) -> int | None:
    """The deepest area that holds every one of the chains (None: they share no area)."""
    if not chains or any(not c for c in chains):
        return None
    common = None
    for level in zip(*chains, strict=False):
        if len(set(level)) != 1:
            break
        common = level[0]
    return common


def _own_row(node: Node) -> Node:
    """``node``'s row "本级/未注明下属地区", made if it has none yet."""
    if not node.children[-1].own:
        node.children.append(Node(-node.id, node.name, node.level, node.depth + 1, node.id,
                                  own=True, lower=node.children[0].level))
    return node.children[-1]


def _any(tally: place_sql.Tally) -> bool:
    return any(tally.sums.values()) or any(tally.people.values())


def _one_group_each(groups: dict, listed: list[str]) -> None:
    """A person served counts under one group only: theirs on the district's roll, else the
    one they declared booking. Someone who declared different groups at different bookings
    (or one at some and none at others) is kept under the declared group coming first in
    the district's list (then by name), so the groups add up to the district."""
    order = {name: i for i, name in enumerate(listed)}

    def rank(name):
        return (name is None, order.get(name, len(order)), name or "")

    seen: dict = {}
    for name in sorted(groups, key=rank):
        who = groups[name].people.get("people_served")
        if not who:
            continue
        for person in list(who):
            if person in seen:
                who.discard(person)
            else:
                seen[person] = name


def compute(tenant: Tenant, start: date | None = None, end: date | None = None,
            now=None) -> Breakdown:
    """The district's figures for ``start``–``end`` (both days included; None: open), by
    area node and by target group."""
    with place_sql.collector_paused():
        return _compute(tenant, start, end, now)


def _compute(tenant: Tenant, start: date | None, end: date | None, now) -> Breakdown:
    from app.db import utcnow

    now = now or utcnow()
    place_sql.plan_plainly()
    roots, nodes, chains = _tree(tenant.id)
    period = place_sql.Period(tenant.id, start, end, now)
    projects = place_sql.projects(tenant.id)
    facts = place_sql.placed(period, projects)
    own = facts.areas  # each area's own facts; rolled up into the areas above it here

    def roll(node: Node) -> place_sql.Tally:
        tally = own.pop(node.id, None) or place_sql.Tally()
        if node.children and _any(tally):  # so the areas under it add up to it
            _own_row(node).figures = _figures(tally)
        for child in node.children:
            if not child.own:
                tally.add(roll(child))
        node.figures = _figures(tally)
        return tally

    whole = place_sql.Tally()
    for root in roots:
        whole.add(roll(root))
    nowhere = place_sql.Tally()
    for tally in own.values():  # facts with no area
        nowhere.add(tally)
    whole.add(nowhere)
    unplaced, district = _figures(nowhere), _figures(whole)
    _one_group_each(facts.groups, list(tenant.setting("target_groups", end)))
    groups = {name: _figures(tally) for name, tally in facts.groups.items()}
    contracts: dict[int, tuple[list, set]] = {}
    for area_id, named, contract_id in projects.values():
        if contract_id is not None:
            areas, names = contracts.setdefault(contract_id, ([], set()))
            areas.append(area_id)
            names.update(named)
    for contract_id, (disbursed, spent) in place_sql.contract_money(period).items():
        district.add_money(disbursed, spent)
        areas, named = contracts.get(contract_id, ([None], set()))
        home = _lowest_common([chains.get(a, []) if a else [] for a in areas])
        for area_id in chains.get(home, []) if home else []:
            nodes[area_id].figures.add_money(disbursed, spent)
        if home is not None and nodes[home].children:
            _own_row(nodes[home]).figures.add_money(disbursed, spent)
        if home is None:
            unplaced.add_money(disbursed, spent)
        for name in named or {None}:
            groups.setdefault(name, Figures()).add_money(disbursed, spent)
    ungrouped = groups.pop(None, Figures())
    listed = list(tenant.setting("target_groups", end))
    out_groups = [Group(g, groups.pop(g, Figures()), True) for g in listed]
    out_groups += [Group(g, groups[g], False) for g in sorted(groups)]
    communities = [n for n in nodes.values() if n.level == COMMUNITY] or \
        [c for r in roots for c in r.children]
    out = Breakdown(start, end, district, roots, unplaced, out_groups, ungrouped, [],
                    [g.name for g in out_groups if g.known and not g.figures.people_served])
    idle = {n.id for n in communities if not n.figures.served}
    out.unserved = [n for n in out.rows() if n.id in idle]
    return out
