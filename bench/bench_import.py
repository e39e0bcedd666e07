"""Import benchmark: a messy 10,000-row units sheet, dry run then apply, on SQLite and PostgreSQL.

Each pass builds a fresh database (``migrate`` + ``seed_demo``: 33 estates, 900 units), writes the sheet
under /tmp, then runs ``manage.py import_data units`` twice in child processes — a dry run and an
``--apply-valid`` — measuring wall time and peak memory (RSS) of each child. Targets (the issue): dry run
plus apply under 20 s and under 500 MB. PostgreSQL runs when ``BENCH_PG_URL`` (default
``postgres://postgres@127.0.0.1:5432/postgres``) answers; a database ``peyvand_bench_<pid>`` (the prefix
from ``BENCH_PG_PREFIX`` when set, so that helpers sharing the server keep to their own names) is created
and dropped around the pass.

    make bench            # or: .venv/bin/python bench/bench_import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
TARGET_SECONDS, TARGET_MB = 20.0, 500.0

ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
STATUSES = [
    "فعال",
    "دایر",
    "در حال بهره‌برداری",
    "active",
    "نیمه فعال",
    "راکد",
    "خوابیده",
    "در دست احداث",
    "تعطیل",
]
PRODUCTS = [
    ("قطعات چدنی", "7325"),
    ("لوله پلی‌اتیلن", "3917"),
    ("برنج سفید", "1006"),
    ("چای سیاه", "0902"),
    ("شکر", "1701"),
    ("ظروف پلاستیکی", ""),
]
CERTIFICATIONS = ["ایزو ۹۰۰۱", "ISO 14001", "HACCP", "نشان استاندارد", "گواهی حلال"]
ISIC = ["10.61", "1079", "2220", "24.31", "1701", "۱۰۶۱", 1079]
NAMES = ["ریخته‌گری", "صنایع غذایی", "پلاستیک", "چای‌سازی", "برنج‌کوبی", "کارتن‌سازی", "مبلمان", "نساجی"]
PLACES = ["کاسپین", "البرز", "سپید", "گیل", "دیلمان", "نارنج", "شالیزار", "دریا", "سبز", "پارس"]


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run(args: list[str], env: dict[str, str], quiet: bool = True) -> tuple[float, float, int, str, float]:
    """(wall seconds, peak RSS MB, exit code, stdout, CPU seconds) of one child process — the CPU time
    (user + system) says what the import costs when the shared machine is busy and the wall time does not.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, process.returncode, output, usage.ru_utime + usage.ru_stime


def manage(*args: str, env: dict[str, str]) -> str:
    _elapsed, _rss, code, output, _cpu = run([PYTHON, "manage.py", *args], env)
    if code not in (0, 1):
        raise SystemExit(f"manage.py {' '.join(args)} failed ({code}):\n{output}")
    return output


def registry_facts(env: dict[str, str]) -> dict:
    script = (
        "import json; from peyvand.estates.models import IndustrialEstate as E; "
        "from peyvand.units.models import ProductionUnit as U; "
        "print(json.dumps({'estates': list(E.objects.values_list('name', 'name_en')), "
        "'units': list(U.objects.values_list('national_id', 'name', 'estate__name')[:600])}))"
    )
    return json.loads(manage("shell", "-v", "0", "-c", script, env=env).strip().splitlines()[-1])


def messy(text: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        text = text.translate(ARABIC)
    if rng.random() < 0.2:
        text = text.replace("\u200c", " ")
    return text


def digits(value: int, rng: random.Random) -> str | int:
    choice = rng.random()
    if choice < 0.3:
        return str(value).translate(PERSIAN_DIGITS)
    if choice < 0.4:
        return str(value).translate(ARABIC_DIGITS)
    if choice < 0.6:
        return f"{value:,}"
    return value


def jalali_date(rng: random.Random) -> str:
    year, month, day = rng.randint(1385, 1402), rng.randint(1, 12), rng.randint(1, 29)
    forms = [
        f"{year}/{month}/{day}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day:02d}/{month:02d}/{year}",
        f"{year}.{month:02d}.{day:02d}",
        f"{year}/{month:02d}/{day:02d}".translate(PERSIAN_DIGITS),
    ]
    return rng.choice(forms)


def build_sheet(path: Path, rows: int, facts: dict, seed: int = 1405) -> dict[str, int]:
    """A units sheet as it arrives from the field: title rows, merged title, every kind of mess."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    estates = facts["estates"]
    existing = [unit for unit in facts["units"] if unit[0]]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("واحدها")
    sheet.append(["فهرست واحدهای تولیدی شهرک‌ها و نواحی صنعتی استان گیلان"])
    sheet.append(["تاریخ تهیه: ۱۴۰۳/۰۶/۰۱"])
    sheet.append([])
    sheet.append(
        [
            "ردیف",
            "نام واحد",
            "شناسه ملي",
            "شماره پروانه",
            "شهرك/ناحيه",
            "کد آیسیک",
            "تعداد کارکنان",
            "وضعیت",
            "تاریخ",
            "محصولات",
            "گواهینامه",
            "صادراتی",
            "تلفن",
            "توضیحات",
        ]
    )
    planned = {"new": 0, "update": 0, "duplicate_in_file": 0, "bad_date": 0, "unknown_estate": 0}
    used_ids: list[str] = []
    for number in range(1, rows + 1):
        roll = rng.random()
        estate_name, estate_en = rng.choice(estates)
        estate = rng.choice([estate_name, estate_name.replace("شهرک صنعتی ", ""), estate_en or estate_name])
        name = f"{rng.choice(NAMES)} {rng.choice(PLACES)} {number}"
        national_id = f"2{number:010d}"
        licence = f"{rng.randint(10, 99)}/{number}"
        date = jalali_date(rng)
        if roll < 0.05 and existing:
            national_id, name, estate = rng.choice(existing)
            licence = ""
            planned["update"] += 1
        elif roll < 0.06 and used_ids:
            national_id = rng.choice(used_ids)
            planned["duplicate_in_file"] += 1
        elif roll < 0.07:
            date = f"{rng.randint(1395, 1402)}/13/40"
            planned["bad_date"] += 1
        elif roll < 0.075:
            estate = "شهرک صنعتی ناموجود"
            planned["unknown_estate"] += 1
        else:
            planned["new"] += 1
            used_ids.append(national_id)
        product, hs = rng.choice(PRODUCTS)
        products = f"{product} ({hs})" if hs else product
        if rng.random() < 0.3:
            products += "، " + rng.choice(PRODUCTS)[0]
        sheet.append(
            [
                number,
                messy(name, rng),
                digits(int(national_id), rng) if rng.random() < 0.5 else national_id,
                licence,
                messy(estate, rng),
                rng.choice(ISIC),
                digits(rng.randint(3, 400), rng),
                rng.choice(STATUSES),
                date,
                messy(products, rng),
                rng.choice(CERTIFICATIONS) if rng.random() < 0.3 else "",
                rng.choice(["بله", "خیر", "✓", "", "yes", "0"]),
                f"013-3{rng.randint(1000000, 9999999)}",
                messy("تولید و عرضه محصولات با کیفیت برای بازار داخلی و صادرات", rng),
            ]
        )
    workbook.save(path)
    return planned


def one_pass(label: str, database_url: str | None, rows: int, keep: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="peyvand-bench-"))
    env = {**os.environ, "PEYVAND_DATA_DIR": str(workdir), "DEBUG": "true", "LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    try:
        print(f"[{label}] migrate + seed_demo …", flush=True)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", env=env)
        facts = registry_facts(env)
        sheet = Path(tempfile.gettempdir()) / f"peyvand-bench-units-{rows}.xlsx"
        planned = build_sheet(sheet, rows, facts)
        size = sheet.stat().st_size / 1024 / 1024
        print(f"[{label}] sheet: {sheet} ({rows:,} rows, {size:.1f} MB) planned {planned}", flush=True)
        command = [
            PYTHON,
            "manage.py",
            "import_data",
            "units",
            str(sheet),
            "--user",
            "manager",
            "--lang",
            "en",
        ]
        dry = run(command, env)
        report = workdir / "rejected.xlsx"
        applied = run([*command, "--apply-valid", "--report", str(report)], env)
        for name, result in (("dry run", dry), ("apply", applied)):
            summary = [line for line in result[3].splitlines() if "created" in line]
            print(
                f"[{label}] {name}: {result[0]:.1f} s ({result[4]:.1f} s CPU), {result[1]:.0f} MB, "
                f"exit {result[2]} — {summary[-1:]}"
            )
        check = manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from auditlog.models import LogEntry as L; from peyvand.units.models import ProductionUnit as U;"
            "from peyvand.imports.models import ImportBatch as B; b = B.objects.latest('pk');"
            "print(U.objects.count(), L.objects.filter(additional_data__via=b.via).count(), b.counts)",
            env=env,
        ).strip()
        print(f"[{label}] after apply: units, audit records of the batch, counts = {check}")
        return {"label": label, "dry": dry, "apply": applied}
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def postgres_url(base: str) -> tuple[str, str] | None:
    """Create a scratch database; (url, name) or None when PostgreSQL does not answer."""
    try:
        import psycopg
    except ImportError:
        return None
    name = f"{os.environ.get('BENCH_PG_PREFIX', 'peyvand_bench')}_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"PostgreSQL not reachable at {base}: {error.__class__.__name__}; skipping that pass")
        return None
    return base.rsplit("/", 1)[0] + "/" + name, name


def drop_postgres(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--skip-postgres", action="store_true")
    options = parser.parse_args()
    results = [one_pass("SQLite", None, options.rows, options.keep)]
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not options.skip_postgres:
        created = postgres_url(base)
        if created:
            url, name = created
            try:
                results.append(one_pass("PostgreSQL", url, options.rows, options.keep))
            finally:
                drop_postgres(base, name)
    print()
    print(f"Import benchmark — {options.rows:,}-row messy units sheet — {machine()}; load {load()}")
    print(
        f"{'database':<12}{'dry run s':>11}{'dry MB':>9}{'apply s':>10}{'apply MB':>10}{'total s':>9}"
        f"{'CPU s':>8}  target"
    )
    worst = 0
    for result in results:
        dry, applied = result["dry"], result["apply"]
        total = dry[0] + applied[0]
        peak = max(dry[1], applied[1])
        ok = total < TARGET_SECONDS and peak < TARGET_MB
        worst |= 0 if ok else 1
        print(
            f"{result['label']:<12}{dry[0]:>11.1f}{dry[1]:>9.0f}{applied[0]:>10.1f}{applied[1]:>10.0f}{total:>9.1f}"
            f"{dry[4] + applied[4]:>8.1f}  {'met' if ok else 'MISSED'} (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB)"
        )
    return worst


if __name__ == "__main__":
    sys.exit(main())
