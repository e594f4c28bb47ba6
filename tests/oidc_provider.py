"""A real OpenID Connect provider (the npm package oidc-provider, run by Node.js) on
127.0.0.1 for the sign-in tests, and the steps of its own login and consent pages."""

import json
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.conftest import need_service

HERE = Path(__file__).resolve().parent / "oidc"

# Who can sign in at the test provider: login name → claims.
ACCOUNTS = {
    "virkailija": {
        "email": "virkailija@stm.fi",
        "email_verified": True,
        "given_name": "Veera",
        "family_name": "Virkailija",
        "name": "Veera Virkailija",
    },
    "hoitaja": {
        "email": "hoitaja@vakehyva.fi",
        "email_verified": True,
        "given_name": "Hanna",
        "family_name": "Hoitaja",
        "name": "Hanna Hoitaja",
    },
    "lappilainen": {
        "email": "lappilainen@lapha.fi",
        "email_verified": True,
        "given_name": "Lauri",
        "family_name": "Lappilainen",
        "name": "Lauri Lappilainen",
    },
    "ulkopuolinen": {
        "email": "ulkopuolinen@example.org",
        "email_verified": True,
        "name": "Ulla Ulkopuolinen",
    },
    "vahvistamaton": {"email": "vahvistamaton@stm.fi", "email_verified": False},
}
# provider_id → (client id, secret, the organisation's code or the region's slug, domains)
CLIENTS = {
    "stm": ("portal-stm", "stm-client-secret-0123456789", ("organisation", "STM"), "stm.fi"),
    "vakehyva": (
        "portal-vakehyva",
        "vakehyva-client-secret-0123456789",
        ("region", "vantaa-kerava"),
        "vakehyva.fi",
    ),
    "lapha": ("portal-lapha", "lapha-client-secret-0123456789", ("region", "lappi"), "lapha.fi"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_ready() -> str:
    """Empty when Node.js and the provider package are there (installed once with npm ci)."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "Node.js and npm are not installed"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            return f"npm ci failed: {result.stderr[-500:]}"
    return ""


class RunningProvider:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process
        self.issuer = f"http://127.0.0.1:{port}"


def start_provider(tmp_path: Path, redirect_bases: list[str]) -> RunningProvider:
    problem = node_ready()
    need_service("oidc-provider (Node.js)", not problem, problem)
    port = free_port()
    config = {
        "accounts": ACCOUNTS,
        "clients": [
            {
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": [
                    f"{base}/accounts/oidc/{provider_id}/login/callback/" for base in redirect_bases
                ],
            }
            for provider_id, (client_id, secret, _side, _domains) in CLIENTS.items()
        ],
    }
    path = tmp_path / "oidc-config.json"
    path.write_text(json.dumps(config))
    log = (tmp_path / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        ["node", "provider.mjs", str(port), str(path)],
        cwd=HERE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = RunningProvider(port, process)
    for _ in range(200):
        if process.poll() is not None:
            break
        try:
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1)
            return provider
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"the OIDC provider did not start: {(tmp_path / 'oidc-provider.log').read_text()}")


def stop_provider(provider: RunningProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()


def configure(issuer: str, *, secret_env: dict | None = None, only=None):
    """The portal's providers, as an administrator enters them in the admin."""
    from allauth.socialaccount.models import SocialApp

    from regions.models import Organisation, Region
    from signin.models import ProviderBinding

    bindings = {}
    for provider_id, (client_id, secret, (kind, key), domains) in CLIENTS.items():
        if only and provider_id not in only:
            continue
        env_name = (secret_env or {}).get(provider_id, "")
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=provider_id,
            name=provider_id.upper(),
            client_id=client_id,
            # A secret taken from the environment is not stored at all.
            secret="" if env_name else secret,
            settings={"server_url": issuer},
        )
        side = (
            {"organisation": Organisation.objects.get(code=key)}
            if kind == "organisation"
            else {"region": Region.objects.get(slug=key)}
        )
        bindings[provider_id] = ProviderBinding.objects.create(
            app=app, email_domains=domains, secret_env=env_name, **side
        )
    return bindings


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.IGNORECASE)


def through_provider(url: str, login: str, stop_at: str, session=None) -> str:
    """Follow the provider's pages from its authorisation URL, signing in as `login` and
    consenting, until it redirects back to an address starting with `stop_at`."""
    session = session or requests.Session()
    response = session.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(stop_at):
                return target
            response = session.get(target, allow_redirects=False, timeout=10)
            continue
        match = FORM.search(response.text)
        assert match, response.text[:2000]
        action = urljoin(response.url, unescape(match.group(1)))
        data = dict(HIDDEN.findall(response.text))
        if 'name="login"' in response.text:
            data.update(login=login, password="any")
        response = session.post(action, data=data, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never redirected back")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


@pytest.fixture
def chromium():
    """The system Chromium through Playwright (as the other browser tests drive it)."""
    import os

    need_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def user_signed_in_through_provider(client, tmp_path, provider_id: str, login: str):
    """An account as a first sign-in through the real provider creates it (the test
    client pressing the login page's button, requests following the provider's pages)."""
    from django.contrib.auth import get_user_model

    running = start_provider(tmp_path, ["http://testserver"])
    try:
        configure(running.issuer, only={provider_id})
        response = client.post(f"/accounts/oidc/{provider_id}/login/", {"language": "fi"})
        callback = through_provider(response["Location"], login, "http://testserver")
        assert client.get(callback.removeprefix("http://testserver")).status_code == 302
    finally:
        stop_provider(running)
    client.logout()
    return get_user_model().objects.get(email=ACCOUNTS[login]["email"])
