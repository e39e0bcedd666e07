"""Serve pages under production settings, as a deployment would, and fail loudly if any does not answer.

DEBUG off, manifest static storage (whitenoise), a secret key, ALLOWED_HOSTS, HTTPS behind a proxy: the
database is migrated and the static files collected in a fresh folder (separate processes, like the
README's deployment steps), then the WSGI application that gunicorn runs (``peyvand.wsgi``) answers the
login page, its stylesheets, logging in, a public list and detail page and a staff list. Every cookie
must be Secure, HttpOnly and SameSite; TRACE must be refused; plain HTTP must be sent to HTTPS. Then
gunicorn serves the same application on a unix socket and the login page, a list, a detail page and a
hashed stylesheet must answer 200 through it.

Run: .venv/bin/python scripts/production_check.py   (exit status 0 = every check passed; used by .ci/run)
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parent.parent
HOST = "peyvand.example.ir"
PASSWORD = secrets.token_urlsafe(16)


def production_environment(data_dir: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "PEYVAND_SENDFILE"}
    }
    environment |= {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "PEYVAND_DATA_DIR": data_dir,
        "PEYVAND_MATCHING_AUTO_REBUILD": "false",
        "DJANGO_SETTINGS_MODULE": "peyvand.settings",
    }
    return environment


def manage(environment: dict[str, str], *args: str) -> None:
    print("$ manage.py", " ".join(args), flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True)  # noqa: S603


class Browser:
    """Calls the WSGI application directly, keeping cookies, as a browser behind the TLS proxy would."""

    def __init__(self, application) -> None:
        self.application = application
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(
        self, method: str, path: str, data: dict | None = None, *, https: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        body = urlencode(data or {}).encode()
        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update(
            {
                "REQUEST_METHOD": method,
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "HTTP_HOST": HOST,
                "SERVER_PORT": "443" if https else "80",
                "REMOTE_ADDR": "127.0.0.1",
                "wsgi.input": BytesIO(body),
                "CONTENT_LENGTH": str(len(body)),
            }
        )
        if https:
            environ["HTTP_X_FORWARDED_PROTO"] = "https"
            environ["HTTP_ORIGIN"] = f"https://{HOST}"
            environ["HTTP_REFERER"] = f"https://{HOST}/"
        if data is not None:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        answer: dict = {}

        def start_response(status: str, headers: list, exc_info=None) -> None:
            answer["status"], answer["headers"] = status, headers

        chunks = self.application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers: dict[str, str] = {}
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                self.set_cookies.append(value)
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
            headers[name.lower()] = value
        return int(answer["status"].split()[0]), headers, content


def seed(password: str) -> int:
    """An estate company, its manager and one estate; the estate's id."""
    from peyvand.accounts.models import Membership, Organisation, User
    from peyvand.estates.models import County, IndustrialEstate

    company = Organisation.objects.create(kind="estate_company", name="شرکت آزمایشی", name_en="Check Co.")
    user = User.objects.create(username="check_manager", email="check@example.ir")
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, organisation=company, role="manager")
    estate = IndustrialEstate.objects.create(
        name="شهرک صنعتی بررسی",
        name_en="Check Estate",
        code="check-estate",
        county=County.objects.order_by("pk").first(),
        company=company,
        total_area_ha=100,
        industrial_area_ha=70,
    )
    return estate.pk


def run_checks() -> tuple[list[str], int]:
    import django

    django.setup()
    from peyvand.wsgi import application

    failures: list[str] = []

    def expect(condition: bool, message: str) -> None:
        print(("ok    " if condition else "FAIL  ") + message, flush=True)
        if not condition:
            failures.append(message)

    estate_pk = seed(PASSWORD)
    browser = Browser(application)

    status, headers, _body = browser.request("GET", "/accounts/login/", https=False)
    expect(
        status == 301 and headers.get("location", "").startswith("https://"), "plain HTTP is sent to HTTPS"
    )

    status, _headers, body = browser.request("GET", "/accounts/login/")
    expect(status == 200, f"the login page answers 200 (got {status})")
    page = body.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    expect(bool(assets), "the login page links its stylesheets and scripts")
    for asset in assets:
        expect(re.search(r"\.[0-9a-f]{12}\.\w+$", asset) is not None, f"{asset} has a hashed (manifest) name")
        asset_status, _h, _b = browser.request("GET", asset)
        expect(asset_status == 200, f"{asset} answers 200 (got {asset_status})")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    expect(token is not None, "the login form carries a CSRF token")
    status, headers, _body = browser.request(
        "POST",
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": "check_manager",
            "password": PASSWORD,
        },
    )
    expect(status == 302, f"logging in answers a redirect (got {status})")
    expect("sessionid" in browser.cookies, "logging in sets the session cookie")

    for path, what in [
        ("/estates/", "a public list"),
        (f"/estates/{estate_pk}/", "a detail page"),
        ("/units/", "a list as staff"),
        ("/", "the home page"),
    ]:
        status, _headers, body = browser.request("GET", path)
        expect(status == 200, f"{what} ({path}) answers 200 (got {status})")
    status, _headers, body = browser.request("GET", "/estates/")
    expect("شهرک صنعتی بررسی" in body.decode(), "the list shows the estate")

    status, _headers, _body = browser.request("TRACE", "/")
    expect(status == 405, f"TRACE is refused (got {status})")

    expect(
        {"csrftoken", "sessionid", "peyvand_language"} <= set(browser.cookies),
        f"the expected cookies were set ({sorted(browser.cookies)})",
    )
    for header in browser.set_cookies:
        morsel = next(iter(SimpleCookie(header).values()))
        expect(
            bool(morsel["secure"]) and bool(morsel["httponly"]) and morsel["samesite"] == "Lax",
            f"cookie {morsel.key} is Secure, HttpOnly and SameSite=Lax ({header.split(';', 1)[1].strip()})",
        )
    return failures, estate_pk


class UnixConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's unix socket: no port to pick or collide with on a shared CI machine."""

    def __init__(self, socket_path: str) -> None:
        super().__init__("localhost", timeout=60)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.socket_path)


def gunicorn_checks(environment: dict[str, str], data_dir: str, estate_pk: int) -> list[str]:
    """The same application under gunicorn, as the README deploys it: pages and a hashed asset answer 200."""
    socket_path = str(Path(data_dir) / "gunicorn.sock")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    print(f"$ gunicorn peyvand.wsgi --bind unix:{socket_path}", flush=True)
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "peyvand.wsgi",
            "--bind",
            f"unix:{socket_path}",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--control-socket",  # not the shared default under the home folder
            str(Path(data_dir) / "gunicorn.ctl"),
        ],
        cwd=ROOT,
        env=environment,
    )
    failures: list[str] = []
    try:
        for _ in range(120):
            if Path(socket_path).exists() or server.poll() is not None:
                break
            time.sleep(0.5)
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}

        def get(path: str) -> tuple[int, str]:
            connection = UnixConnection(socket_path)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            finally:
                connection.close()

        status, page = get("/accounts/login/") if Path(socket_path).exists() else (0, "")
        paths = ["/estates/", f"/estates/{estate_pk}/", *re.findall(r'href="(/static/[^"]+\.css)"', page)[:1]]
        for path, answer in [("/accounts/login/", status), *((path, get(path)[0]) for path in paths)]:
            ok = answer == 200
            print(("ok    " if ok else "FAIL  ") + f"gunicorn: {path} answers 200 (got {answer})", flush=True)
            if not ok:
                failures.append(f"gunicorn: {path} answered {answer}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return failures


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="peyvand-production-") as data_dir:
        environment = production_environment(data_dir)
        manage(environment, "check", "--deploy", "--fail-level", "WARNING")
        manage(environment, "migrate", "--noinput", "-v", "0")
        manage(environment, "collectstatic", "--noinput", "-v", "0")
        os.environ.clear()
        os.environ.update(environment)
        sys.path.insert(0, str(ROOT))
        failures, estate_pk = run_checks()
        failures += gunicorn_checks(environment, data_dir, estate_pk)
    if failures:
        print(f"\n{len(failures)} production check(s) failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print("\nEvery production check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
