"""kpis/cards.py: the overview's cards, counts and footnotes built from the shipped plan."""

from __future__ import annotations

import pandas as pd

from kpis.cards import Card, build_scorecard, status_counts
from kpis.dataset import load_dataset
from kpis.progress import assess, effective_series


def _scorecard(repo_root, as_of, lang="vi"):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    plan, table = dataset.plan, dataset.figures.table
    region = plan.plan.region
    rows = assess(plan, table, as_of=as_of, regions=[region])
    series = effective_series(plan, table)
    return plan, rows, build_scorecard(plan, table, series, rows, as_of, region, lang)


def test_every_target_is_one_card_in_its_group_and_counted_once(repo_root):
    plan, rows, card = _scorecard(repo_root, 2020)
    assert card.targets == len(rows)
    by_status = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    assert dict(card.counts) == by_status
    judged = [c for _, cards in card.groups for c in cards if not c.tracked]
    assert len(judged) == len(rows)
    assert [h for h, _ in card.groups] == [
        g for g in plan.groups if any((i.group or "") == g for i in plan.indicators)
    ]


def test_a_milestone_has_no_bar_and_a_quantity_has_its_progress(repo_root):
    plan, _, card = _scorecard(repo_root, 2020, "en")
    cards = {c.indicator: c for _, cs in card.groups for c in cs}
    assert not cards["hightech_agri_zone"].bar  # kind: milestone
    orgs = cards["public_st_orgs"]
    assert orgs.bar and orgs.bar_label.startswith("Progress: ") and orgs.target.startswith("Target")
    assert orgs.name == plan.indicator("public_st_orgs").name_en
    assert len(orgs.trend) >= 2


def test_footnotes_number_the_sources_of_the_latest_figures(repo_root):
    _, _, card = _scorecard(repo_root, 2020)
    marks = " ".join(c.latest for _, cs in card.groups for c in cs)
    for n, source in enumerate(card.footnotes, 1):
        assert f"[{n}]" in marks and source
    assert set(card.footnotes) <= set(card.sources)


def test_no_figures_at_all_means_every_target_without_a_latest_figure(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    plan = dataset.plan
    empty = dataset.figures.table.iloc[0:0]
    rows = assess(plan, empty, regions=[plan.plan.region])
    card = build_scorecard(
        plan,
        empty,
        pd.DataFrame(columns=["indicator", "region", "year", "value"]),
        rows,
        None,
        plan.plan.region,
        "en",
    )
    assert card.footnotes == () and card.sources == ()
    assert {c.latest for _, cs in card.groups for c in cs} == {"no figure yet"}
    assert card.counts == (("no_data", card.targets),)


def test_status_counts_follow_the_method_order():
    cards = [Card("a", "A", status="missed"), Card("b", "B", status="achieved"), Card("c", "C")]
    assert status_counts([card.status for card in cards]) == [("achieved", 1), ("missed", 1)]


def test_a_card_past_its_deadline_names_the_deadline_and_shows_the_latest_under_it(repo_root):
    """The review's example: as of 2024 the 2020 target's card read «14 doanh nghiệp · Năm
    2020» as the latest, beside a sparkline reaching 24."""
    for lang, deadline, later in (
        ("vi", "Số liệu năm hạn 2020", "Mới nhất năm 2024: 24 doanh nghiệp"),
        ("en", "At the 2020 deadline", "Latest in 2024: 24 enterprises"),
    ):
        _, _, card = _scorecard(repo_root, 2024, lang)
        cards = {c.indicator: c for _, cs in card.groups for c in cs}
        lines = [line.strip() for line in cards["enterprises_tech_innovation"].latest.split("\n")]
        assert lines[0] == f"**14 {'doanh nghiệp' if lang == 'vi' else 'enterprises'}**"
        assert lines[1].startswith(f"{deadline} [")  # and its source's footnote
        assert lines[2].startswith(f"{later} [")
        # a target whose year is ahead: its figure is the latest, under its year
        orgs = [c for c in card.groups[0][1] if c.indicator == "public_st_orgs"][-1]
        assert orgs.latest.split("\n")[1].startswith(f"{'Năm' if lang == 'vi' else 'Year'} 2024 [")


def test_a_folds_label_is_said_in_words_beside_its_symbols(repo_root):
    """The fold reads «✔ 1 ⚠ 1»; a screen reader hears the count cards' words instead."""
    for lang, first, fourth in [
        (
            "vi",
            "Tổ chức KH&CN, 2 mục tiêu: 1 đã đạt, 1 cần đẩy nhanh",
            "Đầu tư và cơ chế tài chính cho KH&CN, 1 mục tiêu: 1 chậm tiến độ; "
            "3 chỉ tiêu chỉ theo dõi",
        ),
        (
            "en",
            "S&T organisations, 2 targets: 1 achieved, 1 needs acceleration",
            "S&T investment and financing, 1 target: 1 off track; 3 tracked only",
        ),
    ]:
        _, _, card = _scorecard(repo_root, 2024, lang)
        assert card.labels[0].endswith("✔ 1 ⚠ 1")  # the symbols stay on screen
        assert card.spoken[0] == first
        assert card.spoken[3] == fourth
        assert len(card.spoken) == len(card.groups)


def test_each_detail_link_is_named_by_its_indicator_and_a_shared_name_by_its_year(repo_root):
    for lang, word in [("vi", "Chi tiết"), ("en", "Details")]:
        _, _, card = _scorecard(repo_root, 2024, lang)
        cards = [c for _, cs in card.groups for c in cs]
        links = [c.link for c in cards]
        assert len(set(links)) == len(links)
        assert all(
            link == f"{word}: {c.name}" or link.startswith(f"{word}: {c.name} (")
            for link, c in zip(links, cards, strict=True)
        )
        orgs = [c.link for c in cards if c.indicator == "public_st_orgs"]
        name = cards[[c.indicator for c in cards].index("public_st_orgs")].name
        assert orgs == [f"{word}: {name} (2020)", f"{word}: {name} (2030)"]
        tracked = next(c for c in cards if c.tracked)
        assert tracked.link == f"{word}: {tracked.name}"
