from django.urls import path  # noqa: F401

app_name = "categorisation"

urlpatterns: list = []

# The board's rule sets and the form editor for drafts (rules helper)
from . import rule_views  # noqa: E402

urlpatterns += [
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/new/", rule_views.rule_set_new, name="rule-set-new"),
    path("rules/<int:pk>/", rule_views.rule_set_detail, name="rule-set"),
    path("rules/<int:pk>/copy/", rule_views.rule_set_copy, name="rule-set-copy"),
    path("rules/<int:pk>/adopt/", rule_views.rule_set_adopt, name="rule-set-adopt"),
    path("rules/<int:pk>/what-if/", rule_views.rule_set_what_if, name="rule-set-what-if"),
    path("rules/<int:pk>/settings/", rule_views.rule_set_settings, name="rule-set-settings"),
    path("rules/<int:pk>/indicators/add/", rule_views.rule_indicator, name="rule-indicator-add"),
    path(
        "rules/<int:pk>/indicators/<int:index>/", rule_views.rule_indicator, name="rule-indicator"
    ),
    path(
        "rules/<int:pk>/indicators/<int:index>/remove/",
        rule_views.rule_indicator_remove,
        name="rule-indicator-remove",
    ),
    path("rules/<int:pk>/triggers/add/", rule_views.rule_trigger, name="rule-trigger-add"),
    path("rules/<int:pk>/triggers/<int:index>/", rule_views.rule_trigger, name="rule-trigger"),
    path(
        "rules/<int:pk>/triggers/<int:index>/remove/",
        rule_views.rule_trigger_remove,
        name="rule-trigger-remove",
    ),
]

# What people see of categorisation (categorisation/views.py).
from . import views  # noqa: E402

urlpatterns += [
    path("", views.summary, name="summary"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:run_pk>/results/<int:pk>/", views.result, name="result"),
    path("runs/<int:pk>/agree/", views.agree, name="run-agree"),
    path("runs/<int:pk>/compare/", views.compare, name="run-compare"),
]

# Performance data uploads and their history (data helper).
from . import data_views  # noqa: E402

urlpatterns += [
    path("data/", data_views.data_page, name="data"),
    path("data/<int:pk>/", data_views.data_job, name="data-job"),
]

# The head's voice in categorisation (categorisation/head_response_views.py).
from . import head_response_views  # noqa: E402

urlpatterns += [
    path("schools/<int:urn>/proposed/", head_response_views.proposed, name="head-proposed"),
    path("responses/<int:pk>/evidence/", head_response_views.evidence, name="head-evidence"),
    path(
        "runs/<int:run_pk>/results/<int:pk>/resolve/",
        head_response_views.resolve,
        name="head-resolve",
    ),
]
