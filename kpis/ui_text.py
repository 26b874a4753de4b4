"""Words of the dashboard pages and charts (Vietnamese first, English beside), declared once.

Status words are not here: they are METHOD.md's, in `kpis.i18n.STATUS_STYLES`. This module
also owns the small phrasings built from plan objects that pages, charts and exports share:
a target in words ("≥ 3 tổ chức vào năm 2020"), a source summary, the illustrative test.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from kpis.i18n import (
    count_unit,
    fill,
    format_date,
    format_number,
    format_percent,
    pick,
    plan_text,
)
from kpis.plan import Indicator, Plan, PlanInfo, ReportingPeriod, Target
from kpis.progress import Assessment, effective_series

# key -> (Vietnamese, English). Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = {
    # navigation
    "app_title": ("Chỉ tiêu KH&CN", "S&T plan targets"),
    # every select box's placeholder (Streamlit's own is English: «Choose an option»)
    "choose": ("Chọn…", "Choose…"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_indicator": ("Chỉ tiêu", "Indicator"),
    "page_coverage": ("Số liệu", "Coverage"),
    "page_method": ("Phương pháp", "Method"),
    "page_data": ("Cập nhật số liệu", "Update figures"),
    "page_present": ("Trình chiếu", "Present"),
    "page_compare": ("So sánh", "Compare"),
    # sidebar
    "language": ("Ngôn ngữ", "Language"),
    "as_of": ("Tính đến năm", "As at year"),
    "as_of_help": (
        "Mọi con số được tính như tại kỳ đánh giá năm này",
        "Every number is computed as at the review of this year",
    ),
    "region": ("Địa bàn", "Region"),
    "unknown_plan": (
        "Không có kế hoạch «{id}»: đang hiện {plan}.",
        "There is no plan «{id}»: showing {plan}.",
    ),
    "unknown_as_of": (
        "Không có số liệu năm «{value}»: đang hiện số liệu tính đến năm {year}.",
        "There are no figures for the year «{value}»: showing the figures as at {year}.",
    ),
    # load errors
    "plan_error": (
        "Không đọc được tệp kế hoạch {file}. Sửa các lỗi dưới đây rồi tải lại trang.",
        "The plan file {file} could not be read. Fix the problems below, then reload the page.",
    ),
    "not_found": (
        "Không tìm thấy {what}: {path}. Kiểm tra đường dẫn (biến môi trường KPI_TARGETS / KPI_DATA).",
        "{what} not found: {path}. Check the path (environment variables KPI_TARGETS / KPI_DATA).",
    ),
    "internal_error": (
        "Trang gặp lỗi ngoài dự kiến và chưa hiển thị được. Thử tải lại trang; nếu vẫn lỗi, báo "
        "quản trị viên mã lỗi {reference} (chi tiết đã ghi vào nhật ký máy chủ).",
        "The page met an unexpected error and could not be shown. Reload the page; if it "
        "happens again, give the operator the reference {reference} (the details are in the "
        "server's log).",
    ),
    "what_plan": ("tệp kế hoạch", "Plan file"),
    "what_data": ("thư mục số liệu", "Data folder"),
    "read_error": (
        "Không đọc được {path}: {error}",
        "Could not read {path}: {error}",
    ),
    "problems_banner": (
        "Có {errors} lỗi trong số liệu: các số liệu sai bị bỏ qua, phần còn lại vẫn được tính. "
        "Xem chi tiết ở trang Số liệu.",
        "{errors} problems in the figures: wrong figures are left out, the rest are still "
        "counted. See the Coverage page.",
    ),
    "see_coverage": ("Xem danh sách lỗi", "See the problems"),
    "illustrative_notice": (
        'Số liệu minh họa: các số liệu có nguồn bắt đầu bằng "Minh họa" không phải số liệu '
        "báo cáo thực tế.",
        'Illustrative figures: figures whose source reads "Illustrative" are not reported figures.',
    ),
    "illustrative_source": (
        "Minh họa – không phải số liệu thực tế",
        "Illustrative – not a reported figure",
    ),
    "no_figures": (
        "Chưa có số liệu nào trong thư mục số liệu.",
        "There are no figures in the data folder yet.",
    ),
    # overview
    "plan_meta": ("Ban hành kèm theo {citation}", "Issued with {citation}"),
    "citation": (
        "{kind} số {document} ngày {date} của {issuer}",
        "{kind} No. {document} of {date} by {issuer}",
    ),
    "citation_words": ("{document} của {issuer}", "{document}, {issuer}"),
    "citation_words_dated": (
        "{document} ngày {date} của {issuer}",
        "{document} of {date}, {issuer}",
    ),
    "as_of_caption": (
        "Tình hình tính đến năm {year} · Địa bàn: {region}",
        "Position as at {year} · Region: {region}",
    ),
    "targets_count": ("{n} mục tiêu", "{n} targets"),
    "tracked_count": ("{n} chỉ tiêu chỉ theo dõi", "{n} tracked only"),
    "cards_page": ("Xem (trong số {n})", "Show (of {n})"),
    "col_target": ("Mục tiêu", "Target"),
    "col_latest": ("Số liệu mới nhất", "Latest figure"),
    "col_progress": ("Tiến độ", "Progress"),
    "col_status": ("Trạng thái", "Status"),
    "col_trend": ("Xu hướng", "Trend"),
    "details": ("Chi tiết", "Details"),
    # The same links as a screen reader's list of links names them: fourteen «Chi tiết» told
    # nothing apart. The target's year where an indicator has two cards.
    "details_of": ("Chi tiết: {name}", "Details: {name}"),
    "details_of_year": ("Chi tiết: {name} ({year})", "Details: {name} ({year})"),
    # A chart's accessible name (kpis.chart_alt): what the chart shows, in words
    "chart_alt": ("Biểu đồ: {name}", "Chart: {name}"),
    "chart_alt_illustrative": (
        "Số liệu minh họa, không phải số liệu báo cáo thực tế",
        "Illustrative figures, not reported figures",
    ),
    "chart_alt_latest": (
        "Số liệu mới nhất: {figure}, nguồn: {sources}",
        "Latest figure: {figure}, source: {sources}",
    ),
    "chart_alt_target": (
        "Mục tiêu: {target}, trạng thái: {status}",
        "Target: {target}, status: {status}",
    ),
    "chart_alt_table": (
        "Số liệu từng năm và nguồn: bảng «{title}» bên dưới",
        "Each year's figures and sources: the table “{title}” below",
    ),
    "no_group": ("Chỉ tiêu khác", "Other indicators"),
    "tracked_only": (
        "Chỉ theo dõi: kế hoạch không đặt mục tiêu",
        "Tracked only: the plan sets no target",
    ),
    "tracked_only_plan": (
        "Kế hoạch này không đặt mục tiêu định lượng: các chỉ tiêu dưới đây chỉ được theo dõi.",
        "This plan sets no quantified target: the indicators below are tracked only.",
    ),
    "latest_in": ("{value} (năm {year})", "{value} ({year})"),
    # The figure a target was judged on (kpis.shown.JudgedFigure): the latest, or, once the
    # target's year has passed and later figures came, the figure at that deadline.
    "figure_latest": ("Số liệu mới nhất", "Latest figure"),
    "figure_at_deadline": ("Số liệu năm hạn {deadline}", "At the {deadline} deadline"),
    "figure_by_deadline": ("Số liệu đến hạn {deadline}", "Up to the {deadline} deadline"),
    "figure_in": ("{value} ({year})", "{value} ({year})"),
    "figure_at_deadline_in": ("{value} (năm hạn {deadline})", "{value} ({deadline} deadline)"),
    "figure_by_deadline_in": (
        "{value} ({year}, hạn {deadline})",
        "{value} ({year}; deadline {deadline})",
    ),
    "figure_later": ("mới nhất năm {year}: {value}", "latest in {year}: {value}"),
    # version 2: a year whose figures cover a reporting period (kpis.plan.ReportingPeriod)
    "figure_later_period": ("mới nhất ({period}): {value}", "latest ({period}): {value}"),
    "period_years": ("năm {years}", "{years}"),
    "period_first_months": (
        "{months} tháng đầu năm {year}",
        "the first {months} months of {year}",
    ),
    "period_first_half": ("6 tháng đầu năm {year}", "the first half of {year}"),
    "period_and": ("{years} và {part}", "{years} and {part}"),
    "period_months": ("từ tháng {start} đến tháng {end}", "from {start} to {end}"),
    "period_days": ("từ ngày {start} đến ngày {end}", "from {start} to {end}"),
    "no_latest": ("chưa có số liệu", "no figure yet"),
    # A dated target's progress (METHOD.md step 4) is the share of the way from the baseline
    # to the goal, not the value over the goal: 27 tasks against "more than 25" from 24 in
    # 2024 is 300%, and read bare it looked like triple the target.
    "progress_from": (
        "{share} quãng đường từ năm gốc {year} đến mục tiêu",
        "{share} of the way from the {year} baseline to the target",
    ),
    # A strict bound ("trên 80%") reached but not passed: progress is 100% and the target is
    # not met, so the words say the way ends at the bound and what is still missing.
    "progress_at_bound_min": (
        "{share} quãng đường từ năm gốc {year} đến mức {bound}, nhưng chưa vượt mức này",
        "{share} of the way from the {year} baseline to {bound}, but not yet above it",
    ),
    "progress_at_bound_max": (
        "{share} quãng đường từ năm gốc {year} đến mức {bound}, nhưng chưa xuống dưới mức này",
        "{share} of the way from the {year} baseline to {bound}, but not yet below it",
    ),
    "progress_at_bound_rank": (
        "{share} quãng đường từ năm gốc {year} đến {bound}, nhưng chưa lên cao hơn",
        "{share} of the way from the {year} baseline to {bound}, but not yet higher",
    ),
    "progress_beyond_band": (
        "{share} quãng đường từ năm gốc {year} đến mức {bound}, đã ra ngoài khoảng mục tiêu",
        "{share} of the way from the {year} baseline to {bound}, now past the target's band",
    ),
    # The same in a narrow table cell (the scorecard of slides, /present and the report); the
    # table's heading or footnote says what the share is of.
    "progress_from_short": ("{share} từ năm gốc {year}", "{share} from the {year} baseline"),
    "progress_at_bound_min_short": ("bằng {bound}, chưa vượt", "at {bound}, not yet above"),
    "progress_at_bound_max_short": (
        "bằng {bound}, chưa xuống dưới",
        "at {bound}, not yet below",
    ),
    "progress_at_bound_rank_short": (
        "bằng {bound}, chưa lên cao hơn",
        "at {bound}, not yet higher",
    ),
    "progress_beyond_band_short": ("đã ra ngoài khoảng mục tiêu", "past the target's band"),
    "standing_years": ("đạt {met}/{total} năm", "met in {met} of {total} years"),
    "standing_no_year": ("chưa năm nào đạt", "not met in any year"),
    "each_year_span": ("mỗi năm {span}", "every year {span}"),
    "over_span": ("giai đoạn {span}", "over {span}"),
    # version 2: the new forms in words
    "region_merged": (
        "{name} (đến {until}, nay thuộc {into})",
        "{name} (until {until}, now part of {into})",
    ),
    "region_until": ("{name} (đến {until})", "{name} (until {until})"),
    # a target due in or after the year a region ended, with no figure to judge it by
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "not_applicable_note": (
        "Không áp dụng: địa bàn đã sáp nhập hoặc thôi tồn tại trong năm của mục tiêu và không "
        "có số liệu để đánh giá; không tính vào số mục tiêu đã đạt.",
        "Not applicable: the region was merged or ceased to exist in the target's year and has "
        "no figure to judge it by; not counted among the targets achieved.",
    ),
    # an overview card's figure where the target does not apply (kpis.shown.not_applicable)
    "not_applicable_card": (
        "Địa bàn đã sáp nhập trong năm của mục tiêu, không có số liệu để đánh giá",
        "The region was merged in the target's year; no figure to judge it by",
    ),
    "estimate_mark": ("(ước)", "(estimate)"),
    # after a status judged on a figure marked as an estimate: «Không đạt» alone, from a
    # full-year estimate, read as the year's reported result
    "on_estimate": ("(theo số ước)", "(on the estimate)"),
    "growth_so_far": (
        "bình quân {rate}%/năm so với {asked}%/năm",
        "average {rate}% a year against {asked}% a year",
    ),
    "mean_so_far": (
        "bình quân {mean} ({years} năm: {span})",
        "average {mean} ({years} years: {span})",
    ),
    "rank_value": ("hạng {rank}", "rank {rank}"),
    "rank_top": ("trong top {top}", "in the top {top}"),
    "more_than": ("trên", "more than"),
    "less_than": ("dưới", "less than"),
    "sources_title": ("Nguồn số liệu", "Sources of the figures"),
    # indicator page
    "choose_indicator": ("Chỉ tiêu", "Indicator"),
    "unknown_indicator": (
        "Không có chỉ tiêu mã «{id}» trong kế hoạch: đang hiện chỉ tiêu đầu tiên.",
        "The plan has no indicator «{id}»: showing the first indicator.",
    ),
    "headline_target": ("Mục tiêu", "Target"),
    "headline_progress": ("Tiến độ", "Progress"),
    "headline_expected": ("Tiến độ cần có", "Expected by now"),
    "headline_projected": ("Dự báo", "Projected"),
    "help_progress": (
        "Phần quãng đường từ năm gốc đến mục tiêu đã đi được: (số mới nhất − số năm gốc) ÷ "
        "(mục tiêu − số năm gốc). Trên 100% là đã đi quá mục tiêu, không phải gấp mấy lần mục "
        "tiêu; với mục tiêu «trên»/«dưới», 100% chỉ là bằng mức đó, chưa đạt.",
        "Share of the way from the baseline to the target already covered: (latest − baseline) "
        "÷ (target − baseline). Above 100% means past the target, not a multiple of it; for a "
        "«more than»/«less than» target, 100% only reaches the bound and does not meet it.",
    ),
    "help_expected": (
        "Phần quãng đường mà một đường thẳng từ năm gốc đến mục tiêu lẽ ra đã đi tới năm {year}",
        "Share of the way a straight path from the baseline would have covered by {year}",
    ),
    "help_projected": (
        "Giá trị của đường xu hướng (bình phương nhỏ nhất) tại năm mục tiêu",
        "Value of the trend line (least squares) in the target year",
    ),
    "target_n": ("Mục tiêu {n}: {words}", "Target {n}: {words}"),
    "unit_line": ("Đơn vị: {unit}", "Unit: {unit}"),
    "figures_title": ("Số liệu và nguồn", "Figures and sources"),
    "col_year": ("Năm", "Year"),
    "col_period": ("Kỳ báo cáo", "Reporting period"),
    "col_value": ("Giá trị", "Value"),
    "col_reported": ("Số liệu báo cáo", "Reported figure"),
    "col_effective": ("Giá trị tính", "Value used"),
    "col_source": ("Nguồn", "Source"),
    "col_note": ("Ghi chú", "Note"),
    "no_note": ("(trống)", "(empty)"),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_region": ("Địa bàn", "Region"),
    "clause": ("Căn cứ", "Where the plan says it"),
    "responsible": ("Cơ quan chủ trì", "Lead agency"),
    "notes": ("Ghi chú của kế hoạch", "Notes from the plan"),
    "download_csv": ("Tải CSV của chỉ tiêu", "Download this indicator as CSV"),
    "derived_from": (
        "Chỉ tiêu tính từ công thức: {formula}",
        "Computed by the formula: {formula}",
    ),
    "cumulative_from": (
        "Cộng dồn số liệu từng năm kể từ năm {year}",
        "Yearly figures added up from {year}",
    ),
    "no_target": (
        "Chỉ tiêu này không có mục tiêu định lượng: chỉ theo dõi số liệu.",
        "This indicator has no quantified target: its figures are tracked only.",
    ),
    "no_series": ("Chưa có số liệu cho chỉ tiêu này.", "No figures for this indicator yet."),
    # chart
    "chart_series": ("Số liệu", "Figures"),
    "chart_met_year": ("Năm đạt mục tiêu", "Year target met"),
    "chart_estimate": ("Số ước", "Estimate"),
    "chart_expected": (
        "Tiến độ cần có (đường thẳng từ năm gốc)",
        "Expected path (straight from the baseline)",
    ),
    # a phone's legend (kpis.charts.ChartSize.brief): how the path is drawn is in its hover
    "chart_expected_brief": ("Tiến độ cần có", "Expected path"),
    "chart_projection": ("Dự báo theo xu hướng", "Trend projection"),
    "chart_projection_brief": ("Dự báo {year}", "Projection {year}"),
    "chart_projection_label": (
        "Dự báo {year}: {value} – {status}",
        "Projected {year}: {value} – {status}",
    ),
    "chart_target": ("Mục tiêu", "Target"),
    "chart_baseline": ("Năm gốc {year}: {value}", "Baseline {year}: {value}"),
    "chart_unit_asof": (
        "Đơn vị: {unit} · {region} · Số liệu tính đến năm {year}",
        "Unit: {unit} · {region} · Figures as at {year}",
    ),
    "chart_source": ("Nguồn: {sources}", "Source: {sources}"),
    "chart_plan": ("Mục tiêu: {document}", "Targets: {document}"),  # document_dated
    "chart_plan_tracked": ("Kế hoạch: {document}", "Plan: {document}"),
    "milestone_done": ("Đã xong", "Done"),
    "milestone_not_done": ("Chưa", "Not yet"),
    "source_missing": ("không ghi nguồn", "source not given"),
    # the parts of one document the figures come from, said once: «…, mục A.I.1.1, A.I.2»
    "source_part": ("{document}, mục {parts}", "{document}, section {parts}"),
    "source_parts": ("{document}, mục {parts}", "{document}, sections {parts}"),
    # coverage
    "coverage_title": ("Tình trạng số liệu", "Coverage of the figures"),
    "coverage_matrix": (
        "Chỉ tiêu có số liệu năm nào",
        "Which indicator has figures for which year",
    ),
    "coverage_legend": (
        "● có số liệu · ◇ số liệu minh họa · ∑ tính từ chỉ tiêu khác · trống: chưa có",
        "● figure · ◇ illustrative figure · ∑ computed from other indicators · blank: none",
    ),
    "missing_title": ("Còn thiếu cho năm {year}", "Still missing for {year}"),
    "missing_none": ("Đủ số liệu cho năm {year}.", "Every indicator has a figure for {year}."),
    "illustrative_title": ("Số liệu minh họa", "Illustrative figures"),
    "illustrative_note": ("Minh họa", "Illustrative"),
    "illustrative_count": (
        "{n} trên {total} số liệu là số liệu minh họa (không phải số liệu báo cáo thực tế).",
        "{n} of {total} figures are illustrative (not reported figures).",
    ),
    "illustrative_none": ("Không có số liệu minh họa.", "No illustrative figures."),
    "problems_title": ("Lỗi và cảnh báo", "Problems and warnings"),
    "problems_none": (
        "Không có lỗi nào trong tệp kế hoạch và số liệu.",
        "No problems in the plan or the figures.",
    ),
    "col_place": ("Vị trí", "Place"),
    "col_message": ("Nội dung", "Message"),
    "col_severity": ("Mức", "Severity"),
    "severity_error": ("lỗi", "error"),
    "severity_warning": ("cảnh báo", "warning"),
    "files_read": ("Đã đọc {n} tệp: {files}", "Read {n} files: {files}"),
    "make_deck": ("Tạo bài trình chiếu (PowerPoint)", "Make the slides (PowerPoint)"),
    "make_report": ("Tạo báo cáo (Word)", "Make the report (Word)"),
    "making": ("Đang chuẩn bị…", "Getting ready…"),
    "making_chart": ("Đang vẽ biểu đồ {done}/{total}…", "Drawing chart {done} of {total}…"),
    "making_file": ("Đang ghép tệp…", "Putting the file together…"),
    "read_from": ("Kế hoạch: {plan} · số liệu: {data}", "Plan: {plan} · figures: {data}"),
    "sidebar_plan": ("Kế hoạch {document} · {issuer}", "Plan {document} · {issuer}"),
    "sidebar_plan_words": ("{document} · {issuer}", "{document} · {issuer}"),
    # method
    "method_title": ("Phương pháp đánh giá", "How progress is judged"),
    "method_intro": (
        "Mỗi mục tiêu được đánh giá theo cùng một cách, giống phương pháp mà các tổ chức theo "
        "dõi Mục tiêu phát triển bền vững (SDG) sử dụng (ESCAP của Liên Hợp Quốc, Thống kê "
        "Canada): so sánh quãng đường đã đi từ năm gốc với quãng đường cần đi, và kéo dài xu "
        "hướng của số liệu đến năm mục tiêu. Cách tính là tuyến tính (đường thẳng), vì các chỉ "
        "tiêu ở đây thường là những số đếm nhỏ, nhiều khi bắt đầu từ 0.",
        "Every target is judged the same way, as bodies monitoring the Sustainable Development "
        "Goals do (UN ESCAP, Statistics Canada): the distance travelled from the baseline is "
        "compared with the distance to go, and the trend of the figures is extended to the "
        "target year. It is linear (straight lines), because the indicators here are mostly "
        "small counts that often start at zero.",
    ),
    "method_terms": ("Các khái niệm", "The terms"),
    "method_terms_body": (
        "- **Năm gốc**: năm và giá trị xuất phát — do kế hoạch ghi, hoặc số liệu sớm nhất "
        "(chỉ tiêu cộng dồn: năm trước năm bắt đầu cộng, giá trị 0).\n"
        "- **Tiến độ**: phần quãng đường từ giá trị năm gốc đến mục tiêu mà số liệu mới nhất "
        "đã đi được: (mới nhất − gốc) ÷ (mục tiêu − gốc).\n"
        "- **Tiến độ cần có**: phần quãng đường mà một đường thẳng từ năm gốc đến năm mục tiêu "
        "lẽ ra đã đi được tới năm của số liệu mới nhất: (năm mới nhất − năm gốc) ÷ "
        "(năm mục tiêu − năm gốc).\n"
        "- **Dự báo**: kéo dài đường thẳng khớp nhất (bình phương nhỏ nhất) qua điểm năm gốc và "
        "các số liệu đến nay tới năm mục tiêu. Tiến độ dự báo là phần quãng đường mà giá trị "
        "dự báo sẽ đạt.\n"
        "- **Tính đến năm**: mọi con số được tính chỉ với số liệu đến năm đó, như tại kỳ "
        "đánh giá năm đó.",
        "- **Baseline**: the starting year and value — given by the plan, else the earliest "
        "figure (cumulative indicators: the year before counting starts, value 0).\n"
        "- **Progress**: the share of the way from the baseline value to the target that the "
        "latest figure has covered: (latest − baseline) ÷ (target − baseline).\n"
        "- **Expected**: the share of the way a straight path from the baseline year to the "
        "target year would have covered by the latest figure's year: (latest year − baseline "
        "year) ÷ (target year − baseline year).\n"
        "- **Projected**: the best-fitting straight line (least squares) through the baseline "
        "and the figures so far, extended to the target year. Projected progress is the share "
        "of the way the projected value would cover.\n"
        "- **As at year**: every number is computed only from figures up to that year, as at "
        "that year's review.",
    ),
    "method_statuses": ("Các trạng thái", "The statuses"),
    "method_status_rule": (
        "Trạng thái là điều đầu tiên đúng trong danh sách sau (ngưỡng 95% và 50% của tiến độ "
        "dự báo):",
        "The status is the first of these that applies (thresholds 95% and 50% of projected "
        "progress):",
    ),
    "meaning_achieved": (
        "Số liệu mới nhất đã đạt mục tiêu.",
        "The latest figure meets the target.",
    ),
    "meaning_missed": (
        "Đã đến hoặc qua năm mục tiêu mà số liệu chưa đạt.",
        "The target year has come and the figure does not meet the target.",
    ),
    "meaning_pending": (
        "Một mốc (việc phải hoàn thành) chưa xong, năm mục tiêu chưa đến.",
        "A milestone not done yet, before its target year.",
    ),
    "meaning_insufficient_data": (
        "Chỉ có một điểm số liệu: chưa vẽ được xu hướng.",
        "Only one point: no trend can be drawn yet.",
    ),
    "meaning_on_track": (
        "Theo xu hướng, đến năm mục tiêu sẽ đi được ít nhất 95% quãng đường.",
        "On its trend it will cover at least 95% of the way by the target year.",
    ),
    "meaning_needs_acceleration": (
        "Theo xu hướng, chỉ đi được từ 50% đến dưới 95% quãng đường.",
        "On its trend it will cover 50% to under 95% of the way.",
    ),
    "meaning_off_track": (
        "Theo xu hướng, đi được dưới 50% quãng đường (chỉ tiêu thường xuyên: năm gần nhất "
        "chưa đạt).",
        "On its trend it will cover under 50% of the way (standing target: the latest year "
        "is not met).",
    ),
    "meaning_regressing": (
        "Xu hướng đi ngược chiều mục tiêu.",
        "The trend moves away from the target.",
    ),
    "meaning_no_data": ("Chưa có số liệu nào cho chỉ tiêu.", "No figure for the indicator yet."),
    "method_standing": ("Chỉ tiêu thường xuyên (mỗi năm)", "Standing targets (every year)"),
    "method_standing_body": (
        "Một chỉ tiêu phải đạt mỗi năm trong một giai đoạn (ví dụ ≥ 1,5% mỗi năm 2016–2030) "
        "không có dự báo. Trạng thái theo năm gần nhất: đạt thì **Đã đạt**, chưa đạt thì "
        "**Chậm tiến độ**, hết giai đoạn mà chưa đạt thì **Không đạt**. Tiến độ là tỷ lệ số "
        "năm đã đạt.",
        "A target to be met every year of a period (e.g. ≥ 1.5% every year 2016–2030) has no "
        "projection. Its status follows the latest year: met is **Achieved**, not met is "
        "**Off track**, and after the period **Missed**. Its progress is the share of years "
        "met.",
    ),
    "method_approx": (
        'Mục tiêu "khoảng" (ví dụ khoảng 20) được coi là đạt từ 95% giá trị (19).',
        'An "about" target (e.g. about 20) counts as met from 95% of it (19).',
    ),
    "method_example": (
        "Ví dụ tính từ số liệu của kế hoạch",
        "A worked example from the plan's own figures",
    ),
    "method_example_intro": (
        "Chỉ tiêu **{name}**, mục tiêu {words}, tính đến năm {as_of}:",
        "Indicator **{name}**, target {words}, as at {as_of}:",
    ),
    "method_example_body": (
        "1. Năm gốc {b_year}: {b_value}. Số liệu mới nhất: năm {l_year}, {l_value}. "
        "Mục tiêu: {goal}.\n"
        "2. Tiến độ = ({l_num} − {b_num}) ÷ ({g_num} − {b_num}) = **{progress}**.\n"
        "3. Tiến độ cần có = ({l_year} − {b_year}) ÷ ({t_year} − {b_year}) = **{expected}**.\n"
        "4. Đường xu hướng qua {n} điểm ({points}) cho giá trị năm {t_year} là "
        "**{projected}**, tức tiến độ dự báo ({p_num} − {b_num}) ÷ ({g_num} − {b_num}) = "
        "**{pp}**.\n"
        "5. Vì vậy trạng thái là **{status}**.",
        "1. Baseline {b_year}: {b_value}. Latest figure: {l_year}, {l_value}. Target: {goal}.\n"
        "2. Progress = ({l_num} − {b_num}) ÷ ({g_num} − {b_num}) = **{progress}**.\n"
        "3. Expected = ({l_year} − {b_year}) ÷ ({t_year} − {b_year}) = **{expected}**.\n"
        "4. The trend line through {n} points ({points}) gives **{projected}** in {t_year}, a "
        "projected progress of ({p_num} − {b_num}) ÷ ({g_num} − {b_num}) = **{pp}**.\n"
        "5. So the status is **{status}**.",
    ),
    "method_no_example": (
        "Chưa có mục tiêu nào có đủ số liệu để làm ví dụ tính dự báo.",
        "No target has enough figures yet for a worked projection example.",
    ),
    "method_status_rule_pp": ("tiến độ dự báo", "projected progress"),
    # version 2: the three new forms, each worked through on the dashboard's own figures
    "method_v2": (
        "Ba dạng mục tiêu mới: «trên», tăng bình quân, bình quân giai đoạn",
        "Three newer forms: «more than», average growth, period average",
    ),
    "method_v2_intro": (
        "Ba dạng mục tiêu mà các kế hoạch năm 2025 thực hiện Nghị quyết 57-NQ/TW đặt ra: một cận "
        "chặt như **«trên 80%»** (cách viết của bản tin về kế hoạch của Thái Nguyên; đúng 80% thì "
        "chưa đạt), một mức **tăng bình quân mỗi năm** trong một giai đoạn, ví dụ 7%/năm giai "
        "đoạn 2026-2030 (được đổi thành mức mà tốc độ đó hàm ý cho năm cuối, rồi tính như một "
        "mục tiêu có năm) và một mức **bình quân giai đoạn**, ví dụ 8-10% (trung bình các năm đã "
        "có; chưa hết giai đoạn thì là Đúng tiến độ hoặc Chậm tiến độ, hết giai đoạn thì Đã đạt "
        "hoặc Không đạt). Hai con số ví dụ là giả định. Một thứ hạng (hạng 1 là cao nhất) được "
        "vẽ với trục đảo ngược, hạng 1 ở trên cùng.",
        "Three forms of target that plans adopted in 2025 under Resolution 57-NQ/TW set: a strict "
        "bound such as **«more than 80%»** (as the news report of Thái Nguyên's plan words it; "
        "exactly 80% is not enough), an **average yearly growth** over a period, say 7% a year "
        "over 2026-2030 (turned into the level that rate implies for the last year, then judged "
        "as a dated target) and a **period average**, say 8-10% (the mean of the years so far; "
        "before the period ends it is On track or Off track, after it Achieved or Missed). The "
        "two example numbers are assumed. A rank (1 is the top) is drawn on a reversed axis, "
        "rank 1 at the top.",
    ),
    "method_v2_assumed": (
        "Ví dụ giả định: kế hoạch không có mục tiêu này; số liệu là số liệu của kế hoạch. ",
        "An assumed example: the plan sets no such target; the figures are the plan's. ",
    ),
    "method_v2_assumed_illustrative": (
        "Ví dụ giả định: kế hoạch không có mục tiêu này; số liệu là số liệu minh họa đã lưu "
        "(không phải số liệu báo cáo thực tế). ",
        "An assumed example: the plan sets no such target; the figures are the illustrative "
        "ones saved (not reported figures). ",
    ),
    "method_v2_illustrative": (
        "Số liệu minh họa (không phải số liệu báo cáo thực tế). ",
        "Illustrative figures (not reported figures). ",
    ),
    "method_v2_exclusive": (
        "**{name}**, mục tiêu «{words}». Số liệu năm {l_year}: {l_value}. «Trên» là lớn hơn "
        "hẳn, nên đúng bằng {bound} là chưa đạt: **{status}**.",
        "**{name}**, target «{words}». The {l_year} figure: {l_value}. «More than» is strict, "
        "so exactly {bound} does not meet it: **{status}**.",
    ),
    "method_v2_growth": (
        "**{name}**, mục tiêu «{words}». Năm gốc {y0}: {v0}. Mức mà {rate}%/năm hàm ý cho năm "
        "{to} là {v0_num} × (1 + {rate}%)^{n} = **{goal}**. Năm {l_year}: {l_value}, tức "
        "**{pace}**. Tiến độ = ({l_num} − {v0_num}) ÷ ({g_num} − {v0_num}) = **{progress}**; "
        "đường xu hướng cho năm {to}: {projected}. Trạng thái: **{status}**.",
        "**{name}**, target «{words}». Base year {y0}: {v0}. The level {rate}% a year implies "
        "for {to} is {v0_num} × (1 + {rate}%)^{n} = **{goal}**. In {l_year}: {l_value}, that "
        "is **{pace}**. Progress = ({l_num} − {v0_num}) ÷ ({g_num} − {v0_num}) = "
        "**{progress}**; the trend line gives {projected} for {to}. Status: **{status}**.",
    ),
    "method_v2_period": (
        "**{name}**, mục tiêu «{words}». Các năm đã có: {points}. Trung bình = **{mean}** "
        "({years} năm), so với {bound}. {when} Trạng thái: **{status}**; {met} năm tự đạt mức đó.",
        "**{name}**, target «{words}». The years so far: {points}. Mean = **{mean}** "
        "({years} years), against {bound}. {when} Status: **{status}**; {met} of the years "
        "meet it on their own.",
    ),
    "method_v2_period_open": (
        "Giai đoạn chưa kết thúc nên trung bình chưa phải kết quả cuối cùng.",
        "The period has not ended, so the mean is not final.",
    ),
    "method_v2_period_closed": ("Giai đoạn đã kết thúc.", "The period has ended."),
    "method_v2_none": (
        "Số liệu của kế hoạch này chưa đủ để tính ví dụ cho các dạng này.",
        "This plan's figures are not enough yet to work these forms through.",
    ),
}

# Issue 16: agencies and tasks (pages /agency, /tasks; the overview's and /coverage's lines).
TEXT.update(
    {
        "page_agency": ("Cơ quan", "Agency"),
        "page_tasks": ("Nhiệm vụ", "Tasks"),
        "no_agencies": (
            "Kế hoạch này chưa nêu các cơ quan thực hiện.",
            "This plan names no agencies.",
        ),
        "choose_agency": ("Cơ quan", "Agency"),
        "unknown_agency": (
            "Không có cơ quan «{id}» trong kế hoạch: đang hiện cơ quan đầu tiên.",
            "There is no agency «{id}» in the plan: showing the first one.",
        ),
        "agency_indicators": ("Chỉ tiêu do cơ quan báo cáo", "Indicators it reports"),
        "agency_no_indicators": (
            "Cơ quan này không báo cáo chỉ tiêu nào.",
            "This agency reports no indicator.",
        ),
        "agency_owed": ("Số liệu còn nợ cho năm {year}", "Figures still owed for {year}"),
        "agency_owed_none": (
            "Đã có đủ số liệu năm {year} của cơ quan.",
            "Every figure of {year} is in.",
        ),
        "agency_tasks": ("Nhiệm vụ được giao", "Tasks assigned"),
        "agency_no_tasks": ("Cơ quan này không chủ trì nhiệm vụ nào.", "It leads no task."),
        "tasks_count_line": ("Nhiệm vụ: {summary}", "Tasks: {summary}"),
        "tasks_as_of": ("tính đến ngày {date}", "as of {date}"),
        "tasks_title": ("Nhiệm vụ của kế hoạch", "The plan's tasks"),
        "tasks_none": (
            "Kế hoạch này chưa có danh sách nhiệm vụ.",
            "This plan lists no tasks.",
        ),
        "tasks_overdue_title": ("Nhiệm vụ quá hạn", "Overdue tasks"),
        "tasks_none_reported": (
            # one line on the deck's tasks slides, under the counts (tests/test_deck.py)
            "Chưa có báo cáo tiến độ nhiệm vụ nào: nhiệm vụ quá hạn là quá thời hạn, chưa được "
            "đơn vị báo cáo.",
            "No task progress reported yet: overdue here means past the deadline, not reported "
            "by the agencies.",
        ),
        "tasks_none_reported_short": (
            "Chưa có báo cáo tiến độ nhiệm vụ nào.",
            "No task progress reported yet.",
        ),
        "tasks_overdue_none": ("Không có nhiệm vụ quá hạn.", "No task is overdue."),
        "tasks_filter_agency": ("Cơ quan chủ trì", "Lead agency"),
        "tasks_filter_state": ("Trạng thái", "State"),
        "tasks_only_overdue": ("Chỉ nhiệm vụ quá hạn", "Overdue only"),
        "tasks_filter_all": ("Tất cả", "All"),
        "col_task": ("Nhiệm vụ", "Task"),
        "col_agency": ("Cơ quan chủ trì", "Lead agency"),
        "col_deadline": ("Thời hạn", "Deadline"),
        "col_state": ("Trạng thái", "State"),
        # The date the progress file gives the task's state, not the time it was saved.
        "col_progress_date": ("Ngày cập nhật tiến độ", "Progress date"),
        "col_evidence": ("Căn cứ", "Evidence"),
        "col_overdue": ("Quá hạn", "Overdue"),
        "col_clause": ("Mục", "Clause"),
        "col_status": ("Trạng thái mục tiêu", "Target statuses"),
        "col_missing": ("Còn thiếu", "Missing"),
        "missing_figure": ("✖ còn thiếu số liệu", "✖ figure missing"),
        "deadline_inferred": ("(suy ra)", "(inferred)"),
        "overdue_mark": ("quá hạn", "overdue"),
        "no_agency": ("Chưa giao cơ quan", "No agency"),
        "missing_by_agency": (
            "Còn thiếu năm {year}, theo cơ quan",
            "Missing for {year}, by agency",
        ),
        "tasks_update": ("Cập nhật tiến độ nhiệm vụ", "Update task progress"),
        "tasks_sign_in": (
            "Đăng nhập ở trang «Cập nhật số liệu» để cập nhật tiến độ.",
            "Sign in on the «Update figures» page to update progress.",
        ),
        "tasks_template": (
            "Tải tiến độ hiện tại (.csv) để điền",
            "Current progress (.csv) to fill in",
        ),
        # The file uploader's own button and hint (ui.widgets.file_uploader), on /data and /tasks.
        "upload_button": ("Tải lên", "Upload"),
        # a chosen file's remove button, named «Xoá tệp <file name>» (ui.widgets.LANGUAGE_JS)
        "upload_remove": ("Xoá tệp", "Remove"),
        "upload_limit": ("Tối đa {mb} MB mỗi tệp • {types}", "At most {mb} MB per file • {types}"),
        "tasks_upload": (
            "Chọn tệp tiến độ nhiệm vụ (.xlsx, .csv)",
            "Choose a task progress file (.xlsx, .csv)",
        ),
        "tasks_upload_help": (
            "Các cột: nhiệm vụ, trạng thái, ngày, căn cứ, ghi chú (mẫu ở trên).",
            "Columns: task, state, date, evidence, note (see the template above).",
        ),
        "tasks_preview": ("Xem trước thay đổi", "Preview changes"),
        "tasks_save": ("Lưu tiến độ", "Save progress"),
        "tasks_saved": ("Đã lưu: {summary}.", "Saved: {summary}."),
        "tasks_problems": (
            "Có {n} lỗi: sửa tất cả rồi xem trước lại. Chưa có gì được lưu.",
            "{n} errors: fix them all and preview again. Nothing has been saved.",
        ),
        "tasks_will": ("Sẽ {summary}.", "Will be: {summary}."),
        "tasks_check_dates": (
            "{n} ô cần kiểm tra (ngày, căn cứ hoặc ghi chú): xem từng dòng dưới đây. Nếu đúng như "
            "vậy, đánh dấu «Tôi đã kiểm tra» rồi lưu; nếu không, sửa tệp rồi xem trước lại.",
            "{n} cells to check (dates, evidence or notes): read each one below. If they are "
            "right as they are, tick «I have checked» and save; if not, correct the file and "
            "preview again.",
        ),
        "tasks_accept": ("Tôi đã kiểm tra các ô trên", "I have checked the cells above"),
        # Under an unticked «Tôi đã kiểm tra» box, on /data and /tasks (widgets.accept_warnings).
        "accept_first": (
            "Đánh dấu «Tôi đã kiểm tra» để lưu.",
            "Tick «I have checked» to save.",
        ),
        "tasks_nothing": (
            "Không có gì thay đổi so với tiến độ đã lưu.",
            "Nothing differs from the saved progress.",
        ),
        "tasks_conflict": (
            "Tiến độ đã bị thay đổi từ lúc xem trước: chưa lưu gì. Xem trước lại.",
            "The progress changed since the preview: nothing was saved. Preview again.",
        ),
        "tasks_busy": (
            "Một lượt lưu khác đang chạy: thử lại sau ít phút.",
            "Another save is running: try again in a few minutes.",
        ),
        "tasks_undo_where": (
            "Hoàn tác một lượt lưu ở trang «Cập nhật số liệu» (Lịch sử thay đổi).",
            "Undo a save on the «Update figures» page (History of changes).",
        ),
        "template_agencies": (
            "Mẫu nhập chỉ gồm các chỉ tiêu tài khoản này được ghi: {names}",
            "The template holds only the indicators this account may write: {names}",
        ),
        "tasks_template_agencies": (
            "Tệp tiến độ chỉ gồm các nhiệm vụ tài khoản này được ghi: {names} ({n} nhiệm vụ)",
            "The progress file holds only the tasks this account may write: {names} ({n} tasks)",
        ),
        "tasks_template_none": (
            "{names} không chủ trì nhiệm vụ nào của kế hoạch này: tài khoản này không có tiến độ "
            "nhiệm vụ để cập nhật.",
            "{names} lead no task of this plan: this account has no task progress to update.",
        ),
        "editor_agencies": (
            "Tài khoản chỉ ghi cho: {names}",
            "This account writes only for: {names}",
        ),
        "col_old": ("Cũ", "Old"),
        "col_new": ("Mới", "New"),
        "tasks_advice": (
            "{n} cảnh báo (không chặn việc lưu), như nhiệm vụ đã hoàn thành mà chưa ghi căn cứ: "
            "đọc từng dòng dưới đây; bổ sung vào tệp rồi xem trước lại, hoặc lưu nếu đã biết.",
            "{n} warnings (they do not block saving), such as a task done without evidence: "
            "read each one below; add to the file and preview again, or save if you know.",
        ),
        "sign_in_link": ("Đăng nhập", "Sign in"),
        "account_ended": (
            "Tài khoản của bạn đã thay đổi hoặc bị xoá: đăng nhập lại.",
            "Your account has changed or been removed: sign in again.",
        ),
        "see_tasks": ("Xem các nhiệm vụ", "See the tasks"),
        "tasks_help": (
            "Nhiệm vụ quá hạn: đã qua thời hạn mà chưa hoàn thành, chưa huỷ, không phải việc "
            "ngoài phạm vi của tỉnh.",
            "Overdue: past the deadline and not done, cancelled or outside the province's remit.",
        ),
    }
)

# Streamlit's and Plotly's own controls name themselves in English whatever the page's language
# (a Vietnamese voice misread "Zoom out", "Expand sidebar", "Open"): their English names, as
# the browser shows them, and ours. ui.widgets.LANGUAGE_JS renames them on a Vietnamese page
# and back on an English one. A name missing here stays English: Streamlit or Plotly changed
# its words (tests/browser/test_screen_reader_names.py lists the ones a page shows).
CONTROL_NAMES_VI: dict[str, str] = {
    # the chart's modebar (Plotly): its buttons' names and hover tips
    "Download plot as a PNG": "Tải biểu đồ về (PNG)",
    "Zoom": "Phóng to vùng chọn",
    "Pan": "Kéo để dịch biểu đồ",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Reset axes": "Đặt lại trục",
    "Autoscale": "Tự co giãn trục",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    # a data grid's toolbar
    "Add row": "Thêm dòng",
    "Delete row(s)": "Xoá các dòng đã chọn",
    "Show/hide columns": "Ẩn/hiện cột",
    "Search": "Tìm kiếm",
    "Download as CSV": "Tải về dạng CSV",
    # a select box's arrow, a multiselect's clear button
    "Open": "Mở danh sách",
    "Close": "Đóng danh sách",
    "Clear all": "Xoá tất cả",
    # the sidebar, its toggle and its list of pages
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
}


def markdown_literal(text: str) -> str:
    """User text (a plan's names) made safe to put inside Markdown: the one rule of
    kpis.safe_text (markup escaped, autolinks broken), so it shows exactly as written."""
    from kpis.safe_text import md_text

    return md_text(text)


# The kind of a numbered document, from the abbreviation in its number ("684/QĐ-UBND" is a
# decision, "147/KH-UBND" a plan; Decree 30/2020/NĐ-CP, Appendix III).
DOCUMENT_KINDS = {
    "QĐ": ("Quyết định", "Decision"),
    "KH": ("Kế hoạch", "Plan"),
    "NQ": ("Nghị quyết", "Resolution"),
    "CT": ("Chỉ thị", "Directive"),
    "CTr": ("Chương trình", "Programme"),
    "ĐA": ("Đề án", "Scheme"),
}
_NUMBERED_DOCUMENT = re.compile(r"\s*\d+(?:/\d{4})?[/-]([^\W\d_]+)[-/]")


def document_kind(document: str) -> tuple[str, str] | None:
    """("Quyết định", "Decision") for "684/QĐ-UBND"; ("văn bản", "document") for a number
    whose kind is not known; None for a document named in words."""
    numbered = _NUMBERED_DOCUMENT.match(unicodedata.normalize("NFC", document))
    if not numbered:
        return None
    return DOCUMENT_KINDS.get(numbered[1], ("văn bản", "document"))


_ASIDE = re.compile(r"\s*\([^()]*\)")


def document_short(info: PlanInfo, lang: str = "vi") -> str:
    """The plan's document in a few words, for a selector: a number as it is («684/QĐ-UBND»);
    a document named in words without its asides, its kinds abbreviated in Vietnamese and a
    cited document's number without its kind and issuer again («Kế hoạch thực hiện NQ
    57-NQ/TW (theo bản tin 18/07/2025)» -> «KH thực hiện NQ 57»; «Plan implementing
    Resolution 57-NQ/TW (…)» -> «Plan implementing Resolution 57»)."""
    text = info.document_text(lang)
    if document_kind(info.document) is not None:
        return text
    text = _ASIDE.sub("", unicodedata.normalize("NFC", text)).strip()
    for abbreviation, (vi, en) in DOCUMENT_KINDS.items():
        if lang != "en":
            text = re.sub(rf"\b{re.escape(vi)}\b", abbreviation, text)
        name = abbreviation if lang != "en" else en
        # «NQ 57-NQ/TW», «Resolution 57-NQ/TW»: the kind said twice, the issuer once too many
        text = re.sub(rf"\b({re.escape(name)}) (\d+)[-/]{abbreviation}[-/][^\s,;]+", r"\1 \2", text)
    return text


def plan_short_label(info: PlanInfo, lang: str = "vi") -> str:
    """A plan as the sidebar's selector names it, document and province alike for every plan:
    «684/QĐ-UBND · Bắc Kạn», «KH thực hiện NQ 57 · Thái Nguyên»."""
    return f"{document_short(info, lang)} · {info.region}"


def document_citation(info: PlanInfo, lang: str = "vi") -> str:
    """The plan's document as an administrative text cites it: «Quyết định số 684/QĐ-UBND
    ngày 16/05/2016 của UBND tỉnh Bắc Kạn», «Kế hoạch số 147/KH-UBND ngày …». A document
    named in words (a plan known from a news report, its number not in the sources) is cited
    by its words and issuer; its date only where the words do not give one already, as the
    plan's `issued` is then the report's date, not a signature's."""
    date = format_date(info.issued)
    issuer = info.text("issuer", lang)
    document = info.document_text(lang)
    kind = document_kind(info.document)
    if kind is not None:
        return t(
            "citation", lang, kind=pick(*kind, lang), document=document, date=date, issuer=issuer
        )
    key = "citation_words" if document_dated(info, lang) == document else "citation_words_dated"
    return t(key, lang, document=document, date=date, issuer=issuer)


def plan_caption(info: PlanInfo, lang: str = "vi") -> str:
    """The sidebar's line naming the plan shown, as Markdown: «Kế hoạch 684/QĐ-UBND · UBND
    tỉnh Bắc Kạn» for a numbered document; a document named in words names itself already
    («Kế hoạch thực hiện NQ 57-NQ/TW … · Tỉnh Thái Nguyên»), so no «Kế hoạch» goes before."""
    from kpis.safe_text import md_text

    key = "sidebar_plan" if document_kind(info.document) is not None else "sidebar_plan_words"
    return t(
        key,
        lang,
        document=md_text(info.document_text(lang)),
        issuer=md_text(info.text("issuer", lang)),
    )


def document_dated(info: PlanInfo, lang: str = "vi") -> str:
    """The document with its date, «684/QĐ-UBND (16/05/2016)», for a source line; a document
    named in words that gives its date already is left as it is."""
    document = info.document_text(lang)
    date = format_date(info.issued)
    if date in document:
        return document
    return f"{document} ({date})"


def document_line(info: PlanInfo, lang: str = "vi") -> str:
    """«684/QĐ-UBND · UBND tỉnh Bắc Kạn · 16/05/2016», under a deck's or a workbook's title;
    the date once, where the document's words give it already («… (theo bản tin 18/07/2025) ·
    Tỉnh Thái Nguyên»)."""
    document = info.document_text(lang)
    parts = [document, info.text("issuer", lang), format_date(info.issued)]
    return " · ".join(parts[:2] if parts[2] in document else parts)


def plan_issued_line(info: PlanInfo, lang: str = "vi") -> str:
    """The line under a plan's title: «Ban hành kèm theo Quyết định số 684/QĐ-UBND …» for a
    plan issued with a decision, else the document itself («Kế hoạch số 147/KH-UBND …»)."""
    citation = document_citation(info, lang)
    if document_kind(info.document) == DOCUMENT_KINDS["QĐ"]:
        return t("plan_meta", lang, citation=citation)
    return capitalised(citation)


def capitalised(text: str) -> str:
    """`text` opening a sentence: its first letter in capitals, the rest as written (a
    document's or a target's own words)."""
    return text[:1].upper() + text[1:]


def period_words(period: ReportingPeriod, lang: str = "vi") -> str:
    """A reporting period as a report says it: 'năm 2022 và 6 tháng đầu năm 2023', 'năm
    2021–2022', 'từ tháng 03/2022 đến tháng 06/2023'; whole months from January read as
    years and first months, other spans as months or days."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if not whole_months:
        return t("period_days", lang, start=format_date(start), end=format_date(end))
    if start.month != 1:
        return t(
            "period_months",
            lang,
            start=f"{start.month:02d}/{start.year}",
            end=f"{end.month:02d}/{end.year}",
        )
    full_end = end.year if end.month == 12 else end.year - 1  # the last whole year
    years = ""
    if full_end >= start.year:
        span = str(start.year) if full_end == start.year else f"{start.year}–{full_end}"
        years = t("period_years", lang, years=span)
    if end.month == 12:
        return years
    part = (
        t("period_first_half", lang, year=end.year)
        if end.month == 6
        else t("period_first_months", lang, months=end.month, year=end.year)
    )
    return t("period_and", lang, years=years, part=part) if years else part


def year_words(year: int, periods: Iterable[ReportingPeriod], lang: str = "vi") -> str:
    """What the figures of `year` cover: its reporting period in words where `periods` has
    one, else '' (the calendar year, said as a year by the caller)."""
    for period in periods:
        if period.year == year:
            return period_words(period, lang)
    return ""


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The word or sentence `key` in `lang`, with `{placeholders}` filled in."""
    return fill(*TEXT[key], lang, **values)


def unit_of(indicator: Indicator, lang: str) -> str:
    return indicator.text("unit", lang)


def with_unit(
    value: float | None, indicator: Indicator, lang: str, decimals: int | None = None
) -> str:
    """'3 tổ chức', '1,5%', '0,81 triệu đồng': a number with its unit, formatted per language."""
    number = format_number(value, lang, decimals)
    if value is None:
        return number
    if indicator.kind == "milestone":
        return t("milestone_done" if value >= 1 else "milestone_not_done", lang)
    if is_rank(indicator):
        return t("rank_value", lang, rank=number)
    unit = count_unit(value, unit_of(indicator, lang), lang)
    return f"{number}{unit}" if indicator.is_percent else f"{number} {unit}"


def formula_words(plan: Plan, indicator: Indicator, lang: str) -> str:
    """A derived indicator's formula in words, from the names of its inputs in the page's
    language: 'Tổng đầu tư cho KH&CN ÷ Tổng chi ngân sách × 100' ('' when it has none)."""
    formula = indicator.parsed_formula
    if formula is None:
        return ""
    return formula.words(
        lambda i: plan.indicator(i).text("name", lang) if i in plan.by_id else i,
        lambda v: format_number(v, lang),
    )


def is_rank(indicator: Indicator) -> bool:
    """A rank (1 is best): `value_range` starting at 1 on a `decrease` indicator (CONTRACT v2)."""
    low = indicator.value_range[0] if indicator.value_range else None
    return indicator.direction == "decrease" and low == 1


def region_label(plan: Plan, name: str, lang: str = "vi") -> str:
    """A region as people read it: 'Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)' for a region the
    plan declares merged, else its name. Machine files (CSV, the status command) keep the name."""
    region = plan.region(name) if plan.plan.regions else None
    if region is None or region.until is None:
        return name
    shown = pick(region.name, region.name_en, lang)  # a proper name: never marked
    if region.merged_into:
        return t("region_merged", lang, name=shown, until=region.until, into=region.merged_into)
    return t("region_until", lang, name=shown, until=region.until)


def value_text(
    value: float | None,
    indicator: Indicator,
    lang: str,
    estimate: bool | None = False,
    decimals: int | None = None,
) -> str:
    """`with_unit`, marked '(ước)' / '(estimate)' when the value rests on an estimate."""
    text = with_unit(value, indicator, lang, decimals)
    return f"{text} {t('estimate_mark', lang)}" if estimate and value is not None else text


def verdict(status_words: str, estimate: bool | None, lang: str) -> str:
    """A status's words, saying «(theo số ước)» / «(on the estimate)» when the figure it was
    judged on is an estimate."""
    return f"{status_words} {t('on_estimate', lang)}" if estimate else status_words


def pace_words(row: Assessment, target: Target, indicator: Indicator, lang: str) -> str:
    """What a growth or period-average target has done so far, in words; '' for other forms.

    Growth: 'bình quân 5,2%/năm so với 7%/năm'; period average: 'bình quân 8,1% (3 năm:
    2021–2023)'."""
    if target.is_growth and row.average_growth is not None:
        return t(
            "growth_so_far",
            lang,
            rate=format_number(row.average_growth, lang, 1),
            asked=format_number(target.growth_rate, lang),
        )
    if target.is_period_average and row.mean is not None and row.latest_year is not None:
        counted = len(range(target.from_, row.latest_year + 1))  # type: ignore[arg-type]
        return t(
            "mean_so_far",
            lang,
            mean=with_unit(row.mean, indicator, lang),
            years=counted,
            span=f"{target.from_}–{row.latest_year}",
        )
    return ""


def progress_share_text(row: Assessment, lang: str) -> str:
    """The progress as a percentage, never '100%' for a target not achieved whose progress
    is short of 1 (99,6% is shown 99%: a leader reads 100% as done)."""
    share = row.progress
    if share is None:
        return format_percent(share, lang)
    if row.status != "achieved" and round(share, 9) < 1 and round(share * 100) >= 100:
        return format_percent(math.floor(share * 100) / 100, lang)
    return format_percent(share, lang)


def progress_words(
    row: Assessment, target: Target, indicator: Indicator, lang: str, short: bool = False
) -> str:
    """A target's progress as people should read it.

    A dated target's: '300% quãng đường từ năm gốc 2024 đến mục tiêu' (METHOD.md step 4 counts
    the way from the baseline, so 27 against "more than 25" from 24 is 300%), and where the
    number reads 100% or more on a target not achieved, what is missing: '100% quãng đường từ
    năm gốc 2024 đến mức 80%, nhưng chưa vượt mức này' («trên 80%» at exactly 80%). `short`:
    the same for a narrow table cell ('100% từ năm gốc 2024; bằng 80%, chưa vượt'). A standing
    or period-average target's: the years met ('44% · đạt 4/9 năm'); a milestone's and one
    without progress: the bare percentage or '–'. The number itself is METHOD's, unchanged."""
    share = progress_share_text(row, lang)
    if row.progress is None or indicator.kind == "milestone":
        return share
    if target.is_standing or target.is_period_average:
        return " · ".join(filter(None, [share, years_met_words(row, target, lang)]))
    if row.baseline_year is None:
        return share
    way = _way_key(row, target, indicator)
    bound = with_unit(row.goal, indicator, lang)
    if not short:
        return t(way, lang, share=share, year=row.baseline_year, bound=bound)
    text = t("progress_from_short", lang, share=share, year=row.baseline_year)
    if way == "progress_from":
        return text
    return f"{text}; {t(way + '_short', lang, bound=bound)}"


def _way_key(row: Assessment, target: Target, indicator: Indicator) -> str:
    """Which words a dated target's progress takes: the way to the target, or, where the
    number reads 100% or more on a target not achieved, the way to the bound and what is
    still missing (a strict bound only reached, a band passed through)."""
    if row.status == "achieved" or row.progress is None or round(row.progress, 9) < 1:
        return "progress_from"
    if target.form == "between":
        return "progress_beyond_band"
    if not target.exclusive or row.goal is None:
        return "progress_from"
    upward = target.min is not None or target.min_growth is not None
    upward = upward or target.min_times_baseline is not None
    if upward:
        return "progress_at_bound_min"
    return "progress_at_bound_rank" if is_rank(indicator) else "progress_at_bound_max"


def years_met_words(row: Assessment, target: Target, lang: str) -> str:
    """What the progress of a target over a span of years counts, in words: 'đạt 4/9 năm' (a
    standing or period-average target's progress is the share of the years judged that met
    its bound: 44% read alone looks like progress towards 1,5%); '' for any other target or
    before a year is judged."""
    if not (target.is_standing or target.is_period_average) or row.progress is None:
        return ""
    met = len(row.years_met)
    if not met:
        return t("standing_no_year", lang)
    # (progress = met / judged, both small whole numbers: the division gives judged back)
    return t("standing_years", lang, met=met, total=round(met / row.progress))


def target_words(
    target: Target, indicator: Indicator, lang: str = "vi", baseline_value: float | None = None
) -> str:
    """A target in words: '≥ 3 tổ chức vào năm 2020' / '≥ 3 organisations by 2020'.

    Standing targets read '1,5–2% mỗi năm 2016–2030'; `min_times_baseline` shows the goal it
    implies when the baseline value is known.
    """
    unit = unit_of(indicator, lang)
    sep = "" if indicator.is_percent else " "

    def num(v: float) -> str:
        return f"{format_number(v, lang)}{sep}{count_unit(v, unit, lang)}"

    more, less = (t("more_than", lang), t("less_than", lang)) if target.exclusive else ("≥", "≤")
    if target.is_growth:
        rate = format_number(target.growth_rate, lang)  # type: ignore[arg-type]
        sign = more if target.min_growth is not None else less
        return (
            f"tăng bình quân {sign} {rate}%/năm, {target.from_}–{target.to}"
            if lang != "en"
            else f"average growth {sign} {rate}% a year, {target.from_}–{target.to}"
        )
    if target.is_period_average:
        low, high = target.mean_min, target.mean_max
        body = (
            f"{format_number(low, lang)}–{num(high)}"
            if low is not None and high is not None
            else f"{more} {num(low)}"
            if low is not None
            else f"{less} {num(high)}"  # type: ignore[arg-type]
        )
        return (
            f"bình quân {body} giai đoạn {target.from_}–{target.to}"
            if lang != "en"
            else f"average {body} over {target.from_}–{target.to}"
        )
    if target.is_standing:
        when = (
            f"mỗi năm {target.from_}–{target.to}"
            if lang != "en"
            else f"every year {target.from_}–{target.to}"
        )
    else:
        when = f"vào năm {target.year}" if lang != "en" else f"by {target.year}"
    if indicator.kind == "milestone":
        return f"Hoàn thành {when}" if lang != "en" else f"Done {when}"
    form = (
        target.form
        if not target.is_standing
        else (
            "between"
            if target.min is not None and target.max is not None
            else "min"
            if target.min is not None
            else "max"
        )
    )
    if form == "between":
        body = f"{format_number(target.min, lang)}–{num(target.max)}"  # type: ignore[arg-type]
    elif form == "min_times_baseline":
        times = format_number(target.min_times_baseline, lang)
        body = f"{more} {times} × " + ("năm gốc" if lang != "en" else "baseline")
        if baseline_value is not None:
            body += f" (= {num(target.min_times_baseline * baseline_value)})"  # type: ignore[operator]
    elif is_rank(indicator) and form == "max" and not target.approx:
        top = target.max - 1 if target.exclusive else target.max  # type: ignore[operator]
        body = t("rank_top", lang, top=format_number(top, lang))
    else:
        value = target.min if form == "min" else target.max
        sign = (
            ("≈ " if target.approx else f"{more} ")
            if form == "min"
            else ("≈ " if target.approx else f"{less} ")
        )
        body = f"{sign}{num(value)}"  # type: ignore[arg-type]
    return f"{body} {when}"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


ILLUSTRATIVE_PREFIX = normalise("Minh họa")


def is_illustrative(source: object) -> bool:
    """A figure whose source begins with "Minh họa" is sample data, not a reported figure."""
    if not isinstance(source, str):
        return False
    text = normalise(source).casefold()
    # "Minh hoạ" (old-style tone placement) is the same word.
    return text.startswith(ILLUSTRATIVE_PREFIX.casefold()) or text.startswith(
        normalise("Minh hoạ").casefold()
    )


# What follows "Minh họa" in the shipped sources, and an English gloss in brackets: the mark
# the page shows in its own language stands for both.
_ILLUSTRATIVE_WORDS = re.compile(
    r"^\s*(?:[-–—:,]\s*)?(?:không phải số liệu (?:báo cáo )?thực tế)?\s*", re.IGNORECASE
)
_ENGLISH_GLOSS = re.compile(
    r"\s*\((?:illustrative|not a reported|not from a real)[^()]*\)\s*$", re.I
)


def source_text(source: object, lang: str = "vi") -> str:
    """A figure's source as a page shows it: as written, except that an illustrative source's
    mark ("Minh họa – không phải số liệu thực tế (illustrative, …)") is said in the page's
    language, and what follows it is kept: "Illustrative – not a reported figure: theo …"."""
    if not isinstance(source, str):
        return ""
    text = normalise(source)
    if not is_illustrative(text):
        return text
    rest = _after_illustrative_mark(text)
    mark = t("illustrative_source", lang)
    return f"{mark}: {rest}" if rest else mark


def note_text(note: object, lang: str = "vi") -> str:
    """A figure's note as a page shows it: as written, except that on an English page the
    illustrative mark it starts with is said in English ("Minh họa: Trung tâm …" ->
    "Illustrative: Trung tâm …"). The words after the mark are the note's and stay as they
    are: nothing is translated that a person wrote."""
    if not isinstance(note, str):
        return ""
    if lang == "vi" or not is_illustrative(note):
        return note
    rest = _after_illustrative_mark(normalise(note))
    mark = t("illustrative_note", lang)
    return f"{mark}: {rest}" if rest else mark


def note_change(old: object, new: object, lang: str = "vi") -> str:
    """A note as a change leaves it (a figure's on /data, a task's on /tasks): the note where
    it stays, «old» → «new» where it changes, an empty side said «(trống)»: a note taken out
    is seen before it is saved. Shown as typed («- Báo cáo»), as sources are: the guard
    against spreadsheet formulas belongs to the files downloaded, not to the page."""
    old, new = (note_text(n, lang) for n in (old, new))
    if old == new:
        return new
    return " → ".join(f"«{n}»" if n else t("no_note", lang) for n in (old, new))


# A note that gives its English itself, in brackets at its end: «Kỳ báo cáo: năm 2022 và 6
# tháng đầu năm 2023 (reporting period: 2022 and the first half of 2023)».
_ENDS_IN_ENGLISH = re.compile(r"\([^()]*[A-Za-z][^()]*\)\s*$")


def read_note(note: object, lang: str = "vi") -> str:
    """A figure's note where it is read, not edited (/indicator's figures): `note_text`, and
    on an English page its Vietnamese words, which nobody translated, visibly marked
    ("Illustrative: Trung tâm … (no English text yet)") as the plan's untranslated text is,
    so a reader knows they are the department's words and not a page left half done. A note
    that gives its English in brackets at its end is read as it is. (/data shows notes as
    they are saved, unmarked: there they are the words being edited.)"""
    text = note_text(note, lang)
    if lang == "vi" or not text:
        return text
    found = _ENDS_IN_ENGLISH.search(text)
    if found and found.group(0).isascii():
        return text
    return plan_text(text, None, lang)  # marked only where there is a Vietnamese letter


def _after_illustrative_mark(text: str) -> str:
    """What an illustrative source or note says after its mark ("Minh họa – không phải số liệu
    thực tế (illustrative, …)"), the mark's own words and English gloss taken out."""
    rest = _ENGLISH_GLOSS.sub("", text[len(ILLUSTRATIVE_PREFIX) :])
    return _ILLUSTRATIVE_WORDS.sub("", rest, count=1).strip(" -–—:,")


def year_ranges(years: Iterable[int]) -> str:
    """[2015, 2016, 2017, 2020] -> '2015–2017, 2020'."""
    ordered = sorted(set(int(y) for y in years))
    parts: list[str] = []
    start = prev = None
    for year in ordered:
        if start is None:
            start = prev = year
        elif year == prev + 1:  # type: ignore[operator]
            prev = year
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = year
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


# A source citing a part of a document: «Kế hoạch 147/KH-UBND ngày 04/7/2023 của UBND tỉnh
# Lạng Sơn, Mục A.I.7» is the document, then the part.
_DOCUMENT_PART = re.compile(r"^(?P<document>.+?),\s*[Mm]ục\s+(?P<part>[^,;]+?)\s*$")


def _part_order(part: str) -> tuple[tuple[int, int | str], ...]:
    """«A.I.2» before «A.I.10»: numbers compared as numbers, the rest as written."""
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in re.split(r"[.\s]+", part))


def cited_sources(rows: Iterable[tuple[object, int]], info: PlanInfo, lang: str = "vi") -> str:
    """`source_summary` of (source, year) pairs, each document named once with its parts.

    Lạng Sơn's fifteen figures cite six sections of its plan, and six copies of the plan's
    name read as six documents: «…, mục A.I.1.1, A.I.2 (2023)». A source in the plan's own
    document is cited as the plan is cited everywhere, in the language read (the English deck
    and report said «Kế hoạch 147/KH-UBND ngày …»); another document's name stays as written,
    nobody having translated it."""
    rows = list(rows)
    own = info.document if document_kind(info.document) is not None else None
    documents: list[str] = []
    parts: dict[str, set[str]] = {}
    for source, _ in rows:
        text = source_text(source, lang)
        cited = _DOCUMENT_PART.match(text)
        document = cited["document"] if cited else text
        documents.append(document)
        if cited:
            parts.setdefault(document, set()).add(cited["part"])
    named = []
    for document in documents:
        said = document_citation(info, lang) if own and own in document else document
        if document in parts:
            listed = sorted(parts[document], key=_part_order)
            key = "source_parts" if len(listed) > 1 else "source_part"
            said = t(key, lang, document=said, parts=", ".join(listed))
        named.append(said)
    return source_summary(zip(named, (year for _, year in rows), strict=True), lang)


def source_summary(rows: Iterable[tuple[object, int]], lang: str = "vi") -> str:
    """Each source with the years it gives: 'Báo cáo 12/BC-SKHCN (2020); Minh họa… (2015–2019)'.

    `rows` are (source, year) pairs of the figures behind a number.
    """
    by_source: dict[str, set[int]] = {}
    for source, year in rows:
        text = source_text(source, lang) if isinstance(source, str) and source.strip() else ""
        by_source.setdefault(text, set()).add(int(year))
    parts = []
    for source, years in sorted(by_source.items(), key=lambda item: min(item[1])):
        parts.append(f"{source or t('source_missing', lang)} ({year_ranges(years)})")
    return "; ".join(parts)


def input_ids(plan: Plan, indicator: Indicator) -> list[str]:
    """The indicators whose figures stand behind this one: itself, or a formula's inputs."""
    if not indicator.is_derived:
        return [indicator.id]
    ids: list[str] = []
    for name in indicator.parsed_formula.names:  # type: ignore[union-attr]
        ids += input_ids(plan, plan.indicator(name))
    return list(dict.fromkeys(ids))


def figures_behind(
    plan: Plan, indicator: Indicator, table: pd.DataFrame, region: str, as_of: int | None = None
) -> pd.DataFrame:
    """The reported figures (rows of the figures table) a chart of this indicator rests on."""
    rows = table[table["indicator"].isin(input_ids(plan, indicator)) & (table["region"] == region)]
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
    if indicator.is_derived and len(rows):
        rows = rows[_behind_derived(plan, indicator, rows)]
    return rows


def _behind_derived(plan: Plan, indicator: Indicator, rows: pd.DataFrame) -> pd.Series:
    """Which of a derived indicator's input figures stand behind a value of it: those of the
    years where every input has one (METHOD.md), and a cumulative input's figures up to the
    last of them, as they are summed into it. The union of the inputs' years gave the ratio
    of Bắc Kạn's investment to its budget (2015–2024), where it exists 2016–2024."""
    series = effective_series(plan, rows)
    own = series[(series["indicator"] == indicator.id) & series["value"].notna()]
    years = set(own["year"].astype(int))
    if not years:
        return pd.Series(False, index=rows.index)
    cumulative = [i for i in input_ids(plan, indicator) if plan.indicator(i).kind == "cumulative"]
    return rows["year"].isin(years) | (
        rows["indicator"].isin(cumulative) & (rows["year"] <= max(years))
    )


def indicator_source_line(
    plan: Plan,
    indicator: Indicator,
    table: pd.DataFrame,
    region: str,
    as_of: int | None = None,
    lang: str = "vi",
) -> str:
    """'Minh họa – … (2015–2024)': every source behind an indicator's chart, with its years."""
    rows = figures_behind(plan, indicator, table, region, as_of)
    return cited_sources(zip(rows["source"], rows["year"], strict=True), plan.plan, lang)
