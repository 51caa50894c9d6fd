"""The fund's pages."""

app_name = "funding"
urlpatterns: list = []
