"""Pages of brokerage: engagements."""

urlpatterns: list = []
