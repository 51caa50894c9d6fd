"""The pages each persona opens, shared by the locust users and the unloaded pass.

Plain Python (no locust import: locust patches the standard library with gevent when
imported, which the driver must not be).
"""

from __future__ import annotations

import random

PANELS = 8  # board.dashboard.PANELS: the projector's panels


def _filters(account: dict) -> list[str]:
    return [
        "?phase=primary&status=open",
        f"?la={account['la']}",
        f"?q={account['town'] or 'school'}",
        f"?cluster={account['cluster']}",
        f"?alliance={account['alliance']}&phase=secondary",
    ]


def pages_unloaded(account: dict, persona: str, plan: dict) -> dict[str, list[str]]:
    """Each page by its name in the figures, with the paths that stand for it (a filtered
    list has several filters, a run page several runs)."""
    pages = {
        "/": ["/"],
        "/schools/": ["/schools/"],
        "/schools/?<filters>": [f"/schools/{query}" for query in _filters(account)],
        "/schools/<urn>/": [f"/schools/{account['urn']}/"],
        "/structure/": ["/structure/"],
        "/structure/clusters/<pk>/": [f"/structure/clusters/{account['cluster']}/"],
        "/api/clusters/": ["/api/clusters/"],
    }
    if persona == "head":  # one school: no second page of schools, no categorisation pages
        return {**pages, "/api/schools/": ["/api/schools/"]}
    runs = [plan["agreed_run"], *(pk for pk in account["runs"] if pk != plan["agreed_run"])]
    return {
        **pages,
        **_dashboard_pages(account, persona, plan),
        "/api/schools/?page=2": ["/api/schools/?page=2"],
        "/categorisation/": ["/categorisation/"],
        "/categorisation/runs/": ["/categorisation/runs/"],
        "/categorisation/runs/<pk>/": [f"/categorisation/runs/{pk}/" for pk in runs],
    }


def _dashboard_pages(account: dict, persona: str, plan: dict) -> dict[str, list[str]]:
    """The dashboard, its projector panels and the board's meeting: the board's for board
    members and officers, an alliance chair's own alliance's (issue 12)."""
    if persona == "alliance_chair":
        base = f"/dashboard/alliances/{account['alliance']}/"
        name = "/dashboard/alliances/<pk>/"
    else:
        base, name = "/dashboard/", "/dashboard/"
    pages = {
        name: [base],
        f"{name}present/?panel=<n>": [f"{base}present/?panel={n}" for n in range(1, PANELS + 1)],
    }
    if persona != "alliance_chair" and plan.get("meeting"):
        meeting = plan["meeting"]
        pages["/meetings/<pk>/"] = [f"/meetings/{meeting}/"]
        # The board pack: its page, and the members' pack built by its job (issue 12).
        pages["/meetings/<pk>/pack/"] = [f"/meetings/{meeting}/pack/"]
        pages["/meetings/<pk>/pack/members.pdf"] = [f"/meetings/{meeting}/pack/members.pdf"]
    return pages


def page_pick(account: dict, persona: str, plan: dict) -> tuple[str, str]:
    """(path, name) of a page chosen at random; half of the run pages are the agreed run's."""
    name, paths = random.choice(list(pages_unloaded(account, persona, plan).items()))
    if name == "/categorisation/runs/<pk>/" and random.random() < 0.5:
        return paths[0], name
    return random.choice(paths), name
