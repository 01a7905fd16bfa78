"""Journeys through the minutes of a held meeting, in English and in French.

The secretariat writes the minutes with an ACTION line (a line it cannot read is shown as
a problem beside the editor while it types), circulates them; a member comments and
proposes an amendment to a paragraph; the secretariat accepts it, approves the minutes
(the action point now exists), is refused an edit, records a correction with its reason
and two decisions linked to commitments; the compiled minutes of the tier show the text.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "log_in": "Log in",
        "log_out": "Log out",
        "text": "Text of the minutes (Markdown)",
        "save": "Save the minutes",
        "saved": "Minutes saved.",
        "unknown": "No partner is known by the acronym NOPE",
        "comments_until": "Comments until",
        "circulate": "Circulate",
        "circulated": "Minutes circulated to the participants and the members.",
        "kind": "Kind",
        "paragraph": "Paragraph",
        "comment": "Comment",
        "proposed": "Paragraph as you propose it",
        "send": "Send",
        "sent": "Comment sent to the secretariat.",
        "outcome": "Outcome",
        "reason": "Reason",
        "settle": "Settle",
        "settled": "Amendment settled.",
        "approve": "Approve",
        "approved": "Minutes approved.",
        "raised": "Action points raised at this meeting",
        "corrected_text": "Corrected text (Markdown)",
        "correction_reason": "Reason for the correction",
        "correct": "Record the correction",
        "correction_done": "Correction recorded.",
        "corrected_on": "Corrected on",
        "decision": "Decision",
        "commitments": "Commitments",
        "record_decision": "Record the decision",
        "decision_recorded": "Decision recorded.",
    },
    "fr": {
        "log_in": "Se connecter",
        "log_out": "Se déconnecter",
        "text": "Texte du procès-verbal (Markdown)",
        "save": "Enregistrer le procès-verbal",
        "saved": "Procès-verbal enregistré.",
        "unknown": "Aucun partenaire n'est connu sous le sigle NOPE",
        "comments_until": "Commentaires jusqu'au",
        "circulate": "Diffuser",
        "circulated": "Procès-verbal diffusé aux participants et aux membres.",
        "kind": "Type",
        "paragraph": "Paragraphe",
        "comment": "Commentaire",
        "proposed": "Paragraphe tel que vous le proposez",
        "send": "Envoyer",
        "sent": "Commentaire envoyé au secrétariat.",
        "outcome": "Suite donnée",
        "reason": "Motif",
        "settle": "Traiter",
        "settled": "Amendement traité.",
        "approve": "Approuver",
        "approved": "Procès-verbal approuvé.",
        "raised": "Points d'action décidés à cette réunion",
        "corrected_text": "Texte corrigé (Markdown)",
        "correction_reason": "Motif de la correction",
        "correct": "Consigner la correction",
        "correction_done": "Correction consignée.",
        "corrected_on": "Corrigé le",
        "decision": "Décision",
        "commitments": "Engagements",
        "record_decision": "Enregistrer la décision",
        "decision_recorded": "Décision enregistrée.",
    },
}


def _log_out(journey, words) -> None:
    journey.page.get_by_role("banner").get_by_role("button", name=words["log_out"]).click()
    journey.check()


def _minutes_journey(journey, key: str, language: str) -> None:
    words = WORDS[language]
    page = journey.visit(f"/meetings/{key}/")
    log_in(journey, label=words["log_in"])
    journey.visit(f"/meetings/{key}/")
    minutes = page.locator("#minutes")

    # While it is typed: the preview, and a line it cannot read shown as a problem.
    editor = minutes.get_by_label(words["text"], exact=True)
    editor.fill("# Minutes\n\nThe co-chairs opened the meeting.\n\nACTION [NOPE]: later\n")
    expect(page.locator("#minutes-preview")).to_contain_text(words["unknown"])
    journey.check()
    editor.fill(
        "# Minutes\n\nThe co-chairs opened the meeting.\n\n"
        "ACTION [IOM, DG HOME] due 2027-03-31: share the returns figures\n"
    )
    expect(page.locator("#minutes-preview")).not_to_contain_text(words["unknown"])
    expect(page.locator("#minutes-preview")).to_contain_text("share the returns figures")
    minutes.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#minutes")).to_contain_text(words["saved"])
    journey.check()
    journey.screenshot(f"minutes-editor-{language}")

    minutes = page.locator("#minutes")
    minutes.get_by_label(words["comments_until"], exact=True).fill("2099-12-31")
    minutes.get_by_role("button", name=words["circulate"], exact=True).click()
    expect(page.locator("#minutes")).to_contain_text(words["circulated"])
    journey.check()
    _log_out(journey, words)

    # A member comments, and proposes an amendment to the opening paragraph.
    log_in(journey, "member", label=words["log_in"])
    journey.visit(f"/meetings/{key}/")
    minutes = page.locator("#minutes")
    minutes.get_by_label(words["comment"], exact=True).fill("Thank you for the clear minutes.")
    minutes.get_by_role("button", name=words["send"]).click()
    expect(page.locator("#minutes")).to_contain_text(words["sent"])
    minutes = page.locator("#minutes")
    minutes.get_by_label(words["kind"], exact=True).select_option("amendment")
    minutes.get_by_label(words["paragraph"], exact=True).select_option(index=2)
    minutes.get_by_label(words["comment"], exact=True).fill("Name the co-chairs.")
    minutes.get_by_label(words["proposed"], exact=True).fill(
        "The co-chairs, EEAS and IOM, opened the meeting."
    )
    minutes.get_by_role("button", name=words["send"]).click()
    expect(page.locator("#minutes")).to_contain_text(words["sent"])
    journey.check()
    _log_out(journey, words)

    # The secretariat accepts the amendment, then approves.
    log_in(journey, label=words["log_in"])
    journey.visit(f"/meetings/{key}/")
    amendment = page.locator("#minutes li", has_text="Name the co-chairs.")
    amendment.get_by_label(words["outcome"]).select_option("accept")
    amendment.get_by_label(words["reason"]).fill("Agreed.")
    amendment.get_by_role("button", name=words["settle"]).click()
    expect(page.locator("#minutes")).to_contain_text(words["settled"])
    expect(page.locator("#minutes article.minutes")).to_contain_text("EEAS and IOM")
    journey.check()
    page.locator("#minutes").get_by_role("button", name=words["approve"], exact=True).click()
    expect(page.locator("#minutes")).to_contain_text(words["approved"])
    journey.check()
    page.reload()
    journey.check()
    expect(page.get_by_role("table", name=words["raised"])).to_contain_text(
        "share the returns figures"
    )

    # An edit of approved minutes is refused; a correction with its reason is recorded.
    expect(page.locator("#minutes").get_by_role("button", name=words["save"])).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{journey.base}/meetings/{key}/minutes/",
        form={"body": "Rewritten after approval", "version": "99"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert refused.status == 409
    minutes = page.locator("#minutes")
    corrected = minutes.get_by_label(words["corrected_text"], exact=True)
    corrected.fill(corrected.input_value().replace("2027-03-31", "2027-06-30"))
    minutes.get_by_label(words["correction_reason"], exact=True).fill("The due date agreed")
    minutes.get_by_role("button", name=words["correct"]).click()
    expect(page.locator("#minutes")).to_contain_text(words["correction_done"])
    expect(page.locator("#minutes .corrections")).to_contain_text(words["corrected_on"])
    expect(page.locator("#minutes .corrections")).to_contain_text("The due date agreed")
    journey.check()

    # Two decisions linked to commitments.
    for text, code in (
        ("Share the returns figures each quarter", "JVAP-1"),
        ("Meet in Rabat", "JVAP-2"),
    ):
        outcomes = page.locator("#outcomes")
        outcomes.get_by_label(words["decision"], exact=True).fill(text)
        outcomes.get_by_label(words["commitments"], exact=True).fill(code)
        outcomes.get_by_role("button", name=words["record_decision"]).click()
        expect(page.locator("#outcomes")).to_contain_text(words["decision_recorded"])
        expect(page.locator("#outcomes .decisions")).to_contain_text(code)
    journey.check()

    # The compiled minutes of the tier show the approved text.
    page = journey.visit(f"/meetings/tiers/{key.split('-')[0]}/minutes/")
    expect(page.locator("main")).to_contain_text("The co-chairs, EEAS and IOM, opened the meeting.")
    expect(page.locator("main")).to_contain_text("The due date agreed")
    journey.screenshot(f"minutes-compiled-{language}")


def test_secretariat_takes_minutes_from_draft_to_approved_and_corrected(journey):
    _minutes_journey(journey, "som-3", "en")


@pytest.mark.parametrize("journey", [{"locale": "fr-FR"}], indirect=True)
def test_the_same_in_french_for_another_meeting(journey):
    _minutes_journey(journey, "som-4", "fr")
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Procès-verbaux|procès-verbal", re.I)
    )
