"""The facts of the accessibility statement that are not interface text: the supervising
authority's own names and addresses in each language, and the statement's dates."""

from datetime import date

# Act on the Provision of Digital Services (306/2019), section 15: the statement names
# the supervising authority. Its names and websites are its own in each language, so they
# are kept here as data rather than left to the interface translations.
SUPERVISOR = {
    "fi": {
        "agency": "Etelä-Suomen aluehallintovirasto",
        "unit": "Saavutettavuuden valvonnan yksikkö",
        "website": "https://www.saavutettavuusvaatimukset.fi/",
        "website_name": "www.saavutettavuusvaatimukset.fi",
        "email": "saavutettavuus@avi.fi",
    },
    "sv": {
        "agency": "Regionförvaltningsverket i Södra Finland",
        "unit": "Enheten för tillgänglighetstillsyn",
        "website": "https://www.tillganglighetskrav.fi/",
        "website_name": "www.tillgänglighetskrav.fi",
        "email": "webbtillganglighet@rfv.fi",
    },
    "en": {
        "agency": "Regional State Administrative Agency for Southern Finland",
        "unit": "Accessibility Supervision Unit",
        "website": "https://www.webaccessibility.fi/",
        "website_name": "www.webaccessibility.fi",
        "email": "saavutettavuus@avi.fi",
    },
}
SUPERVISOR_PHONE = "0295 016 000"

# Update STATEMENT_REVIEWED whenever the list of content that is not yet accessible in
# templates/accessibility.html changes: the Act requires the statement to stay current.
STATEMENT_MADE = date(2026, 11, 24)
STATEMENT_REVIEWED = date(2026, 12, 2)


def supervisor(language: str) -> dict:
    return SUPERVISOR.get(language, SUPERVISOR["fi"])
