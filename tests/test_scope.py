"""kpis/scope.py: what each form of a limit in the secrets file reaches."""

from __future__ import annotations

from kpis.scope import Limit

BAC_KAN = "bac-kan-684-2016"
LANG_SON = "lang-son-147-2023"
THAI_NGUYEN = "thai-nguyen-57-2025"


def test_what_each_form_of_limit_reaches():
    bare = Limit(agencies=frozenset({"so-khcn"})).scope(BAC_KAN)
    # A secrets file written before plans: its ids hold in the default plan, and only there.
    assert dict(bare.plans) == {BAC_KAN: frozenset({"so-khcn"})}
    assert not bare.covers(LANG_SON) and bare.agencies(LANG_SON) == frozenset()
    # No default plan could be read: bare ids reach nothing (never the next plan in line).
    assert dict(Limit(agencies=frozenset({"so-khcn"})).scope(None).plans) == {}
    per_plan = Limit(plan_agencies={LANG_SON: frozenset({"so-khcn"})}).scope(BAC_KAN)
    assert dict(per_plan.plans) == {LANG_SON: frozenset({"so-khcn"})}
    listed = Limit(
        plans=frozenset({BAC_KAN, THAI_NGUYEN}),
        agencies=frozenset({"so-tc"}),
    ).scope(BAC_KAN)
    assert dict(listed.plans) == {BAC_KAN: frozenset({"so-tc"}), THAI_NGUYEN: frozenset({"so-tc"})}
    mixed = Limit(
        plans=frozenset({BAC_KAN, THAI_NGUYEN}),
        plan_agencies={BAC_KAN: frozenset({"so-tc"})},
    ).scope(BAC_KAN)
    # A listed plan no agency id narrows is written whole.
    assert dict(mixed.plans) == {BAC_KAN: frozenset({"so-tc"}), THAI_NGUYEN: None}


def test_a_plan_agency_names_its_plan_and_agency_or_is_refused():
    limit, why = Limit.parse([f"{LANG_SON}:so-khcn", "so-tc"])
    assert why is None
    assert limit == Limit(
        agencies=frozenset({"so-tc"}), plan_agencies={LANG_SON: frozenset({"so-khcn"})}
    )
    assert Limit.parse([":so-khcn"])[0] is None
    assert Limit.parse([f"{LANG_SON}:"])[0] is None
    limit, why = Limit.parse([f"{LANG_SON}:so-khcn"], [BAC_KAN])
    assert limit is None and LANG_SON in why


def test_a_scope_read_against_the_catalogue_names_its_plans_as_the_sidebar_does(repo_root):
    from kpis.catalogue import load_catalogue
    from kpis.scope import scope_in

    catalogue = load_catalogue(repo_root / "targets.yaml", repo_root / "plans")
    limit, _ = Limit.parse([f"{LANG_SON}:so-khcn"])
    scope = scope_in(limit, catalogue, repo_root / "targets.yaml")
    assert scope.label(LANG_SON, "en") == "147/KH-UBND · Lạng Sơn"
    assert (
        scope.label("thai-nguyen-57-2025", "en") == "Plan implementing Resolution 57 · Thái Nguyên"
    )
    assert scope.label("thai-nguyen-57-2025", "vi") == "KH thực hiện NQ 57 · Thái Nguyên"
    assert scope.label("removed-plan", "vi") == "removed-plan"  # not in the catalogue: its id
