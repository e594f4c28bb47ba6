"""Reference data (cooperation areas, regions, organisations) and who belongs where."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """Languages of regions and their material; Lapland's material may be in Sámi."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    NORTHERN_SAMI = "se", _("Northern Sámi")
    INARI_SAMI = "smn", _("Inari Sámi")
    SKOLT_SAMI = "sms", _("Skolt Sámi")


SAMI_LANGUAGES = (Language.NORTHERN_SAMI, Language.INARI_SAMI, Language.SKOLT_SAMI)

# The Sámi homeland (Enontekiö, Inari, Utsjoki and northern Sodankylä, Sámi Language Act
# 1086/2003) lies wholly in Lapland: only its material may be in a Sámi language.
SAMI_HOMELAND_REGIONS = frozenset({"lappi"})

# Each Sámi language's own name, shown beside the reader's word for it.
AUTONYMS = {
    Language.NORTHERN_SAMI: "davvisámegiella",
    Language.INARI_SAMI: "anarâškielâ",
    Language.SKOLT_SAMI: "sääʹmǩiõll",
}


class OfficialLanguage(models.TextChoices):
    """The national languages a region can have as its official language."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")


class PortalLanguage(models.TextChoices):
    """The languages the portal itself speaks: its pages and its e-mails."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Publicity(models.TextChoices):
    """Who may read a document or a comment thread (Act 621/1999: public unless a
    ground for secrecy is named)."""

    INTERNAL = "internal", _("ministry-internal")
    REGION = "region", _("shared with the region")
    PUBLIC = "public", _("public with the protocol")


class TranslatedName(models.Model):
    """Names in fi, sv and en, shown in the language of the current request."""

    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi

    @property
    def names(self) -> dict[str, str]:
        """The name in every language, for data that outlives the request (API, snapshots)."""
        return {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}


class CooperationArea(TranslatedName):
    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    university_hospital_region = models.ForeignKey(
        "Region",
        verbose_name=_("university hospital region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")
        ordering = ["name_fi"]


class Region(TranslatedName):
    class Kind(models.TextChoices):
        WELFARE_AREA = "welfare_area", _("welfare area")
        CITY = "city", _("city")
        HUS_GROUP = "hus_group", _("HUS group")

    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    main_language = models.CharField(
        _("main language"), max_length=2, choices=OfficialLanguage.choices
    )
    second_language = models.CharField(
        _("second language"), max_length=2, choices=OfficialLanguage.choices, blank=True
    )
    cooperation_area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        on_delete=models.PROTECT,
        related_name="regions",
    )
    registry_email = models.EmailField(
        _("registry e-mail"),
        blank=True,
        help_text=_("The region's official mailbox for negotiation invitations and material."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_fi"]
        constraints = [
            # A bilingual region names two different languages; a repeated one is a typo.
            models.CheckConstraint(
                condition=~Q(second_language=models.F("main_language")),
                name="region_languages_differ",
                violation_error_message=_("The second language must differ from the main one."),
            ),
        ]

    @property
    def languages(self) -> list[str]:
        return [code for code in (self.main_language, self.second_language) if code]

    @property
    def is_bilingual(self) -> bool:
        return bool(self.second_language)

    @property
    def serves_sami(self) -> bool:
        return self.slug in SAMI_HOMELAND_REGIONS


class Organisation(TranslatedName):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AGENCY = "agency", _("agency")

    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    remit = models.TextField(_("remit"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]


class PortalUserManager(UserManager):
    # Every request asks which side the user is on; loading both with the user saves
    # a query or two on every page.
    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "region")


class User(AbstractUser):
    """A portal login. Its organisation or region decides what it may see and do."""

    objects = PortalUserManager()

    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Ministry officials: the ministry they work for."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Region staff: the one region whose material they work on."),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=2,
        choices=PortalLanguage.choices,
        blank=True,
        help_text=_(
            "Empty: the region's main language for region staff, Finnish for everyone else."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Someone speaking for a region must never also act for a ministry: the two
            # sides of the negotiation see different things.
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(region__isnull=True),
                name="user_one_side_only",
                violation_error_message=_(
                    "A user belongs either to an organisation or to a region, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def mail_language(self) -> str:
        """The language the portal writes to this person in."""
        if self.language:
            return self.language
        if self.region_id:
            return self.region.main_language
        return PortalLanguage.FINNISH


class SecrecyGround(models.Model):
    """A legal ground for keeping material from the public, named beside it. The list is
    kept by administrators; the defaults cite section 24 of Act 621/1999."""

    citation = models.CharField(_("provision"), max_length=60, unique=True)
    label_fi = models.CharField(_("description in Finnish"), max_length=200)
    label_sv = models.CharField(_("description in Swedish"), max_length=200)
    label_en = models.CharField(_("description in English"), max_length=200)
    active = models.BooleanField(_("offered for new material"), default=True)

    class Meta:
        verbose_name = _("ground for secrecy")
        verbose_name_plural = _("grounds for secrecy")
        ordering = ["pk"]

    def __str__(self) -> str:
        language = (get_language() or "fi")[:2]
        label = getattr(self, f"label_{language}", "") or self.label_fi
        return f"{self.citation} – {label}"


def publicity_errors(publicity: str, secrecy_ground) -> dict:
    """The one rule for every document and thread: what is not public names its legal
    ground, and what is public names none. Returns errors by field, empty when valid."""
    if publicity != Publicity.PUBLIC and secrecy_ground is None:
        return {"secrecy_ground": _("Choose the legal ground for keeping this from the public.")}
    if publicity == Publicity.PUBLIC and secrecy_ground is not None:
        return {"secrecy_ground": _("Public material has no ground for secrecy.")}
    return {}


class Topic(TranslatedName):
    """A theme an outcome item of the negotiations is about, for filtering the ledger
    across regions and years. Kept by administrators; the defaults follow the national
    goals for social, health and rescue services 2025–2029."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered for new items"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "pk"]
