#!/usr/bin/env python3
"""Independent generator of a national KPI data set (written from CONTRACT.md only).

Written on 4 December 2026 by a helper that read only the contract (docs/file-formats.md
says the same) and none of bench/, kpis/ or tests/, so that the package is measured on a set
it was not shaped for; kept as it was written. Measured with
`python bench/bench_national.py --set OUTDIR` (docs/performance.md, the twenty-first
session).

Usage: python bench/make_independent.py A OUTDIR   (plain layout: 340 region files)
       python bench/make_independent.py B OUTDIR   (staff-like layout: 170 files by province
                                                    and group, Vietnamese headers, BOMs, CR LF,
                                                    semicolons and tabs, notes over two lines)

Figures: 34 provinces x 10 sub-regions ("Khu vực 1..10") = 340 declared regions,
x 100 indicators with figures x 30 years (1996-2025) = 1,020,000 figures.
The plan also declares 2 derived indicators (formula, no figures of their own)
and the plan's region "Cả nước" (no figures).
"""

import csv
import io
import os
import random
import sys
import unicodedata

import numpy as np
import yaml

SEED = 20261204
YEARS = list(range(1996, 2026))
PROVINCES = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
NSUB = 10


def strip_accents(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def subregion(p, k):
    return f"{p} - Khu vực {k}"


# ---------------------------------------------------------------- indicators
# (id, name, unit, kind, integer, direction, value_range, group, gen-type, base, growth)
# gen-types: count, flow, money, pct_up, pct_down, growth, rank, milestone, cum_int, cum_money, real
INDICATORS = []


def ind(
    id_,
    name,
    unit,
    gen,
    base,
    growth=0.05,
    kind="stock",
    integer=None,
    direction="increase",
    value_range=None,
    group=None,
):
    if integer is None:
        integer = gen in ("count", "flow", "rank", "cum_int")
    INDICATORS.append(
        dict(
            id=id_,
            name=name,
            unit=unit,
            gen=gen,
            base=base,
            growth=growth,
            kind=kind,
            integer=integer,
            direction=direction,
            value_range=value_range,
            group=group,
        )
    )


G1, G2, G3, G4, G5, G6 = (
    "Khoa học và công nghệ",
    "Đổi mới sáng tạo",
    "Chuyển đổi số",
    "Giáo dục, y tế",
    "Kinh tế",
    "Xã hội, môi trường",
)
# counts (stock, integer)
for id_, name, unit, base, gr, grp in [
    ("public_st_orgs", "Số tổ chức KH&CN công lập", "tổ chức", 3, 0.03, G1),
    ("private_st_orgs", "Số tổ chức KH&CN ngoài công lập", "tổ chức", 2, 0.08, G1),
    ("st_enterprises", "Số doanh nghiệp KH&CN", "doanh nghiệp", 1, 0.12, G1),
    (
        "innovative_startups",
        "Số doanh nghiệp khởi nghiệp đổi mới sáng tạo",
        "doanh nghiệp",
        1,
        0.15,
        G2,
    ),
    ("researchers", "Số cán bộ nghiên cứu", "người", 40, 0.05, G1),
    ("phd_holders", "Số người có trình độ tiến sĩ", "người", 5, 0.07, G1),
    ("standard_labs", "Số phòng thí nghiệm đạt chuẩn VILAS", "phòng", 1, 0.06, G1),
    ("incubators", "Số cơ sở ươm tạo công nghệ, doanh nghiệp", "cơ sở", 1, 0.05, G2),
    ("innovation_hubs", "Số không gian đổi mới sáng tạo", "không gian", 1, 0.09, G2),
    ("digital_enterprises", "Số doanh nghiệp công nghệ số", "doanh nghiệp", 8, 0.12, G3),
    ("hospitals", "Số bệnh viện", "bệnh viện", 3, 0.02, G4),
    ("hospital_beds", "Số giường bệnh", "giường", 400, 0.03, G4),
    ("doctors", "Số bác sĩ", "người", 120, 0.04, G4),
    ("schools_standard", "Số trường đạt chuẩn quốc gia", "trường", 10, 0.06, G4),
    ("vocational_schools", "Số cơ sở giáo dục nghề nghiệp", "cơ sở", 3, 0.02, G4),
    ("industrial_parks", "Số khu, cụm công nghiệp đang hoạt động", "khu", 1, 0.05, G5),
    ("cooperatives", "Số hợp tác xã", "hợp tác xã", 30, 0.02, G5),
    ("enterprises_active", "Số doanh nghiệp đang hoạt động", "doanh nghiệp", 300, 0.08, G5),
    ("ocop_products", "Số sản phẩm OCOP đạt 3 sao trở lên", "sản phẩm", 1, 0.14, G5),
    ("new_rural_communes", "Số xã đạt chuẩn nông thôn mới", "xã", 1, 0.10, G6),
    ("bts_stations", "Số trạm thu phát sóng di động (BTS)", "trạm", 20, 0.09, G3),
    ("online_services_full", "Số dịch vụ công trực tuyến toàn trình", "dịch vụ", 5, 0.15, G3),
    ("population", "Dân số trung bình", "người", 90000, 0.012, G6),
    ("libraries", "Số thư viện công cộng", "thư viện", 2, 0.02, G6),
    ("clinics_emr", "Số trạm y tế xã triển khai hồ sơ sức khỏe điện tử", "trạm", 2, 0.12, G4),
    ("teachers_it", "Số giáo viên tin học", "người", 15, 0.05, G4),
    ("farms_hitech", "Số trang trại ứng dụng công nghệ cao", "trang trại", 2, 0.10, G5),
]:
    ind(id_, name, unit, "count", base, gr, group=grp)
ind("poor_households", "Số hộ nghèo", "hộ", "count", 4000, -0.06, direction="decrease", group=G6)
# flows (integer)
for id_, name, unit, base, gr, grp, dirn in [
    (
        "new_enterprises",
        "Số doanh nghiệp thành lập mới trong năm",
        "doanh nghiệp",
        30,
        0.07,
        G5,
        "increase",
    ),
    ("patent_applications", "Số đơn đăng ký sáng chế", "đơn", 2, 0.10, G1, "increase"),
    (
        "utility_solutions",
        "Số giải pháp hữu ích được cấp văn bằng",
        "văn bằng",
        1,
        0.08,
        G1,
        "increase",
    ),
    ("trademarks", "Số nhãn hiệu được cấp văn bằng bảo hộ", "nhãn hiệu", 5, 0.09, G1, "increase"),
    (
        "st_tasks_completed",
        "Số nhiệm vụ KH&CN cấp tỉnh được nghiệm thu",
        "nhiệm vụ",
        4,
        0.04,
        G1,
        "increase",
    ),
    ("intl_publications", "Số bài báo công bố quốc tế", "bài", 2, 0.12, G1, "increase"),
    ("tourists", "Số lượt khách du lịch", "lượt", 20000, 0.08, G5, "increase"),
    ("trained_workers", "Số lao động được đào tạo nghề", "người", 1500, 0.04, G6, "increase"),
    ("jobs_created", "Số việc làm tạo mới", "việc làm", 2000, 0.03, G6, "increase"),
    ("traffic_accidents", "Số vụ tai nạn giao thông", "vụ", 60, -0.03, G6, "decrease"),
    ("fires", "Số vụ cháy, nổ", "vụ", 12, -0.02, G6, "decrease"),
    ("cyber_incidents", "Số sự cố an toàn thông tin mạng", "sự cố", 3, 0.05, G3, "decrease"),
    ("tech_contracts", "Số hợp đồng chuyển giao công nghệ", "hợp đồng", 3, 0.08, G2, "increase"),
]:
    ind(id_, name, unit, "flow", base, gr, kind="flow", direction=dirn, group=grp)
# percentages
for id_, name, start, slope, grp in [
    (
        "officials_digital_skills",
        "Tỷ lệ cán bộ, công chức cấp xã được đào tạo kỹ năng số cơ bản",
        2,
        3.2,
        G3,
    ),
    (
        "broadband_households",
        "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang",
        1,
        3.3,
        G3,
    ),
    ("coverage_5g", "Tỷ lệ dân số được phủ sóng 5G", 0, 1.5, G3),
    ("smartphone_users", "Tỷ lệ người trưởng thành sử dụng điện thoại thông minh", 0, 3.5, G3),
    ("cashless_payments", "Tỷ lệ giao dịch thanh toán không dùng tiền mặt", 1, 2.4, G3),
    ("online_dossiers", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", 0, 2.6, G3),
    ("records_digitized", "Tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hóa", 0, 3.0, G3),
    ("trained_labour", "Tỷ lệ lao động qua đào tạo", 20, 1.8, G6),
    ("trained_labour_cert", "Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ", 8, 0.9, G6),
    ("upper_secondary_enrolment", "Tỷ lệ huy động học sinh trong độ tuổi vào THPT", 40, 1.5, G4),
    ("health_insurance", "Tỷ lệ dân số tham gia bảo hiểm y tế", 20, 2.6, G4),
    ("clean_water_rural", "Tỷ lệ dân cư nông thôn sử dụng nước sạch", 30, 2.0, G6),
    ("urban_waste_collected", "Tỷ lệ chất thải rắn đô thị được thu gom, xử lý", 50, 1.6, G6),
    ("forest_cover", "Tỷ lệ che phủ rừng", 35, 0.5, G6),
    ("st_budget_share", "Tỷ lệ chi ngân sách cho KH&CN trên tổng chi ngân sách", 0.5, 0.04, G1),
    ("rnd_spending_grdp", "Tỷ lệ chi cho nghiên cứu và phát triển trên GRDP", 0.2, 0.03, G1),
    ("digital_economy_share", "Tỷ trọng kinh tế số trong GRDP", 1, 0.7, G3),
    ("hitech_agri_share", "Tỷ trọng giá trị sản xuất nông nghiệp công nghệ cao", 1, 0.8, G5),
    ("industry_share", "Tỷ trọng công nghiệp - xây dựng trong GRDP", 25, 0.4, G5),
    ("ecommerce_users", "Tỷ lệ dân số trưởng thành mua sắm trực tuyến", 0, 2.2, G3),
    ("hospitals_emr", "Tỷ lệ bệnh viện triển khai bệnh án điện tử", 0, 2.5, G4),
    ("enterprises_cloud", "Tỷ lệ doanh nghiệp sử dụng dịch vụ điện toán đám mây", 0, 2.0, G3),
    ("digital_signatures", "Tỷ lệ văn bản điện tử có chữ ký số", 0, 3.6, G3),
    ("tfp_share", "Tỷ lệ đóng góp của TFP vào tăng trưởng GRDP", 20, 0.8, G5),
    ("schools_online", "Tỷ lệ trường học triển khai dạy học trực tuyến", 0, 2.9, G4),
]:
    INDICATORS.append(
        dict(
            id=id_,
            name=name,
            unit="%",
            gen="pct_up",
            base=start,
            growth=slope,
            kind="stock",
            integer=False,
            direction="increase",
            value_range=None,
            group=grp,
        )
    )
for id_, name, start, slope, grp in [
    ("poverty_rate", "Tỷ lệ hộ nghèo", 30, -1.0, G6),
    ("multidim_poverty", "Tỷ lệ hộ nghèo đa chiều", 25, -0.7, G6),
    ("urban_unemployment", "Tỷ lệ thất nghiệp khu vực thành thị", 7, -0.12, G6),
    ("child_underweight", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân", 35, -1.0, G4),
]:
    INDICATORS.append(
        dict(
            id=id_,
            name=name,
            unit="%",
            gen="pct_down",
            base=start,
            growth=slope,
            kind="stock",
            integer=False,
            direction="decrease",
            value_range=None,
            group=grp,
        )
    )
ind(
    "grdp_growth",
    "Tốc độ tăng trưởng GRDP",
    "%",
    "growth",
    7,
    0,
    value_range=[None, None],
    group=G5,
)
ind(
    "labour_productivity_growth",
    "Tốc độ tăng năng suất lao động",
    "%",
    "growth",
    5,
    0,
    value_range=[None, None],
    group=G5,
)
# money (non-integer, flows mostly)
for id_, name, unit, base, gr, kind, grp in [
    ("st_budget", "Chi ngân sách nhà nước cho KH&CN", "tỷ đồng", 2, 0.09, "flow", G1),
    ("grdp", "Tổng sản phẩm trên địa bàn (GRDP, giá hiện hành)", "tỷ đồng", 800, 0.11, "flow", G5),
    ("grdp_per_capita", "GRDP bình quân đầu người", "triệu đồng", 3, 0.10, "stock", G5),
    ("budget_revenue", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 90, 0.10, "flow", G5),
    ("budget_spending", "Tổng chi ngân sách địa phương", "tỷ đồng", 120, 0.10, "flow", G5),
    ("exports_total", "Kim ngạch xuất khẩu", "triệu USD", 20, 0.14, "flow", G5),
    (
        "exports_hitech",
        "Kim ngạch xuất khẩu sản phẩm công nghệ cao",
        "triệu USD",
        1,
        0.18,
        "flow",
        G5,
    ),
    ("fdi_registered", "Vốn FDI đăng ký mới", "triệu USD", 5, 0.12, "flow", G5),
    ("social_investment", "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 300, 0.11, "flow", G5),
    (
        "enterprise_rnd",
        "Chi cho nghiên cứu và phát triển của doanh nghiệp",
        "tỷ đồng",
        1,
        0.15,
        "flow",
        G1,
    ),
    ("st_fund", "Quỹ phát triển KH&CN của doanh nghiệp", "tỷ đồng", 0.5, 0.13, "stock", G1),
    ("ecommerce_revenue", "Doanh thu thương mại điện tử", "tỷ đồng", 0.2, 0.25, "flow", G3),
    ("digital_economy_value", "Giá trị gia tăng của kinh tế số", "tỷ đồng", 5, 0.18, "flow", G3),
    ("tourism_revenue", "Tổng thu từ khách du lịch", "tỷ đồng", 30, 0.12, "flow", G5),
    (
        "retail_sales",
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
        "tỷ đồng",
        400,
        0.11,
        "flow",
        G5,
    ),
    ("avg_income", "Thu nhập bình quân đầu người", "triệu đồng/năm", 2.5, 0.10, "stock", G6),
]:
    ind(id_, name, unit, "money", base, gr, kind=kind, group=grp)
# real-valued ratios
for id_, name, unit, base, gr, grp in [
    ("doctors_per_10k", "Số bác sĩ trên 1 vạn dân", "bác sĩ/vạn dân", 3.5, 0.04, G4),
    ("beds_per_10k", "Số giường bệnh trên 1 vạn dân", "giường/vạn dân", 18, 0.03, G4),
    ("paved_rural_roads", "Chiều dài đường giao thông nông thôn được cứng hóa", "km", 50, 0.06, G6),
    (
        "internet_speed",
        "Tốc độ truy cập Internet băng rộng cố định trung bình",
        "Mbps",
        0.5,
        0.25,
        G3,
    ),
]:
    ind(id_, name, unit, "real", base, gr, group=grp)
# cumulative
ind(
    "patents_granted_cum",
    "Số bằng độc quyền sáng chế được cấp (cộng dồn)",
    "bằng",
    "cum_int",
    1,
    0.08,
    kind="cumulative",
    group=G1,
)
ind(
    "tech_transferred_cum",
    "Số công nghệ được chuyển giao, ứng dụng (cộng dồn)",
    "công nghệ",
    "cum_int",
    2,
    0.06,
    kind="cumulative",
    group=G2,
)
ind(
    "startups_supported_cum",
    "Số dự án khởi nghiệp được hỗ trợ (cộng dồn)",
    "dự án",
    "cum_int",
    1,
    0.12,
    kind="cumulative",
    group=G2,
)
ind(
    "experts_trained_cum",
    "Số chuyên gia công nghệ số được đào tạo (cộng dồn)",
    "người",
    "cum_int",
    5,
    0.10,
    kind="cumulative",
    group=G3,
)
ind(
    "st_investment_cum",
    "Vốn đầu tư cho hạ tầng KH&CN (cộng dồn)",
    "tỷ đồng",
    "cum_money",
    1.5,
    0.08,
    kind="cumulative",
    group=G1,
)
# milestones
for id_, name, grp in [
    (
        "ioc_operational",
        "Trung tâm giám sát, điều hành đô thị thông minh (IOC) đi vào hoạt động",
        G3,
    ),
    ("data_center_built", "Trung tâm dữ liệu của tỉnh được xây dựng", G3),
    ("egov_platform", "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP) hoàn thành", G3),
    ("innovation_center", "Trung tâm hỗ trợ khởi nghiệp đổi mới sáng tạo được thành lập", G2),
    ("st_strategy", "Chiến lược phát triển KH&CN của địa phương được phê duyệt", G1),
    ("digital_plan", "Đề án chuyển đổi số được ban hành", G3),
]:
    ind(id_, name, "mốc", "milestone", 0, 0, kind="milestone", integer=False, group=grp)
# ranks
ind(
    "pci_rank",
    "Xếp hạng chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
    "hạng",
    "rank",
    0,
    0,
    direction="decrease",
    value_range=[1, None],
    group=G5,
)
ind(
    "pii_rank",
    "Xếp hạng chỉ số đổi mới sáng tạo cấp địa phương (PII)",
    "hạng",
    "rank",
    0,
    0,
    direction="decrease",
    value_range=[1, None],
    group=G2,
)
INDICATORS = [
    d
    for d in INDICATORS
    if d["id"]
    not in ("libraries", "teachers_it", "cyber_incidents", "schools_online", "internet_speed")
]
assert len(INDICATORS) == 100, len(INDICATORS)
assert len({d["id"] for d in INDICATORS}) == 100

DERIVED = [
    dict(
        id="hitech_export_share",
        name="Tỷ trọng xuất khẩu sản phẩm công nghệ cao",
        unit="%",
        formula="exports_hitech / exports_total * 100",
        group=G5,
        targets=[{"year": 2030, "min": 30}],
    ),
    dict(
        id="st_budget_computed_share",
        name="Tỷ lệ chi KH&CN trên tổng chi ngân sách (tính toán)",
        unit="%",
        formula="st_budget / budget_spending * 100",
        group=G1,
        targets=[{"year": 2025, "min": 2}],
    ),
]


# ---------------------------------------------------------------- values
def gen_values(rng):
    """returns dict id -> array (nreg, nyears) of python-ready values"""
    nreg = len(PROVINCES) * NSUB
    ny = len(YEARS)
    t = np.arange(ny)
    scale = rng.lognormal(0, 0.5, size=nreg)
    out = {}
    for d in INDICATORS:
        g = d["gen"]
        noise = rng.normal(0, 1, size=(nreg, ny))
        if g in ("count", "flow", "cum_int"):
            gr = d["growth"] * rng.uniform(0.5, 1.5, size=(nreg, 1))
            v = d["base"] * scale[:, None] * (1 + gr) ** t * np.exp(0.08 * noise)
            v = np.maximum(np.rint(v), 0).astype(np.int64)
        elif g in ("money", "real", "cum_money"):
            gr = d["growth"] * rng.uniform(0.6, 1.4, size=(nreg, 1))
            v = d["base"] * scale[:, None] * (1 + gr) ** t * np.exp(0.06 * noise)
            v = np.round(np.maximum(v, 0.01), 2)
        elif g in ("pct_up", "pct_down"):
            st = d["base"] * rng.uniform(0.5, 1.5, size=(nreg, 1))
            sl = d["growth"] * rng.uniform(0.6, 1.4, size=(nreg, 1))
            v = st + sl * t + 0.6 * noise * max(abs(d["growth"]), 0.05)
            v = np.round(np.clip(v, 0, 100), 1)
        elif g == "growth":
            v = np.round(d["base"] + 2.5 * noise, 1)  # can be negative
        elif g == "rank":
            v = rng.integers(1, 64, size=(nreg, ny))
        elif g == "milestone":
            done = rng.integers(2005, 2031, size=(nreg, 1))
            v = (np.array(YEARS)[None, :] >= done).astype(np.int64)
        out[d["id"]] = v
    # keep the derived share sensible: hi-tech exports below total exports
    out["exports_hitech"] = np.round(
        np.minimum(out["exports_hitech"], out["exports_total"] * 0.9), 2
    )
    out["exports_hitech"] = np.maximum(out["exports_hitech"], 0.01)
    out["st_budget"] = np.round(np.minimum(out["st_budget"], out["budget_spending"] * 0.05), 2)
    out["st_budget"] = np.maximum(out["st_budget"], 0.01)
    return out


def fmt(v, integer_like):
    if integer_like:
        return str(int(v))
    s = repr(float(v))
    if s.endswith(".0"):
        s = s[:-2]
    return s


# ---------------------------------------------------------------- plan
def targets_for(d, vals, k):
    """targets from the national median of 2020 values; k = position for variety"""
    g = d["gen"]
    med20 = float(np.median(vals[:, YEARS.index(2020)]))
    med25 = float(np.median(vals[:, YEARS.index(2025)]))
    T = []
    base = None
    if g == "count":
        if d["direction"] == "decrease":
            T = [
                {
                    "year": 2025,
                    "max": int(round(med20 * 0.8)),
                    "note": "«giảm ít nhất 20% so với năm 2020»",
                },
                {"year": 2030, "max": int(round(med20 * 0.5))},
            ]
        elif d["id"] == "population":
            T = []
        elif k % 4 == 0:
            base = {"year": 2020, "value": int(round(med20))}
            T = [
                {"year": 2030, "min_times_baseline": 2, "note": "«tăng gấp 2 lần so với năm 2020»"}
            ]
        elif k % 4 == 1:
            T = [
                {"year": 2025, "min": int(round(med20 * 1.2)), "approx": True},
                {"year": 2030, "min": int(round(med20 * 1.6)) + 1},
            ]
        elif k % 4 == 2:
            T = [
                {
                    "year": 2025,
                    "min": int(round(med20 * 1.1)),
                    "exclusive": True,
                    "note": "«trên " + str(int(round(med20 * 1.1))) + "»",
                }
            ]
        else:
            T = [
                {"year": 2025, "min": int(round(med20 * 1.15)), "max": int(round(med20 * 1.5)) + 2}
            ]
    elif g == "flow":
        if d["direction"] == "decrease":
            T = [{"from": 2021, "to": 2025, "mean_max": int(round(med20 * 0.9))}]
        elif k % 2:
            T = [
                {
                    "from": 2020,
                    "to": 2025,
                    "min_growth": 5,
                    "note": "«tăng bình quân 5%/năm giai đoạn 2021-2025»",
                },
                {"from": 2025, "to": 2030, "min_growth": 7},
            ]
        else:
            T = [{"from": 2021, "to": 2025, "mean_min": int(round(med20))}]
    elif g == "pct_up":
        hi = min(100.0, round(med25 * 1.1 + 5, 1))
        if k % 3 == 0:
            T = [
                {"year": 2025, "min": round(min(med25, 99.0), 1), "exclusive": True},
                {"year": 2030, "min": hi},
            ]
        elif k % 3 == 1:
            T = [{"from": 2021, "to": 2025, "min": round(med20 * 0.9, 1)}]
        else:
            T = [{"year": 2030, "min": hi, "approx": True}]
        if d["id"] == "st_budget_share":
            T = [{"from": 2021, "to": 2030, "min": 1.5, "note": "«hằng năm bảo đảm từ 1,5%»"}]
    elif g == "pct_down":
        T = [
            {
                "year": 2025,
                "max": round(max(med25 * 0.9, 0.5), 1),
                "exclusive": True,
                "note": "«dưới " + str(round(max(med25 * 0.9, 0.5), 1)).replace(".", ",") + "%»",
            },
            {"year": 2030, "max": round(max(med25 * 0.6, 0.2), 1)},
        ]
    elif g == "growth":
        T = [
            {
                "from": 2021,
                "to": 2025,
                "mean_min": 6.5,
                "mean_max": 8,
                "note": "«bình quân giai đoạn 6,5-8%/năm»",
            },
            {"from": 2026, "to": 2030, "mean_min": 8},
        ]
    elif g in ("money", "real"):
        if k % 3 == 0:
            T = [
                {
                    "from": 2025,
                    "to": 2030,
                    "min_growth": 10,
                    "note": "«tăng bình quân trên 10%/năm»",
                }
            ]
        elif k % 3 == 1:
            base = {"year": 2020, "value": round(med20, 2)}
            T = [{"year": 2030, "min_times_baseline": 2.5}]
        else:
            T = [
                {"year": 2025, "min": round(med25 * 0.95, 2)},
                {"year": 2030, "min": round(med25 * 1.8, 2)},
            ]
    elif g in ("cum_int", "cum_money"):
        tot = float(np.median(vals[:, : YEARS.index(2025) + 1].sum(axis=1)))
        if g == "cum_int":
            T = [
                {"year": 2025, "min": int(round(tot))},
                {"year": 2030, "min": int(round(tot * 1.5))},
            ]
        else:
            T = [{"year": 2025, "min": round(tot, 2)}]
    elif g == "milestone":
        T = [{"year": 2025 if k % 2 else 2030, "min": 1}]
    elif g == "rank":
        T = [{"year": 2030, "max": 10, "note": "«trong nhóm 10 tỉnh dẫn đầu»"}]
    return T, base


def write_plan(path, vals, with_aliases_b):
    regions = [{"name": "Cả nước", "aliases": ["Ca nuoc", "Toàn quốc"]}]
    for p in PROVINCES:
        for k in range(1, NSUB + 1):
            r = {"name": subregion(p, k), "aliases": [strip_accents(subregion(p, k))]}
            regions.append(r)
    plan = {
        "id": "quoc-gia-57-2025",
        "title": "Kế hoạch thực hiện Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số quốc gia (bộ số liệu kiểm thử độc lập)",
        "title_en": "Plan implementing Resolution 57-NQ/TW (independent test data set)",
        "document": "57-NQ/TW",
        "issued": __import__("datetime").date(2024, 12, 22),
        "issuer": "Ban Chấp hành Trung ương",
        "region": "Cả nước",
        "baseline_year": 2020,
        "notes": "Số liệu minh họa do máy sinh ra, không phải số liệu thật.",
        "regions": regions,
    }
    inds = []
    for k, d in enumerate(INDICATORS):
        e = {"id": d["id"], "name": d["name"], "unit": d["unit"]}
        if d["kind"] != "stock":
            e["kind"] = d["kind"]
        if d["direction"] != "increase":
            e["direction"] = d["direction"]
        if d["integer"]:
            e["integer"] = True
        if d["value_range"] is not None:
            e["value_range"] = d["value_range"]
        e["group"] = d["group"]
        e["code"] = f"{k + 1:04d}"
        if d["kind"] == "cumulative":
            e["cumulative_from"] = 1996
        T, base = targets_for(d, vals[d["id"]], k)
        if base:
            e["baseline"] = base
        if d["id"] == "st_budget_share":
            e["references"] = [
                {"value": 2, "label": "Luật KH&CN 2013, Điều 49: ≥ 2% chi ngân sách nhà nước"}
            ]
        if T:
            e["targets"] = T
        inds.append(e)
    for d in DERIVED:
        inds.append(
            {
                "id": d["id"],
                "name": d["name"],
                "unit": d["unit"],
                "group": d["group"],
                "formula": d["formula"],
                "targets": d["targets"],
            }
        )
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(
            {"plan": plan, "indicators": inds}, f, allow_unicode=True, sort_keys=False, width=200
        )


# ---------------------------------------------------------------- set A
def write_A(out, vals):
    """one file per sub-region: 340 files x 3,000 rows (100 indicators x 30 years, 1996-2025)."""
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    n = 0
    ri = 0
    for pi, p in enumerate(PROVINCES):
        for k in range(1, NSUB + 1):
            reg = subregion(p, k)
            fn = os.path.join(
                out,
                "data",
                f"{pi + 1:02d}_{strip_accents(p).replace(' ', '_').lower()}_kv{k:02d}.csv",
            )
            with open(fn, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["indicator", "region", "year", "value", "source"])
                for d in INDICATORS:
                    intlike = d["integer"] or d["gen"] == "milestone"
                    row = vals[d["id"]][ri]
                    for yi, y in enumerate(YEARS):
                        w.writerow([d["id"], reg, y, fmt(row[yi], intlike), f"NGTK {y}"])
                        n += 1
            ri += 1
    return n


# ---------------------------------------------------------------- set B
HEADERS_VI = {
    "indicator": ["chỉ tiêu", "Chỉ tiêu", "ma_chi_tieu", "chi_tieu", "CHỈ TIÊU"],
    "year": ["năm", "Năm", "nam", "NĂM"],
    "value": ["giá trị", "Giá trị", "gia_tri", "GIÁ TRỊ"],
    "region": ["địa bàn", "Địa bàn", "dia_ban", "tỉnh"],
    "source": ["nguồn", "Nguồn", "nguon"],
    "note": ["ghi chú", "Ghi chú", "ghi_chu"],
    "name": ["tên chỉ tiêu", "Tên chỉ tiêu", "ten_chi_tieu"],
    "estimate": ["ước tính", "uoc_tinh", "ước"],
}
ORDERS = [
    ["name", "indicator", "region", "year", "value", "estimate", "source", "note"],
    ["region", "year", "indicator", "name", "value", "note", "source"],
    ["year", "indicator", "value", "region", "source", "note"],
    ["indicator", "name", "year", "region", "value", "source", "note", "estimate"],
    ["source", "region", "indicator", "year", "value", "note"],
]
SOURCES = [
    "Báo cáo số {n}/BC-UBND ngày {d}/01/{y1}, của UBND tỉnh {p}",
    "Niên giám thống kê tỉnh {p} năm {y}, Cục Thống kê",
    "Sở KH&CN, báo cáo tổng kết năm {y}, số {n}/BC-SKHCN",
    "Công văn số {n}/SKHĐT-TH, ngày {d} tháng 3 năm {y1}",
    'Sở TT&TT, số liệu tổng hợp "chuyển đổi số", năm {y}',
]
NOTES = [
    "",
    "",
    "",
    "Số liệu sơ bộ, sẽ được cập nhật sau khi có niên giám thống kê chính thức; đã đối chiếu với báo cáo của các sở, ngành liên quan",
    "Tính theo phương pháp mới của Tổng cục Thống kê (áp dụng từ năm 2017), không hoàn toàn so sánh được với các năm trước",
    "Bao gồm cả các đơn vị trực thuộc Trung ương đóng trên địa bàn, theo hướng dẫn tại Công văn số 1234/BKHCN-KHTH, ngày 5/6/2020",
    'Ghi chú của cán bộ nhập liệu: số liệu năm này được lấy theo "báo cáo nhanh", chênh lệch khoảng 2-3% so với số liệu chính thức',
    "Sau sáp nhập đơn vị hành chính năm 2025, số liệu được tính theo địa giới mới, gồm các xã, phường sáp nhập\nĐã được Sở Tài chính xác nhận",
]


def region_spelling(reg, rnd, p):
    x = rnd.random()
    if x < 0.55:
        return reg
    if x < 0.70:
        return unicodedata.normalize("NFD", reg)
    if x < 0.80:
        return reg.upper()
    if x < 0.90:
        return strip_accents(reg)  # declared alias
    return ("thành phố " if p in CITIES else "tỉnh ") + reg


def write_B(out, vals, rnd):
    """per province and indicator group (20 indicators): 34 x 5 = 170 files x 6,000 rows."""
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    groups = [INDICATORS[i : i + 20] for i in range(0, 100, 20)]
    n = 0
    fidx = 0
    for pi, p in enumerate(PROVINCES):
        for gi, grp in enumerate(groups):
            fidx += 1
            order = ORDERS[(pi + gi) % len(ORDERS)]
            # layout variant of this file
            sep = ","
            decimal_comma = False
            r = rnd.random()
            if r < 0.15:
                sep, decimal_comma = ";", True
            elif r < 0.22:
                sep = "\t"
            bom = rnd.random() < 0.5
            crlf = rnd.random() < 0.6
            quote_all = rnd.random() < 0.2 and sep == ","
            header = [rnd.choice(HEADERS_VI[c]) for c in order]
            if rnd.random() < 0.3:
                header = [" " + h + " " if j == 0 else h for j, h in enumerate(header)]
            rows = []
            for k in range(1, NSUB + 1):
                reg = subregion(p, k)
                ri = pi * NSUB + (k - 1)
                for d in grp:
                    intlike = d["integer"] or d["gen"] == "milestone"
                    vv = vals[d["id"]][ri]
                    for yi, y in enumerate(YEARS):
                        s = fmt(vv[yi], intlike)
                        if decimal_comma:
                            s = s.replace(".", ",")
                        src = rnd.choice(SOURCES).format(
                            n=rnd.randint(1, 999), d=rnd.randint(1, 28), y=y, y1=y + 1, p=p
                        )
                        rec = {
                            "indicator": d["id"],
                            "year": str(y),
                            "value": s,
                            "region": region_spelling(reg, rnd, p),
                            "source": src,
                            "note": rnd.choice(NOTES),
                            "name": d["name"],
                            "estimate": ("x" if rnd.random() < 0.5 else "ước") if y == 2025 else "",
                        }
                        rows.append([rec[c] for c in order])
            rnd.shuffle(rows)
            n += len(rows)
            buf = io.StringIO()
            w = csv.writer(
                buf,
                delimiter=sep,
                lineterminator="\r\n" if crlf else "\n",
                quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
            )
            w.writerow(header)
            w.writerows(rows)
            name = f"SoLieu_{strip_accents(p).replace(' ', '')}_nhom{gi + 1}"
            name += ".CSV" if fidx % 17 == 0 else ".csv"
            with open(
                os.path.join(out, "data", name),
                "w",
                encoding="utf-8-sig" if bom else "utf-8",
                newline="",
            ) as f:
                f.write(buf.getvalue())
    return n


def main():
    which, out = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(SEED)
    vals = gen_values(rng)
    os.makedirs(out, exist_ok=True)
    write_plan(os.path.join(out, "targets.yaml"), vals, which == "B")
    if which == "A":
        n = write_A(out, vals)
    else:
        n = write_B(out, vals, random.Random(SEED))
    print(f"{which}: wrote {n} figures to {out}")


if __name__ == "__main__":
    main()
