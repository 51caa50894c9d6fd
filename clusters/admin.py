"""Read-only admin for clusters and memberships, with their history, for superusers.

Every change to the structure goes through clusters/services.py (from the structure pages, the
upload or the API), so an admin edit cannot skip its checks or its audit trail.
"""

from django.contrib import admin

from kernel.admin import ReadOnly
from kernel.admin_history import HistoryAdmin

from .models import Cluster, ClusterMembership


@admin.register(Cluster)
class ClusterAdmin(ReadOnly, HistoryAdmin):
    list_display = ("name", "alliance", "communication_lead", "created_on", "closed_on")
    list_filter = ("alliance", ("closed_on", admin.EmptyFieldListFilter))
    list_select_related = ("alliance", "communication_lead")
    search_fields = ("name", "alliance__name", "linked_hub", "school_improvement_partner")


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(ReadOnly, HistoryAdmin):
    list_display = ("school", "cluster", "started_on", "ended_on")
    list_filter = (("ended_on", admin.EmptyFieldListFilter), "cluster__alliance")
    list_select_related = ("school", "cluster")
    search_fields = ("school__name", "school__urn", "cluster__name")
