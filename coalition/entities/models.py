"""Organisations, the people who act for them, and requests to act for an entity or a country.

Entities and focal points keep a full history (django-simple-history). Their tables keep the
names they had when they lived in the `pledges` and `accounts` apps (`db_table`), so moving the
code moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.common.intervals import VersionInterval
from coalition.common.spelling import name_key
from coalition.reference.models import Country


class Entity(models.Model):
    """An organisation that pledges or partners."""

    class Type(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        ACADEMIA = "academia", _("Academia")
        UN_IGO = "un_igo", _("UN / intergovernmental organisation")
        IFI = "ifi", _("International financial institution")
        DONOR_AGENCY = "donor_agency", _("Donor agency")

    class ItuMembership(models.TextChoices):
        MEMBER_STATE = "member_state", _("ITU Member State")
        SECTOR_MEMBER = "sector_member", _("ITU-D Sector Member")
        ASSOCIATE = "associate", _("ITU-D Associate")
        ACADEMIA = "academia", _("ITU Academia member")
        NONE = "none", _("Not an ITU member")

    name = models.CharField(max_length=250)
    acronym = models.CharField(max_length=40, blank=True)
    entity_type = models.CharField("type", max_length=20, choices=Type.choices, db_index=True)
    home_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="entities"
    )
    itu_membership = models.CharField(
        "ITU membership", max_length=20, choices=ItuMembership.choices, default=ItuMembership.NONE
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Generated demo data, not a real organisation.")
    search_name = models.CharField(
        max_length=400, blank=True, editable=False, db_default="",
        help_text="The name as search and the duplicate check compare it (`common.spelling.name_key`); set by save().",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The search name follows the name: a version of it would only repeat the name's.
    history = HistoricalRecords(
        table_name="pledges_historicalentity", bases=[VersionInterval], excluded_fields=["search_name"]
    )

    class Meta:
        db_table = "pledges_entity"
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [
            models.Index(fields=["home_country", "entity_type"]),
            models.Index(fields=["search_name"], name="entity_search_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.search_name = name_key(self.name)[:400]
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class FocalPoint(models.Model):
    """A contact person for an entity. Private: never shown publicly."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="focal_points")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focal_points",
        help_text="The account that acts for the entity, if the person has one.",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    position = models.CharField(max_length=200, blank=True)
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords(table_name="pledges_historicalfocalpoint")

    class Meta:
        db_table = "pledges_focalpoint"
        ordering = ["entity", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> for {self.entity}"


class AccessRequest(models.Model):
    """A user asks to act for an entity (existing or new) or for a country; someone decides."""

    class Kind(models.TextChoices):
        JOIN_ENTITY = "join_entity", _("Join an entity")
        NEW_ENTITY = "new_entity", _("Register a new entity")
        COUNTRY = "country", _("Act for a country")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_requests",
        help_text="The entity to join; for a new entity, the one created on approval.",
    )
    country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="access_requests"
    )
    new_entity_name = models.CharField(max_length=250, blank=True)
    new_entity_type = models.CharField(max_length=20, blank=True, choices=Entity.Type.choices)
    new_entity_country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_entity_website = models.URLField(blank=True)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The reviewer who took the request in hand.",
    )

    class Meta:
        db_table = "accounts_accessrequest"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requester}: {self.subject}"

    @property
    def subject(self) -> str:
        """What is asked for, in words: the entity, the new entity's name or the country."""
        if self.kind == self.Kind.COUNTRY:
            return str(self.country)
        if self.kind == self.Kind.NEW_ENTITY and self.entity_id is None:
            return self.new_entity_name
        return str(self.entity)
