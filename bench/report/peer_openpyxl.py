"""Peer for the ecociv-report benchmark: writes Table 2-1 of the example zone with openpyxl, the usual Python
xlsx writer, from the open-data CSV the Rust benchmark wrote (same 44 lines, same columns shown, merged
domain/task/indicator cells, status fills, frozen header, A4 landscape). Best of N, like the Rust side."""

import csv
import io
import sys
import time

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

FILLS = {"met": "C6EFCE", "not_met": "FFC7CE", "no_data": "FFEB9C"}


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    # Leaf rows only: indicators without sub-indicators, and sub-indicators.
    parents = {r["indicator"] for r in rows if r["is_indicator"] == "false"}
    return [r for r in rows if not (r["is_indicator"] == "true" and r["id"] in parents)]


def write(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "表2-1 指标体系"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=10)
    wrap = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
    ws.cell(1, 1, "表2-1 柳州市城中区生态文明建设示范区指标体系（2021年）").font = Font(name="黑体", size=14, bold=True)
    headers = ["领域", "任务", "序号", "指标名称", "", "单位", "指标值", "指标属性", "现状值（2021年）", "达标情况", "牵头部门", "判定说明"]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(2, c, h)
        cell.font = Font(name="宋体", size=10, bold=True)
        cell.border = border
    ws.merge_cells(start_row=2, start_column=4, end_row=2, end_column=5)
    for i, r in enumerate(rows):
        row = 3 + i
        sub = r["is_indicator"] == "false"
        values = [r["domain"], "", r["indicator"], "" if sub else r["name"], r["name"] if sub else "", r["unit"], r["standard"],
                  r["attribute"], float(r["value"]) if r["value_kind"] == "number" else r["value"], r["status_zh"],
                  r["lead_departments"], r["explanation"]]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row, c, v)
            cell.font = font
            cell.alignment = wrap
            cell.border = border
        ws.cell(row, 10).fill = PatternFill("solid", fgColor=FILLS[r["status"]])
        if not sub:
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
    # Merge runs of equal domain and indicator.
    for column, key in ((1, "domain"), (3, "indicator")):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][key] != rows[start][key]:
                if i - 1 > start:
                    ws.merge_cells(start_row=3 + start, start_column=column, end_row=3 + i - 1, end_column=column)
                start = i
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "2:2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main():
    rows = load(sys.argv[1])
    runs = 20
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = write(rows)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"peer openpyxl: Table 2-1 ({len(rows)} lines), {len(data)} bytes: {best * 1e3:.2f} ms best of {runs}; "
          f"× 2,800 zones ≈ {best * 2800:.1f} s")


if __name__ == "__main__":
    main()
