"""The typical steering-negotiation agenda (DESIGN.md section 2), in Finnish and Swedish."""

NAME = "Ohjausneuvottelu – vakioesityslista / Styrningsförhandling – standardföredragningslista"

ITEMS = [
    # (responsible organisation code, Finnish title, Swedish title)
    ("STM", "Neuvottelun avaus", "Öppnande av förhandlingen"),
    (
        "STM",
        "Hyvinvointialueen yleinen tilanne: toiminta ja talous kokonaisuutena",
        "Välfärdsområdets allmänna läge: verksamheten och ekonomin som helhet",
    ),
    (
        "STM",
        "Sosiaali- ja terveyspalvelut: saatavuus, yhdenvertaisuus ja kustannusvaikuttavuus "
        "(THL:n asiantuntija-arvio)",
        "Social- och hälsovårdstjänster: tillgång, jämlikhet och kostnadseffektivitet "
        "(THL:s expertbedömning)",
    ),
    ("SM", "Pelastustoimi", "Räddningsväsendet"),
    (
        "VM",
        "Talous, investointisuunnitelma ja lainanottovaltuus",
        "Ekonomi, investeringsplan och låneupptagningsfullmakt",
    ),
    (
        "STM",
        "Valtakunnallisten tavoitteiden toteutuminen",
        "Hur de riksomfattande målen har uppnåtts",
    ),
    (
        "STM",
        "Hyvinvointialueen kehittämishaasteet ja muutostekijät",
        "Välfärdsområdets utvecklingsutmaningar och förändringsfaktorer",
    ),
    (
        "STM",
        "Edellisen vuoden jatkotoimenpiteiden seuranta",
        "Uppföljning av föregående års uppföljningsåtgärder",
    ),
    (
        "STM",
        "Johtopäätökset ja sovitut jatkotoimenpiteet",
        "Slutsatser och överenskomna uppföljningsåtgärder",
    ),
]


# The items the cycle reads (by their Finnish title, as migration 0006 finds them).
ROLES = {
    "Edellisen vuoden jatkotoimenpiteiden seuranta": "previous_follow_up",
    "Johtopäätökset ja sovitut jatkotoimenpiteet": "conclusions",
}


def load(apps) -> None:
    AgendaTemplate = apps.get_model("negotiations", "AgendaTemplate")
    AgendaTemplateItem = apps.get_model("negotiations", "AgendaTemplateItem")
    Organisation = apps.get_model("regions", "Organisation")
    template, created = AgendaTemplate.objects.get_or_create(name=NAME)
    if not created:
        return  # administrators may have edited it; never overwrite their work
    organisations = {o.code: o for o in Organisation.objects.all()}
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(
            template=template,
            position=position,
            title_fi=title_fi,
            title_sv=title_sv,
            responsible=organisations.get(code),
        )
        for position, (code, title_fi, title_sv) in enumerate(ITEMS, start=1)
    )
