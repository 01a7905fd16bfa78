"""Journeys through the account, people and audit pages, and the API docs, under the CSP."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from accord.core.tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def test_every_page_carries_the_security_headers(server):
    with urllib.request.urlopen(f"{server.base}/", timeout=5) as response:  # noqa: S310
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_secretariat_manages_tokens_people_and_reads_the_audit_log(journey):
    journey.visit("/")
    page = log_in(journey)
    page.get_by_role("banner").get_by_role("link", name="My account").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My account")
    page.locator("#id_name").fill("reporting script")
    page.get_by_role("button", name="Create a token").click()
    journey.check()
    expect(page.locator("#new-token")).to_contain_text("acc_")
    page.get_by_role("button", name=re.compile("^Revoke")).first.click()
    journey.check()
    expect(page.get_by_role("table", name="Your API tokens")).to_contain_text("revoked")

    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    journey.check()
    expect(page.get_by_role("img", name="QR code of the key")).to_be_visible()

    page.get_by_role("banner").get_by_role("link", name="People").click()
    journey.check()
    expect(page.get_by_role("table", name="Users and their roles")).to_contain_text("home-contrib")
    page.locator("#id_username").fill("member")
    page.locator("#id_organisation").select_option("DG HOME")
    page.locator("#id_kind").select_option("contributor")
    page.get_by_role("button", name="Give the role").click()
    journey.check()
    expect(page.get_by_role("status")).to_contain_text("The role is given")

    page.get_by_role("banner").get_by_role("link", name="Audit log").click()
    journey.check()
    page.locator("#audit-verb").select_option("role.given")
    page.get_by_role("button", name="Filter").click()
    journey.check()
    expect(page.locator("main table")).to_contain_text("role.given")
    journey.screenshot("audit-log")

    page.get_by_role("link", name="Privacy").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("accord person erase NAME")


def test_the_api_docs_work_under_the_policy(journey):
    page = journey.page
    page.goto(journey.base + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_contain_text("Accord API")
    page.locator(".opblock-summary").first.click()
    journey.check_without_axe("Swagger UI is drawn by its own bundle")
    journey.screenshot("api-docs")
