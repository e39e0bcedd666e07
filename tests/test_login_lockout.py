"""Login throttling locks a (username, real client address) pair; forwarded addresses count only from
trusted proxies, so nobody can lock another person out from elsewhere or by forging a header."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from peyvand.core.middleware import AuditlogMiddleware
from peyvand.core.network import client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
LOGIN = "/accounts/login/"


def _fail_five_times(client, username: str, **headers) -> int:
    for _ in range(5):
        response = client.post(LOGIN, {"username": username, "password": "wrong"}, **headers)
    return response.status_code


def _behind_proxy(client_ip: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_ip}


def test_an_attacker_behind_the_trusted_proxy_cannot_lock_the_victim_out(client, settings, manager) -> None:
    settings.PEYVAND_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _fail_five_times(client, "manager_a", **_behind_proxy("203.0.113.66")) == 429
    victim = client.post(
        LOGIN, {"username": "manager_a", "password": "peyvand-test"}, **_behind_proxy("198.51.100.7")
    )
    assert victim.status_code == 302  # logged in
    # ... while the attacker's own address stays locked even with the right password.
    client.logout()
    attacker = client.post(
        LOGIN, {"username": "manager_a", "password": "peyvand-test"}, **_behind_proxy("203.0.113.66")
    )
    assert attacker.status_code == 429


def test_an_attacker_from_another_address_cannot_lock_the_victim_out(client, manager) -> None:
    assert _fail_five_times(client, "manager_a", REMOTE_ADDR="203.0.113.66") == 429
    victim = client.post(
        LOGIN, {"username": "manager_a", "password": "peyvand-test"}, REMOTE_ADDR="198.51.100.7"
    )
    assert victim.status_code == 302


def test_a_forged_forwarded_address_from_an_untrusted_peer_is_ignored(client, settings, manager) -> None:
    settings.PEYVAND_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The attacker rotates X-Forwarded-For on every try; its own address is what counts, so it is locked.
    for attempt in range(5):
        response = client.post(
            LOGIN,
            {"username": "manager_a", "password": "wrong"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    assert response.status_code == 429
    again = client.post(
        LOGIN,
        {"username": "manager_a", "password": "peyvand-test"},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert again.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: the header is ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a client-written prefix is not believed
        (PROXY, "198.51.100.1, 10.0.0.9", "198.51.100.1"),  # two proxies of ours in a row
        (PROXY, "198.51.100.1:5123", "198.51.100.1"),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        ("::ffff:10.0.0.5", "198.51.100.1", "198.51.100.1"),  # the proxy over an IPv4-mapped socket
    ],
)
def test_the_client_address_is_read_from_the_right_through_trusted_proxies(
    settings, remote, forwarded, expected
) -> None:
    settings.PEYVAND_TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_x_real_ip_is_used_from_a_trusted_proxy_that_sends_no_forwarded_for(settings) -> None:
    settings.PEYVAND_TRUSTED_PROXIES = [PROXY]
    trusted = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.4")
    forged = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.4")
    assert client_address(trusted) == "198.51.100.4"
    assert client_address(forged) == "203.0.113.9"


def test_the_audit_trail_records_the_real_address_not_a_forged_one(settings) -> None:
    assert "peyvand.core.middleware.AuditlogMiddleware" in settings.MIDDLEWARE
    middleware = AuditlogMiddleware(lambda request: None)
    forged = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert middleware.get_extra_data(forged)["remote_addr"] == "203.0.113.9"
    settings.PEYVAND_TRUSTED_PROXIES = ["203.0.113.9"]
    assert middleware.get_extra_data(forged)["remote_addr"] == "192.0.2.1"
