"""The fund's pages."""

from django.urls import path

from . import exports, views, write_views

app_name = "funding"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", write_views.fund_create, name="create"),
    path("<int:year>/", views.position, name="position"),
    path("<int:year>/position.csv", exports.export_csv, name="export-csv"),
    path("<int:year>/position.xlsx", exports.export_xlsx, name="export-xlsx"),
    path("<int:year>/schools/", views.school_list, name="schools"),
    path("<int:year>/schools/<int:urn>/", views.school, name="school"),
    path("<int:year>/alliances/<int:pk>/", views.alliance, name="alliance"),
    path("<int:year>/ledger/", views.ledger, name="ledger"),
    path("<int:year>/forecast/", views.forecast, name="forecast"),
    path("<int:year>/allocation/", write_views.allocation, name="allocation"),
    path("<int:year>/tariff/", write_views.tariff, name="tariff"),
    path("<int:year>/income/", write_views.income, name="income"),
    path("<int:year>/income/per-pupil/", write_views.per_pupil, name="per-pupil"),
    path("<int:year>/fixed-costs/", write_views.fixed_cost, name="fixed-cost"),
    path("<int:year>/adjustments/", write_views.adjustment, name="adjustment"),
    path("<int:year>/entries/<int:pk>/reverse/", write_views.reverse_entry, name="reverse"),
    path("<int:year>/engagements/<int:pk>/payment/", write_views.payment, name="payment"),
    path("engagements/<int:pk>/overdraw/", write_views.overdraw, name="overdraw"),
]
